import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeUpstream, fakeOpenAiEnv, startFakeUpstream } from '../../../../test/fake-upstream/server';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app';
import { fixtureArticles, loadArticles } from '../../../../test/helpers/articles';
import { dialects } from '../../../../test/helpers/databases';

// Rules around runs on both engines: a pinned run must be the user's and of the same suite, and
// HEAD on the progress stream answers with headers at once instead of following the run.

const TOPIC = 'Robotics';
const MODEL = 'openai:gpt-4.1-mini';

describe.each(dialects)('run rules on $dialect', ({ create }) => {
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
      EVAL_LEASE_SECONDS: '5',
    });
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 6));
    const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const suite = async (who: Client, name: string, n = 2) => {
    const cases = Array.from({ length: n }, (_, i) => ({
      query: `What are robots doing in factories, case ${i}?`,
      topic: TOPIC,
    }));
    const res = await who('POST', '/api/evals/suites', { name, cases });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; name: string };
  };
  const start = async (who: Client, body: Record<string, unknown>) => {
    const res = await who('POST', '/api/evals/runs', body);
    expect(res.statusCode, res.body).toBe(202);
    return res.json() as { id: number };
  };
  // vi.waitFor rather than expect.poll: it also works in beforeAll.
  const settled = (who: Client, id: number) =>
    vi.waitFor(
      async () => {
        const { status } = (await who('GET', `/api/evals/runs/${id}`)).json();
        if (!['done', 'cancelled', 'failed'].includes(status)) throw new Error(`run ${id} is ${status}`);
      },
      { timeout: 30_000, interval: 50 },
    );

  describe('pinned_run_id', () => {
    let mine: { id: number; name: string };
    let other: { id: number; name: string };
    let mineRun: number;
    let otherRun: number;
    let bobRun: number;

    beforeAll(async () => {
      mine = await suite(alice, 'Pinned suite');
      other = await suite(alice, 'Other suite');
      const bobs = await suite(bob, 'Bob suite');
      mineRun = (await start(alice, { suite_id: mine.id, variants: [{ prompt: 'auspex_default' }] })).id;
      otherRun = (await start(alice, { suite_id: other.id, variants: [{ prompt: 'auspex_default' }] })).id;
      bobRun = (await start(bob, { suite_id: bobs.id, variants: [{ prompt: 'auspex_default' }] })).id;
      for (const [who, id] of [
        [alice, mineRun],
        [alice, otherRun],
        [bob, bobRun],
      ] as const)
        await settled(who, id);
    });

    const pinnedTo = (runId: number) => ({
      suite_id: mine.id,
      variants: [
        { prompt: 'auspex_default' },
        { prompt: 'auspex_default', retrieval: 'pinned', pinned_run_id: runId },
      ],
      dry_run: true,
    });

    it('accepts an earlier run of the same suite', async () => {
      const res = await alice('POST', '/api/evals/runs', pinnedTo(mineRun));
      expect({ status: res.statusCode, calls: res.json().estimate?.model_calls }).toEqual({
        status: 200,
        calls: 4,
      });
    });

    it.each([
      ['another user’s run', () => bobRun, 404, (id: number) => `Run ${id} (pinned_run_id) not found`],
      [
        'a run that does not exist',
        () => 987_654,
        404,
        (id: number) => `Run ${id} (pinned_run_id) not found`,
      ],
      [
        'a run of another suite',
        () => otherRun,
        400,
        (id: number) =>
          `pinned_run_id: run ${id} is of suite ${other.id} "Other suite", not suite ${mine.id} "Pinned suite"`,
      ],
    ])('refuses %s', async (_what, runId, status, detail) => {
      const id = runId();
      for (const dry_run of [true, false]) {
        const res = await alice('POST', '/api/evals/runs', { ...pinnedTo(id), dry_run });
        expect({ status: res.statusCode, detail: res.json().detail }).toEqual({ status, detail: detail(id) });
      }
      // Nothing was written by the refused requests.
      const runs = (await alice('GET', '/api/evals/runs')).json().runs;
      expect(runs.map((r: { id: number }) => r.id).sort()).toEqual([mineRun, otherRun].sort());
    });
  });

  it('refuses an answering model that does not exist: 404 naming it and why', async () => {
    const s = await suite(alice, 'Unknown model suite');
    for (const dry_run of [true, false]) {
      const res = await alice('POST', '/api/evals/runs', {
        suite_id: s.id,
        variants: [{ prompt: 'auspex_default', model: 'anthropic:no-such-model' }],
        dry_run,
      });
      expect({ status: res.statusCode, detail: res.json().detail }).toEqual({
        status: 404,
        detail:
          'Model "anthropic:no-such-model" not found: Model "anthropic:no-such-model": provider "anthropic" is not configured',
      });
    }
  });

  it('refuses a run whose case or suite names a judge model that does not exist: 404 naming it', async () => {
    const judge = { type: 'llm-rubric', rubric: 'Does it answer the question?' };
    const query = 'What are robots doing in factories today?';
    const bodies = {
      case: {
        cases: [{ query, topic: TOPIC, assertions: [{ ...judge, model: 'anthropic:no-such-judge' }] }],
      },
      suite: {
        cases: [{ query, topic: TOPIC }],
        scoring: { assertions: [{ ...judge, model: 'offline:no-such-judge' }] },
      },
    };
    const details = {
      case: 'Judge model "anthropic:no-such-judge" not found: Model "anthropic:no-such-judge": provider "anthropic" is not configured',
      suite:
        'Judge model "offline:no-such-judge" not found: Unknown model "offline:no-such-judge"; the offline model is offline:demo',
    };
    for (const where of ['case', 'suite'] as const) {
      const created = await alice('POST', '/api/evals/suites', { name: `Judge ${where}`, ...bodies[where] });
      expect(created.statusCode, created.body).toBe(201);
      for (const dry_run of [true, false]) {
        const res = await alice('POST', '/api/evals/runs', {
          suite_id: created.json().id,
          variants: [{ prompt: 'auspex_default' }],
          dry_run,
        });
        expect({ status: res.statusCode, detail: res.json().detail }).toEqual({
          status: 404,
          detail: details[where],
        });
      }
    }
    const runs = (await alice('GET', '/api/evals/runs')).json().runs as { suite_name: string }[];
    expect(runs.filter((r) => r.suite_name.startsWith('Judge '))).toEqual([]);
  });

  it('GET …/progress gives counts, spend and status without aggregates', async () => {
    const s = await suite(alice, 'Progress suite', 3);
    const run = await start(alice, { suite_id: s.id, variants: [{ prompt: 'auspex_default' }] });
    await settled(alice, run.id);
    const full = (await alice('GET', `/api/evals/runs/${run.id}`)).json();
    const res = await alice('GET', `/api/evals/runs/${run.id}/progress`);
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 200,
      body: { id: run.id, status: 'done', counts: full.counts, spent_usd: full.spent_usd, eta_seconds: null },
    });
    expect(full.counts).toEqual({ total: 3, pending: 0, running: 0, ok: 3, error: 0, skipped: 0 });
    expect((await bob('GET', `/api/evals/runs/${run.id}/progress`)).statusCode).toBe(404);
  });

  describe('HEAD /api/evals/runs/{id}/events', () => {
    it('answers with the stream’s headers and no body while the run is still going', async () => {
      const s = await suite(alice, 'Head suite', 3);
      fake.reset();
      const slow = { chunks: ['slow ', 'answer'], chunkDelayMs: 2000 };
      fake.enqueue(...Array.from({ length: 3 }, () => slow));
      const run = await start(alice, {
        suite_id: s.id,
        variants: [{ prompt: 'auspex_default' }],
        concurrency: 1,
      });
      const res = await alice('HEAD', `/api/evals/runs/${run.id}/events`);
      expect({
        status: res.statusCode,
        type: res.headers['content-type'],
        body: res.body,
      }).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8', body: '' });
      // It answered before the run ended: it did not follow the stream.
      expect((await alice('GET', `/api/evals/runs/${run.id}`)).json().status).toMatch(/^(queued|running)$/);
      expect((await bob('HEAD', `/api/evals/runs/${run.id}/events`)).statusCode).toBe(404);
      expect((await alice('HEAD', '/api/evals/runs/987654/events')).statusCode).toBe(404);
      expect((await alice('POST', `/api/evals/runs/${run.id}/cancel`)).statusCode).toBe(200);
      await settled(alice, run.id);
    });
  });
});
