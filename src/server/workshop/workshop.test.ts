import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractSystem } from '../../../test/fake-upstream/server';
import { type Client, memberClient } from '../../../test/helpers/app';
import { sseEvents } from '../../../test/helpers/articles';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  DRAFT_TEXT,
  MODEL,
  readyDraft,
  startWorkshopApp,
  TOPIC,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';
import { WORKSHOP_META_PROMPT } from './meta-prompt';

// The seed's testing plan over HTTP: start, converse, edit, test (JSON and streamed), rate,
// history, commit, clone, delete, on both engines, with the fake OpenAI upstream as the model.

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe.each(dialects)('workshop routes on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
  });
  afterAll(async () => f?.close());
  beforeEach(() => f.fake.reset());

  it('runs the seed testing plan: start, update, test, history, rate, commit', async () => {
    const { alice, fake } = f;
    const start = await alice('POST', `${BASE}/start`, {
      requirements: 'I need a financial analysis prompt',
      draft_name: 'Finance brief',
    });
    expect(start.statusCode).toBe(201);
    const started = start.json();
    expect(started).toEqual({
      draft_id: expect.any(Number),
      chat_id: expect.any(Number),
      draft_name: 'Finance brief',
      status: 'draft',
      initial_message: expect.stringMatching(/^Fake upstream reply\./),
      created_at: expect.any(String),
      reused: false,
    });
    // The assistant got the meta-prompt as system prompt and the requirements as the first turn.
    const [opening] = fake.modelRequests();
    expect(extractSystem(opening.body).startsWith(WORKSHOP_META_PROMPT)).toBe(true);
    expect(extractSystem(opening.body)).toContain('Draft name: Finance brief');
    expect(started.initial_message).toContain(
      'Last user message: "Here is what I need: I need a financial analysis prompt"',
    );

    const id = started.draft_id;
    const draft = await alice('GET', `${BASE}/drafts/${id}`);
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toEqual({
      id,
      user_id: expect.any(Number),
      draft_name: 'Finance brief',
      draft_content: '',
      draft_description: 'I need a financial analysis prompt',
      workshop_chat_id: started.chat_id,
      parent_prompt_name: null,
      parent_prompt_version: null,
      status: 'draft',
      test_count: 0,
      revision: 1,
      created_at: started.created_at,
      updated_at: started.created_at,
    });

    const messages = await alice('GET', `/api/auspex/chat/sessions/${started.chat_id}/messages`);
    expect(messages.json().messages.map((m: any) => [m.role, m.content])).toEqual([
      ['user', 'Here is what I need: I need a financial analysis prompt'],
      ['assistant', started.initial_message],
    ]);

    const put = await alice('PUT', `${BASE}/drafts/${id}`, { draft_content: DRAFT_TEXT, revision: 1 });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ draft_content: DRAFT_TEXT, revision: 2, status: 'draft' });

    fake.reset();
    const test = await alice('POST', `${BASE}/drafts/${id}/test`, testBody({ notes: 'first try' }));
    expect(test.statusCode).toBe(200);
    const result = test.json();
    const upstream = fake.modelRequests();
    expect(upstream).toHaveLength(1);
    expect(extractSystem(upstream[0].body)).toBe(DRAFT_TEXT);
    expect(result).toEqual({
      test_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      draft_id: id,
      query: 'How are companies adopting robotics?',
      topic: TOPIC,
      response_preview: result.response.slice(0, 500),
      response: expect.stringMatching(
        /^Fake upstream reply\. System prompt begins: "You are Auspex, a research/,
      ),
      response_length: result.response.length,
      tools_used: [],
      tool_calls: [],
      article_count: 5,
      article_ids: expect.any(Array),
      article_limit: 5,
      execution_time_ms: expect.any(Number),
      first_token_ms: expect.any(Number),
      model: MODEL,
      input_tokens: expect.any(Number),
      output_tokens: expect.any(Number),
      cost_usd: expect.any(Number),
      status: 'ok',
      error: null,
      content_sha256: sha256(DRAFT_TEXT),
      tested_content: DRAFT_TEXT,
      timestamp: expect.any(String),
      user_rating: null,
      notes: 'first try',
      // Scored like an evaluation cell (test-scoring.test.ts marks citations): this reply cites nothing.
      scoring: {
        passed: false,
        score: 0.5,
        scores: [
          ['citations-grounded', false],
          ['citation-coverage', false],
          ['quotes-verified', true],
          ['dates-match', true],
        ].map(([type, pass]) => expect.objectContaining({ type, pass, status: 'ok' })),
        grounding: { precision: null, invented_urls: [], coverage: 0, citations: [], quotes: [], dates: [] },
      },
    });
    expect(result.article_ids).toHaveLength(5);

    // The first test moved the draft to testing without touching the client's revision.
    expect((await alice('GET', `${BASE}/drafts/${id}`)).json()).toMatchObject({
      status: 'testing',
      test_count: 1,
      revision: 2,
    });

    const history = await alice('GET', `${BASE}/drafts/${id}/tests`);
    expect(history.json()).toEqual({
      draft_id: id,
      test_results: [result],
      total_tests: 1,
      next_before: null,
    });

    const rated = await alice('PATCH', `${BASE}/drafts/${id}/tests/${result.test_id}`, {
      user_rating: 4,
      notes: 'good citations',
    });
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toEqual({ ...result, user_rating: 4, notes: 'good citations' });
    expect((await alice('GET', `${BASE}/drafts/${id}/tests`)).json().test_results[0]).toMatchObject({
      user_rating: 4,
      notes: 'good citations',
    });

    const commit = await alice('POST', `${BASE}/drafts/${id}/commit`, {
      name: 'finance_brief',
      title: 'Finance brief',
      description: 'Briefings for analysts',
    });
    expect(commit.statusCode).toBe(201);
    expect(commit.json()).toEqual({
      prompt_id: expect.any(Number),
      name: 'finance_brief',
      version: 1,
      message: 'Draft committed as prompt "finance_brief"',
    });
    expect((await alice('GET', `${BASE}/drafts/${id}`)).json().status).toBe('committed');
    const prompt = await alice('GET', '/api/auspex/prompts/finance_brief');
    expect(prompt.json()).toMatchObject({
      name: 'finance_brief',
      title: 'Finance brief',
      description: 'Briefings for analysts',
      owner: 'alice',
      version: 1,
      content: DRAFT_TEXT,
    });
    const versions = await alice('GET', '/api/auspex/prompts/finance_brief/versions');
    expect(versions.json().versions).toEqual([
      expect.objectContaining({ version: 1, source_draft_id: id, author: 'alice' }),
    ]);

    const list = await alice('GET', `${BASE}/drafts?status_filter=committed`);
    expect(list.json()).toEqual({
      drafts: [
        {
          id,
          user_id: expect.any(Number),
          draft_name: 'Finance brief',
          draft_description: 'I need a financial analysis prompt',
          workshop_chat_id: started.chat_id,
          parent_prompt_name: null,
          parent_prompt_version: null,
          status: 'committed',
          test_count: 1,
          revision: 2,
          content_length: DRAFT_TEXT.length,
          content_preview: DRAFT_TEXT.slice(0, 200),
          created_at: started.created_at,
          updated_at: expect.any(String),
        },
      ],
      total: 1,
    });
  });

  it('streams a test run with Accept: text/event-stream and ends with the stored result', async () => {
    const { id } = await readyDraft(f.alice);
    f.fake.enqueue({ chunks: ['Robots ', 'are ', 'arriving.'] });
    const res = await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody({ user_rating: 5 }), {
      accept: 'text/event-stream',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = sseEvents(res.body);
    expect(events.slice(0, -1)).toEqual([
      { content: 'Robots ' },
      { content: 'are ' },
      { content: 'arriving.' },
    ]);
    const done = events.at(-1)!;
    expect(done).toMatchObject({
      done: true,
      status: 'ok',
      response: 'Robots are arriving.',
      user_rating: 5,
    });
    const stored = (await f.alice('GET', `${BASE}/drafts/${id}/tests`)).json().test_results;
    const { done: _d, ...result } = done;
    expect(stored).toEqual([result]);
  });

  it('stores a failed run and answers 502 with it (JSON) or an error event (stream)', async () => {
    const { id } = await readyDraft(f.alice);
    f.fake.enqueue({ status: 500, error: { message: 'upstream exploded' } });
    const res = await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody());
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      detail: expect.stringMatching(/^The test run failed: /),
      result: { status: 'error', error: expect.any(String), response: '' },
    });
    f.fake.enqueue({ status: 500 });
    const streamed = await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody(), {
      accept: 'text/event-stream',
    });
    const events = sseEvents(streamed.body);
    expect(events.map((e) => Object.keys(e)[0])).toEqual(['error', 'done']);
    expect(events[1]).toMatchObject({ done: true, status: 'error' });
    const stored = (await f.alice('GET', `${BASE}/drafts/${id}/tests`)).json();
    expect(stored.total_tests).toBe(2);
    expect(stored.test_results.map((r: any) => r.status)).toEqual(['error', 'error']);
  });

  it('keeps only the preview when store_full_response is false', async () => {
    const { id } = await readyDraft(f.alice);
    const long = 'x'.repeat(1200);
    f.fake.enqueue({ text: long });
    const res = await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody({ store_full_response: false }));
    expect(res.json()).toMatchObject({
      response: long.slice(0, 500),
      response_preview: long.slice(0, 500),
      response_length: 1200,
    });
  });

  it('clones a library prompt; commits of the clone add versions to the user’s own prompt', async () => {
    const { alice, bob } = f;
    const own = await readyDraft(alice);
    await alice('POST', `${BASE}/drafts/${own.id}/commit`, { name: 'alice_prompt', title: 'Alice prompt' });

    const clone = await alice('POST', '/api/auspex/prompts/alice_prompt/clone?clone_name=Alice%20v2');
    expect(clone.statusCode).toBe(201);
    expect(clone.json()).toEqual({
      draft_id: expect.any(Number),
      chat_id: expect.any(Number),
      parent_prompt: 'alice_prompt',
      message: 'Cloned "alice_prompt" version 1 into draft "Alice v2"',
    });
    const cloneId = clone.json().draft_id;
    expect((await alice('GET', `${BASE}/drafts/${cloneId}`)).json()).toMatchObject({
      draft_name: 'Alice v2',
      draft_content: DRAFT_TEXT,
      parent_prompt_name: 'alice_prompt',
      status: 'draft',
    });
    // The assistant saw the cloned prompt in the opening turn.
    expect(JSON.stringify(f.fake.modelRequests().at(-1)!.body)).toContain(
      'I am starting from the library prompt',
    );

    await alice('PUT', `${BASE}/drafts/${cloneId}`, { draft_content: `${DRAFT_TEXT}\n- Version two.` });
    const v2 = await alice('POST', `${BASE}/drafts/${cloneId}/commit`, {
      name: 'alice_prompt',
      title: 'Alice prompt 2',
    });
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({
      version: 2,
      message: 'Draft committed as version 2 of prompt "alice_prompt"',
    });
    // Committing the same draft again adds another version.
    await alice('PUT', `${BASE}/drafts/${cloneId}`, { draft_content: `${DRAFT_TEXT}\n- Version three.` });
    const v3 = await alice('POST', `${BASE}/drafts/${cloneId}/commit`, {
      name: 'alice_prompt',
      title: 'Alice prompt 3',
    });
    expect(v3.json()).toMatchObject({ version: 3 });
    expect((await alice('GET', '/api/auspex/prompts/alice_prompt')).json()).toMatchObject({
      version: 3,
      title: 'Alice prompt 3',
      content: `${DRAFT_TEXT}\n- Version three.`,
    });

    // An unrelated draft may not take over a name, not even its owner's.
    const other = await readyDraft(alice);
    const taken = await alice('POST', `${BASE}/drafts/${other.id}/commit`, {
      name: 'alice_prompt',
      title: 'Takeover',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toEqual({
      detail: 'A prompt named "alice_prompt" already exists; choose another name',
    });

    // Bob may clone Alice's prompt but not commit back under its name.
    const bobClone = await bob('POST', '/api/auspex/prompts/alice_prompt/clone');
    expect(bobClone.statusCode).toBe(201);
    const bobDraft = (await bob('GET', `${BASE}/drafts/${bobClone.json().draft_id}`)).json();
    expect(bobDraft.draft_name).toBe('alice_prompt v3 — draft 1');
    const bobCommit = await bob('POST', `${BASE}/drafts/${bobDraft.id}/commit`, {
      name: 'alice_prompt',
      title: 'Bob version',
    });
    expect(bobCommit.statusCode).toBe(409);
    expect((await alice('GET', '/api/auspex/prompts/alice_prompt')).json().version).toBe(3);
    expect((await bob('GET', `${BASE}/drafts/${bobDraft.id}`)).json().status).toBe('draft');

    const missing = await alice('POST', '/api/auspex/prompts/no_such_prompt/clone');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Prompt "no_such_prompt" not found' });
  });

  it('shares /api/auspex/prompts/ with the library without a routing clash', async () => {
    const { alice } = f;
    // The library reserves the name; the parametric routes still answer for it.
    const made = await alice('POST', '/api/auspex/prompts', {
      name: 'workshop',
      title: 'Clash test',
      content: DRAFT_TEXT,
    });
    expect(made.statusCode).toBe(400);
    expect((await alice('GET', '/api/auspex/prompts/workshop')).json()).toEqual({
      detail: 'Prompt "workshop" not found',
    });
    expect((await alice('POST', '/api/auspex/prompts/workshop/clone')).json()).toEqual({
      detail: 'Prompt "workshop" not found',
    });
    expect((await alice('GET', '/api/auspex/prompts/auspex_default/versions')).statusCode).toBe(200);
    expect((await alice('POST', '/api/auspex/prompts/auspex_default/clone')).statusCode).toBe(201);
    expect((await alice('GET', `${BASE}/drafts`)).statusCode).toBe(200);
    expect((await alice('GET', `${BASE}/stats`)).statusCode).toBe(200);
  });

  it('answers messages in a workshop chat with the design assistant, not Auspex', async () => {
    const { id, chatId } = await readyDraft(f.alice);
    await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody());
    await f.alice(
      'PATCH',
      `${BASE}/drafts/${id}/tests/${(await f.alice('GET', `${BASE}/drafts/${id}/tests`)).json().test_results[0].test_id}`,
      {
        user_rating: 2,
        notes: 'too vague',
      },
    );
    f.fake.reset();
    const res = await f.alice('POST', '/api/auspex/chat/message', {
      chat_id: chatId,
      message: 'Make it stricter',
    });
    expect(res.statusCode).toBe(200);
    const events = sseEvents(res.body);
    expect(events.at(-1)).toMatchObject({ done: true, status: 'ok', draft_id: id, workshop_assistant: true });
    const [req] = f.fake.modelRequests();
    const system = extractSystem(req.body);
    expect(system.startsWith(WORKSHOP_META_PROMPT)).toBe(true);
    expect(system).toContain(DRAFT_TEXT);
    expect(system).toContain('rated 2/5, notes: "too vague"');
    // No articles were retrieved: the assistant designs prompts, it does not research.
    expect(JSON.stringify(req.body)).not.toContain('<article');
    const users = (req.body.messages as any[]).filter((m) => m.role === 'user').map((m) => m.content);
    expect(users).toEqual(['Here is what I need: A prompt for AI adoption briefings', 'Make it stricter']);
  });

  it('starts nothing when the assistant’s model fails', async () => {
    const before = (await f.bob('GET', `${BASE}/drafts`)).json().total;
    f.fake.enqueue({ status: 500, error: { message: 'down' } });
    const res = await f.bob('POST', `${BASE}/start`, {});
    expect(res.statusCode).toBe(502);
    expect(res.json().detail).toMatch(/^The workshop assistant could not answer: /);
    expect((await f.bob('GET', `${BASE}/drafts`)).json().total).toBe(before);
  });

  describe('reuse_blank: the web app’s "Workshop" opens the untouched blank draft again', () => {
    const touch: [string, (c: Client, id: number, chatId: number) => ReturnType<Client>][] = [
      ['text in the editor', (c, id) => c('PUT', `${BASE}/drafts/${id}`, { draft_content: 'x' })],
      ['a new name', (c, id) => c('PUT', `${BASE}/drafts/${id}`, { draft_name: 'Named draft' })],
      [
        'a message to the assistant',
        (c, _id, chatId) =>
          c('POST', '/api/auspex/chat/message', { chat_id: chatId, message: 'Hello there' }),
      ],
    ];

    it.each(touch)('opens it again, until it has %s', async (_what, act) => {
      const c = await memberClient(f.t, f.admin, `reuser${Math.floor(Math.random() * 1e9)}`);
      const first = await c('POST', `${BASE}/start`, { reuse_blank: true });
      expect(first.statusCode).toBe(201);
      const again = await c('POST', `${BASE}/start`, { reuse_blank: true });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ ...first.json(), reused: true });
      // The seed's start without the flag, and a start that asks for something, still make new drafts.
      const plain = await c('POST', `${BASE}/start`, {});
      expect(plain.statusCode).toBe(201);
      await c('DELETE', `${BASE}/drafts/${plain.json().draft_id}`);
      const asked = await c('POST', `${BASE}/start`, { reuse_blank: true, requirements: 'A tech brief' });
      expect(asked.json()).toMatchObject({ reused: false });
      // …and the draft it made is about that brief: never reopened as a blank one.
      expect((await c('POST', `${BASE}/start`, { reuse_blank: true })).json()).toEqual({
        ...first.json(),
        reused: true,
      });
      await c('DELETE', `${BASE}/drafts/${asked.json().draft_id}`);

      expect((await act(c, first.json().draft_id, first.json().chat_id)).statusCode).toBe(200);
      const after = await c('POST', `${BASE}/start`, { reuse_blank: true });
      expect(after.statusCode).toBe(201);
      expect(after.json().draft_id).not.toBe(first.json().draft_id);
      // Nobody else's blank draft is ever opened.
      const other = await f.bob('POST', `${BASE}/start`, { reuse_blank: true });
      expect(other.json().draft_id).not.toBe(after.json().draft_id);
    });
  });

  it('names blank drafts by date and deletes a draft with its chat', async () => {
    const start = await f.alice('POST', `${BASE}/start`, {});
    expect(start.json().draft_name).toMatch(/^Untitled draft \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const del = await f.alice('DELETE', `${BASE}/drafts/${start.json().draft_id}`);
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({
      message: `Draft ${start.json().draft_id} deleted with its conversation and test runs`,
      draft_id: start.json().draft_id,
    });
    expect((await f.alice('GET', `${BASE}/drafts/${start.json().draft_id}`)).statusCode).toBe(404);
    expect(
      (await f.alice('GET', `/api/auspex/chat/sessions/${start.json().chat_id}/messages`)).statusCode,
    ).toBe(404);
  });
});
