import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, fakeOpenAiEnv, startFakeUpstream } from '../../../../test/fake-upstream/server';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app';
import { fixtureArticles, loadArticles, sseEvents } from '../../../../test/helpers/articles';
import { dialects } from '../../../../test/helpers/databases';
import type { AuthUser } from '../../auth/types';
import { type CellCursor, progressOf } from './service';

// Evaluation runs over HTTP on both engines, against the fake upstream: every cell stored once,
// 429 storms survived, cancel, budget, pinned retrieval, bad input.

const TOPIC = 'Robotics';
const MODEL = 'openai:gpt-4.1-mini';
const PROMPT = `You are Auspex. ${'Answer from the articles and cite them. '.repeat(4)}`;

describe.each(dialects)('evaluation runs on $dialect', ({ create }) => {
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
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 12));
    const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
    const prompt = await alice('POST', '/api/auspex/prompts', {
      name: 'eval_prompt',
      title: 'Eval prompt',
      content: PROMPT,
    });
    expect(prompt.statusCode, prompt.body).toBe(201);
    await alice('PUT', '/api/auspex/prompts/eval_prompt', { content: `${PROMPT} Be brief.` });
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const suite = async (n: number) => {
    const cases = Array.from({ length: n }, (_, i) => ({
      query: `What are robots doing in factories, case ${i}?`,
      topic: TOPIC,
    }));
    const res = await alice('POST', '/api/evals/suites', { name: `Suite ${Math.random()}`, cases });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  const start = async (body: Record<string, unknown>, who = alice) => {
    const res = await who('POST', '/api/evals/runs', body);
    expect(res.statusCode, res.body).toBe(202);
    return res.json();
  };
  const settled = async (id: number) => {
    await expect
      .poll(async () => (await alice('GET', `/api/evals/runs/${id}`)).json().status, { timeout: 60_000 })
      .toMatch(/^(done|cancelled|failed)$/);
    return (await alice('GET', `/api/evals/runs/${id}`)).json();
  };
  const cellsOf = async (id: number) => (await alice('GET', `/api/evals/runs/${id}/cells?limit=1000`)).json();

  it('estimates before running: calls and a cost from the catalog (dry run)', async () => {
    const suiteId = await suite(3);
    const res = await alice('POST', '/api/evals/runs', {
      suite_id: suiteId,
      variants: [
        { prompt: 'eval_prompt@1', model: MODEL },
        { prompt: 'eval_prompt', model: 'offline:demo' },
      ],
      repetitions: 2,
      dry_run: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      dry_run: true,
      estimate: {
        model_calls: 12,
        estimated_cost_usd: expect.any(Number),
        unpriced_models: [],
        assumed_input_tokens: expect.any(Number),
        assumed_output_tokens: 600,
      },
    });
    expect(res.json().estimate.estimated_cost_usd).toBeGreaterThan(0);
    expect(await t.ctx.db.selectFrom('eval_runs').selectAll().execute()).toEqual([]);
  });

  it('runs 50 cases × 2 variants × 2 repetitions into exactly 200 cells', async () => {
    const suiteId = await suite(50);
    fake.reset();
    const run = await start({
      suite_id: suiteId,
      variants: [{ prompt: 'eval_prompt@1' }, { prompt: 'eval_prompt@2', limit: 5 }],
      repetitions: 2,
      concurrency: 16,
    });
    expect(run).toMatchObject({ status: 'queued', counts: { total: 200, pending: 200 } });
    expect(run.variants.map((v: any) => v.prompt_label)).toEqual(['eval_prompt v1', 'eval_prompt v2']);
    const done = await settled(run.id);
    expect(done).toMatchObject({
      status: 'done',
      counts: { total: 200, ok: 200, pending: 0, running: 0, error: 0 },
    });
    expect(done.aggregates.map((a: any) => [a.variant_index, a.cells, a.ok])).toEqual([
      [0, 100, 100],
      [1, 100, 100],
    ]);
    expect(fake.modelRequests()).toHaveLength(200);
    const { total, cells } = await cellsOf(run.id);
    expect(total).toBe(200);
    const keys = new Set(cells.map((c: any) => `${c.case_index}/${c.variant_index}/${c.repetition}`));
    expect(keys.size).toBe(200);
    expect(cells[0]).toMatchObject({
      status: 'ok',
      attempts: 1,
      answer: expect.stringContaining('Fake upstream reply'),
      article_ids: expect.arrayContaining([expect.any(Number)]),
      corpus_fingerprint: expect.stringMatching(/^12:\d+$/),
    });
    // Each variant's prompt text reached the model.
    const systems = fake.modelRequests().map((r) => JSON.stringify(r.body));
    expect(systems.filter((s) => s.includes('Be brief.'))).toHaveLength(100);
  });

  // Samples a run until it ends: the most model requests the fake had open at once, and the most
  // cells the run had claimed (running) at once.
  const peaks = async (id: number) => {
    const most = { calls: 0, claimed: 0 };
    for (;;) {
      const open = fake.modelRequests().filter((r) => r.outcome === 'pending').length;
      const p = (await alice('GET', `/api/evals/runs/${id}/progress`)).json();
      most.calls = Math.max(most.calls, open);
      most.claimed = Math.max(most.claimed, p.counts.running);
      if (['done', 'cancelled', 'failed'].includes(p.status)) return most;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it.each([
    { budget: null, claimedAhead: 3 },
    // With a budget nothing is claimed ahead, so no call starts that the budget check would refuse.
    { budget: 100, claimedAhead: 0 },
  ])(
    'keeps at most its concurrency of calls open, claiming ahead only without a budget (budget $budget)',
    async ({ budget, claimedAhead }) => {
      const suiteId = await suite(12);
      fake.reset();
      fake.enqueue(
        ...Array.from({ length: 12 }, () => ({ chunks: ['an ', 'answer'], firstByteDelayMs: 150 })),
      );
      const run = await start({
        suite_id: suiteId,
        variants: [{ prompt: 'eval_prompt' }],
        concurrency: 3,
        ...(budget === null ? {} : { budget_usd: budget }),
      });
      const seen = peaks(run.id);
      // Claimed ahead: the cells waiting for a call slot hold their claims while the calls run.
      await expect
        .poll(async () => (await alice('GET', `/api/evals/runs/${run.id}/progress`)).json().counts.running)
        .toBe(3 + claimedAhead);
      expect(await seen).toEqual({ calls: 3, claimed: 3 + claimedAhead });
      expect((await settled(run.id)).counts).toMatchObject({ ok: 12, skipped: 0 });
    },
  );

  it('runs an agentic variant: its tool calls run between the steps of the cell’s one call', async () => {
    const suiteId = await suite(1);
    fake.reset();
    fake.enqueue(
      {
        toolCalls: [{ name: 'search_articles', input: { query: 'factory robots', topic: TOPIC, limit: 2 } }],
      },
      { text: 'Done with tools.' },
    );
    const run = await start({ suite_id: suiteId, variants: [{ prompt: 'eval_prompt', agentic: true }] });
    expect((await settled(run.id)).counts).toMatchObject({ ok: 1, error: 0 });
    const [cell] = (await cellsOf(run.id)).cells;
    expect({ status: cell.status, answer: cell.answer }).toEqual({
      status: 'ok',
      answer: 'Done with tools.',
    });
    // The step after the tool call sends the tool's result back to the model.
    expect(fake.modelRequests().map((r) => r.body.messages.some((m: any) => m.role === 'tool'))).toEqual([
      false,
      true,
    ]);
  });

  it('slows down under a storm of 429s but finishes every cell', async () => {
    const suiteId = await suite(6);
    fake.reset();
    fake.enqueue(...Array.from({ length: 10 }, () => ({ status: 429, retryAfter: 0 })));
    const run = await start({ suite_id: suiteId, variants: [{ prompt: 'eval_prompt' }], concurrency: 8 });
    const done = await settled(run.id);
    expect(done.counts).toMatchObject({ ok: 6, error: 0 });
    const { cells } = await cellsOf(run.id);
    expect(cells.some((c: any) => c.attempts > 1)).toBe(true);
  });

  it('stops on cancel: nothing new starts and the rest is skipped', async () => {
    const suiteId = await suite(20);
    fake.reset();
    const slow = { chunks: ['slow ', 'answer'], chunkDelayMs: 300 };
    // Two quick answers, then calls that are still running when the cancel comes.
    fake.enqueue(
      { text: 'quick answer one' },
      { text: 'quick answer two' },
      ...Array.from({ length: 40 }, () => slow),
    );
    const run = await start({ suite_id: suiteId, variants: [{ prompt: 'eval_prompt' }], concurrency: 2 });
    await expect
      .poll(async () => (await alice('GET', `/api/evals/runs/${run.id}/progress`)).json().counts.ok)
      .toBe(2);
    await expect.poll(() => fake.modelRequests().length).toBeGreaterThan(2);
    const cancelled = await alice('POST', `/api/evals/runs/${run.id}/cancel`);
    expect(cancelled.json().status).toBe('cancelled');
    const after = fake.modelRequests().length;
    await fake.idle();
    await settled(run.id);
    // The calls in flight are aborted and their cells skipped a moment after the cancel answers.
    await expect
      .poll(async () => {
        const { counts } = (await alice('GET', `/api/evals/runs/${run.id}`)).json();
        return counts.pending + counts.running;
      })
      .toBe(0);
    const done = (await alice('GET', `/api/evals/runs/${run.id}`)).json();
    expect(done.status).toBe('cancelled');
    expect(done.counts).toMatchObject({ ok: 2, skipped: 18 });
    // The mean times are the two answers' alone, not pulled down by the cancelled calls' few ms.
    const answered = (await cellsOf(run.id)).cells.filter((c: any) => c.status === 'ok');
    const mean = (k: string) => answered.reduce((sum: number, c: any) => sum + c[k], 0) / answered.length;
    expect(done.aggregates[0].mean_execution_time_ms).toBeCloseTo(mean('execution_time_ms'), 6);
    expect(done.aggregates[0].mean_first_token_ms).toBeCloseTo(mean('first_token_ms'), 6);
    // No request started after the cancel answered.
    expect(fake.modelRequests().length).toBe(after);
    const again = await alice('POST', `/api/evals/runs/${run.id}/cancel`);
    expect({ status: again.statusCode, detail: again.json().detail }).toEqual({
      status: 409,
      detail: `Run ${run.id} has already ended (cancelled)`,
    });
  });

  it('stops at the budget and marks the cells left skipped: budget', async () => {
    const suiteId = await suite(30);
    fake.reset();
    const run = await start({
      suite_id: suiteId,
      variants: [{ prompt: 'eval_prompt' }],
      concurrency: 1,
      budget_usd: 0.002,
    });
    const done = await settled(run.id);
    expect(done.status).toBe('done');
    expect(done.spent_usd).toBeGreaterThanOrEqual(0.002);
    expect(done.counts.ok).toBeLessThan(30);
    const skipped = (await alice('GET', `/api/evals/runs/${run.id}/cells?status=skipped&limit=1000`)).json();
    expect(skipped.total).toBe(30 - done.counts.ok);
    expect(new Set(skipped.cells.map((c: any) => c.skipped_reason))).toEqual(new Set(['budget']));
  });

  it('sends the same articles per case with pinned retrieval', async () => {
    const suiteId = await suite(3);
    const first = await settled(
      (await start({ suite_id: suiteId, variants: [{ prompt: 'eval_prompt', limit: 5 }] })).id,
    );
    // The corpus moves on: new articles that would now be retrieved.
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 6, 3, 'robotics-new'));
    const pinned = await settled(
      (
        await start({
          suite_id: suiteId,
          variants: [{ prompt: 'eval_prompt', limit: 5, retrieval: 'pinned', pinned_run_id: first.id }],
        })
      ).id,
    );
    const ids = async (id: number) =>
      (await cellsOf(id)).cells.map((c: any) => [c.case_index, [...c.article_ids].sort()]);
    expect(await ids(pinned.id)).toEqual(await ids(first.id));
  });

  it('streams progress until the run ends', async () => {
    const suiteId = await suite(4);
    const run = await start({ suite_id: suiteId, variants: [{ prompt: 'eval_prompt' }], concurrency: 2 });
    const res = await alice('GET', `/api/evals/runs/${run.id}/events`);
    const events = sseEvents(res.body);
    // Each finished cell whole, as GET …/cells gives it: the run page draws it as it comes.
    const streamed = events.filter((e) => e.cell).map((e) => e.cell);
    const stored = (await cellsOf(run.id)).cells;
    expect(streamed.sort((a: any, b: any) => a.id - b.id)).toEqual(
      stored.sort((a: any, b: any) => a.id - b.id),
    );
    expect(streamed).toHaveLength(4);
    expect(events.some((e) => e.progress)).toBe(true);
    expect(events.at(-1)).toMatchObject({ done: true, run_status: 'done', counts: { ok: 4 } });
  });

  it('streams every finished cell once, more than one event carries, before it says done', async () => {
    const suiteId = await suite(300);
    const run = await start({
      suite_id: suiteId,
      variants: [{ prompt: 'eval_prompt' }, { prompt: 'eval_prompt@1' }],
      concurrency: 64,
    });
    // Followed only once it has ended, all 600 cells are due at once: more than one event's worth.
    await settled(run.id);
    const events = sseEvents((await alice('GET', `/api/evals/runs/${run.id}/events`)).body);
    const streamed = events.filter((e) => e.cell).map((e) => e.cell.id);
    const stored = (await cellsOf(run.id)).cells.map((c: any) => c.id);
    expect(new Set(streamed).size).toBe(streamed.length);
    expect(streamed.sort((a: number, b: number) => a - b)).toEqual(
      stored.sort((a: number, b: number) => a - b),
    );
    expect(events.at(-1)).toMatchObject({ done: true, run_status: 'done', counts: { ok: 600 } });

    // More cells finished within the look-back than it reads, all of them sent: the stream still
    // moves on to the next ones (it used to stall, sending nothing more, past ~4,000 cells/s).
    const user = (await t.ctx.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow()) as unknown as AuthUser;
    const ordered = events.filter((e) => e.cell).map((e) => e.cell);
    const cursor: CellCursor = {
      since: ordered[299].finished_at,
      sent: new Map(ordered.slice(0, 300).map((c: any) => [c.id, c.finished_at])),
    };
    // A cell sent long before the look-back: the cursor forgets it instead of keeping every id.
    cursor.sent.set(-1, '2000-01-01T00:00:00.000Z');
    const next = await progressOf(t.ctx, user, run.id, cursor, 100);
    const unsent = ordered.slice(300).map((c: any) => c.id);
    expect(next.finished.map((c) => c.id)).toEqual(unsent.slice(0, next.finished.length));
    expect(next.finished.length).toBeGreaterThan(0);
    const newest = next.finished.at(-1)!;
    expect(cursor.since).toBe(newest.finished_at);
    expect(cursor.sent.has(-1)).toBe(false);
    expect(cursor.sent.get(newest.id)).toBe(newest.finished_at);
  });

  it.each([
    [{ variants: [] }, 400, 'body.variants: give 1–8 variants'],
    [
      { variants: Array.from({ length: 9 }, () => ({ prompt: 'eval_prompt' })) },
      400,
      'body.variants: give 1–8 variants',
    ],
    [{ repetitions: 0 }, 400, 'body.repetitions: repetitions must be 1–10'],
    [{ repetitions: 11 }, 400, 'body.repetitions: repetitions must be 1–10'],
    [
      { variants: [{ prompt: 'nope_prompt' }] },
      404,
      'Prompt ref "nope_prompt": prompt "nope_prompt" not found',
    ],
    [
      { variants: [{ prompt: 'eval_prompt@9' }] },
      404,
      'Prompt ref "eval_prompt@9": version 9 of "eval_prompt" not found',
    ],
    [
      { variants: [{ prompt: 'eval_prompt@prod' }] },
      404,
      'Prompt ref "eval_prompt@prod": label "prod" of "eval_prompt" not found',
    ],
    [{ variants: [{ prompt: 'draft:99' }] }, 404, 'Prompt ref "draft:99": draft 99 not found'],
    [{ variants: [{ prompt: 'eval_prompt', model: 'nope:model' }] }, 404, /^Model "nope:model"/],
    [{ budget_usd: 0.0000001 }, 400, /^budget_usd 1e-7 is below the estimated cost of one call/],
    [{ suite_id: 2147483648 }, 404, 'Suite 0 not found'],
  ])('refuses %j', async (patch, status, detail) => {
    const body = { suite_id: await suite(1), variants: [{ prompt: 'eval_prompt' }], ...patch };
    const res = await alice('POST', '/api/evals/runs', body);
    expect(res.statusCode).toBe(status);
    if (typeof detail === 'string') expect(res.json().detail).toBe(detail);
    else expect(res.json().detail).toMatch(detail);
  });

  it('keeps runs and suites to their owner (404 for anyone else)', async () => {
    const run = await start({ suite_id: await suite(1), variants: [{ prompt: 'eval_prompt' }] });
    for (const url of [
      `/api/evals/runs/${run.id}`,
      `/api/evals/runs/${run.id}/cells`,
      `/api/evals/runs/${run.id}/events`,
    ]) {
      expect((await bob('GET', url)).statusCode).toBe(404);
    }
    expect((await bob('POST', `/api/evals/runs/${run.id}/cancel`)).statusCode).toBe(404);
    expect((await bob('GET', '/api/evals/runs')).json()).toEqual({ runs: [] });
    expect(
      (
        await bob('POST', '/api/evals/runs', {
          suite_id: run.suite_id,
          variants: [{ prompt: 'eval_prompt' }],
        })
      ).statusCode,
    ).toBe(404);
    await settled(run.id);
  });
});
