import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extractSystem,
  type FakeUpstream,
  fakeOpenAiEnv,
  startFakeUpstream,
} from '../../../test/fake-upstream/server';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/helpers/app';
import { fixtureArticles, loadArticles } from '../../../test/helpers/articles';
import { dialects } from '../../../test/helpers/databases';

// Case variables through a real run on both engines: what the fake upstream received as the
// system prompt and the user message, and the cells that never reached it.

const TOPIC = 'Robotics';
const MODEL = 'openai:gpt-4.1-mini';
const PROMPT = [
  'You are Auspex, briefing analysts on {{region}} for the year {{year}}.',
  'Raw form: {{{region}}}. Answer from the articles and cite them; keep it short and factual.',
].join('\n');

/** The last user message the upstream received (the query with the articles). */
function upstreamUser(body: any): string {
  const last = (body.messages as any[]).filter((m) => m.role === 'user').at(-1).content;
  return typeof last === 'string' ? last : last.map((p: any) => p.text ?? '').join('');
}

describe.each(dialects)('case variables in a run on $dialect', ({ create }) => {
  let t: TestApp;
  let fake: FakeUpstream;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    fake = await startFakeUpstream();
    t = await startTestApp(await create(), {
      ...fakeOpenAiEnv(fake, MODEL),
      LLM_MAX_RETRIES: '0',
      EVAL_POLL_MS: '50',
    });
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 6));
    const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
    const prompt = await alice('POST', '/api/auspex/prompts', {
      name: 'templated',
      title: 'Templated prompt',
      content: PROMPT,
    });
    expect(prompt.statusCode, prompt.body).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('renders variables into the prompt and the query, unescaped, and fails only the cells that cannot render', async () => {
    const cases = [
      {
        query: 'How are robots used in {{region}} factories?',
        topic: TOPIC,
        variables: { region: 'EU & UK <north>', year: 2025 },
      },
      // No variables: prompt and query are sent exactly as written, tags and all.
      { query: 'What does {{region}} mean for robot makers?', topic: TOPIC },
      // The prompt's {{year}} has no value here.
      { query: 'How are robots used in {{region}} warehouses?', topic: TOPIC, variables: { region: 'Asia' } },
      // The query does not parse (Mustache names the place it gave up: the end, character 43).
      {
        query: 'How are robots used in {{region warehouses?',
        topic: TOPIC,
        variables: { region: 'Asia', year: 1 },
      },
    ];
    const suite = await alice('POST', '/api/evals/suites', { name: 'Templated suite', cases });
    expect(suite.statusCode, suite.body).toBe(201);
    fake.reset();
    const started = await alice('POST', '/api/evals/runs', {
      suite_id: suite.json().id,
      variants: [{ prompt: 'templated', model: MODEL, limit: 5 }],
    });
    expect(started.statusCode, started.body).toBe(202);
    const id = started.json().id;
    await expect
      .poll(async () => (await alice('GET', `/api/evals/runs/${id}`)).json().status, { timeout: 60_000 })
      .toBe('done');

    const cells = (await alice('GET', `/api/evals/runs/${id}/cells?limit=100`)).json().cells as any[];
    const byCase = Object.fromEntries(cells.map((c) => [c.case_index, c]));
    expect([0, 1, 2, 3].map((i) => [byCase[i].status, byCase[i].error])).toEqual([
      ['ok', null],
      ['ok', null],
      ['error', 'The case has no value for {{year}} in the prompt (its variables: region)'],
      ['error', 'Template error in the query: Unclosed tag at 43'],
    ]);

    // Only the two cells that rendered reached the model.
    const received = fake
      .modelRequests()
      .map((r) => ({ system: extractSystem(r.body), user: upstreamUser(r.body) }));
    expect(received).toHaveLength(2);
    const rendered = received.find((r) => r.user.includes('factories'));
    expect(rendered?.system).toBe(
      [
        'You are Auspex, briefing analysts on EU & UK <north> for the year 2025.',
        'Raw form: EU & UK <north>. Answer from the articles and cite them; keep it short and factual.',
      ].join('\n'),
    );
    expect(rendered?.user).toContain('How are robots used in EU & UK <north> factories?');
    expect(rendered?.user).not.toContain('{{');
    const untouched = received.find((r) => r.user.includes('robot makers'));
    expect(untouched?.system).toBe(PROMPT);
    expect(untouched?.user).toContain('What does {{region}} mean for robot makers?');
  });

  it('resolves draft:ID by the rule the workshop applies: its author may evaluate it, anyone else gets 404', async () => {
    const start = await alice('POST', '/api/auspex/prompts/workshop/start', { starting_prompt: PROMPT });
    expect(start.statusCode, start.body).toBe(201);
    const draft = start.json().draft_id;
    const body = (suiteId: number) => ({
      suite_id: suiteId,
      variants: [{ prompt: `draft:${draft}`, model: MODEL }],
      dry_run: true,
    });
    const cases = [{ query: 'How are robots used in factories?', topic: TOPIC }];
    const mine = await alice('POST', '/api/evals/suites', { name: 'Draft suite', cases });
    const theirs = await bob('POST', '/api/evals/suites', { name: 'Draft suite', cases });
    expect((await alice('POST', '/api/evals/runs', body(mine.json().id))).statusCode).toBe(200);
    const refused = await bob('POST', '/api/evals/runs', body(theirs.json().id));
    expect([refused.statusCode, refused.json()]).toEqual([
      404,
      { detail: `Prompt ref "draft:${draft}": draft ${draft} not found` },
    ]);
    // The workshop answers the same: the draft does not exist for bob.
    const read = await bob('GET', `/api/auspex/prompts/workshop/drafts/${draft}`);
    expect([read.statusCode, read.json()]).toEqual([404, { detail: `Draft ${draft} not found` }]);
  });
});
