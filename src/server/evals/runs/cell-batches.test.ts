import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app';
import { fixtureArticles, loadArticles } from '../../../../test/helpers/articles';
import { dialects } from '../../../../test/helpers/databases';
import { nowIso } from '../../context';
import { type Completion, createCellBatches } from './cell-batches';
import * as repo from './repository';

// A pool's batched writes on both engines, with no runner (EVAL_WORKER=false): claims made in one
// turn are one batch of distinct cells, each under its own lease; a result is stored only under
// its lease and its spend is counted once; an exhausted budget claims nothing and skips the rest.

const TOPIC = 'Robotics';

describe.each(dialects)('eval cell batches on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;
  let claims = 0;

  beforeAll(async () => {
    t = await startTestApp(await create(), { EVAL_WORKER: 'false' });
    await loadArticles(t.ctx, TOPIC, fixtureArticles(TOPIC, 3));
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  });
  afterAll(() => t.close());

  const newRun = async (cases: number, budget?: number) => {
    const suite = await admin('POST', '/api/evals/suites', {
      name: `Batches ${Math.random()}`,
      cases: Array.from({ length: cases }, (_, i) => ({ query: `Robots, case ${i}?`, topic: TOPIC })),
    });
    expect(suite.statusCode, suite.body).toBe(201);
    const run = await admin('POST', '/api/evals/runs', {
      suite_id: suite.json().id,
      variants: [{ prompt: 'auspex_default' }],
      ...(budget === undefined ? {} : { budget_usd: budget }),
    });
    expect(run.statusCode, run.body).toBe(202);
    const id = run.json().id as number;
    await repo.markRunning(t.ctx.db, id, nowIso());
    return id;
  };

  const batchesOf = (runId: number) =>
    createCellBatches(t.ctx, runId, {
      claimToken: () => `test:${++claims}:`,
      leaseUntil: () => new Date(Date.now() + 60_000).toISOString(),
      signal: new AbortController().signal,
      onCancelled: () => undefined,
    });

  const result = (cost: number): Completion['result'] => ({
    status: 'ok',
    skipped_reason: null,
    answer: 'An answer.',
    model: 'openai:gpt-4.1-mini',
    article_ids: '[]',
    retrieval: '{}',
    corpus_fingerprint: null,
    input_tokens: 10,
    output_tokens: 2,
    cost_usd: cost,
    first_token_ms: 1,
    execution_time_ms: 2,
    error: null,
    finished_at: nowIso(),
  });

  const cellsOf = (runId: number) =>
    t.ctx.db
      .selectFrom('eval_cells')
      .select(['id', 'status', 'lease_owner', 'skipped_reason'])
      .where('run_id', '=', runId)
      .orderBy('id')
      .execute();

  it('claims asked for in one turn are one batch of distinct cells, each under its own lease', async () => {
    const runId = await newRun(5);
    const batches = batchesOf(runId);
    const [a, b] = await Promise.all([batches.claim(2), batches.claim(2)]);
    const claimed = [...a, ...b];
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(new Set(claimed.map((c) => c.id)).size).toBe(4);
    // One claim, one token prefix; the cell's id makes each token its own lease.
    const prefix = claimed[0].lease.slice(0, -String(claimed[0].id).length);
    expect(claimed.map((c) => c.lease)).toEqual(claimed.map((c) => `${prefix}${c.id}`));
    const rows = await cellsOf(runId);
    // Handed out in id order, as stored.
    expect(rows.filter((r) => r.status === 'running').map((r) => r.lease_owner)).toEqual(
      claimed.map((c) => c.lease),
    );
    // Only one cell was left to claim.
    expect(await batches.claim(3)).toHaveLength(1);
  });

  it('stores a result only under its lease and counts its spend once', async () => {
    const runId = await newRun(2);
    const batches = batchesOf(runId);
    const [mine, other] = await batches.claim(2);
    const [kept, lost] = await Promise.all([
      batches.complete({ cell: mine, result: result(0.25), scored: null, spent: 0.25 }),
      // A claim whose lease was taken over: its result and its spend are dropped.
      batches.complete({
        cell: { ...other, lease: `${other.lease}-stale` },
        result: result(0.5),
        scored: null,
        spent: 0.5,
      }),
    ]);
    expect([kept, lost]).toEqual([true, false]);
    // The same result again (a retry after a lost reply) is not stored twice.
    expect(await batches.complete({ cell: mine, result: result(0.25), scored: null, spent: 0.25 })).toBe(
      false,
    );
    const run = await repo.runState(t.ctx.db, runId);
    expect(run?.spent_usd).toBeCloseTo(0.25, 10);
    const rows = await cellsOf(runId);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'running']);
  });

  it('claims nothing once the budget is spent, and skips the cells not started', async () => {
    const runId = await newRun(3, 0.1);
    const batches = batchesOf(runId);
    const [first] = await batches.claim(1);
    // The result that spends the budget and the next claim land in one batch: the claim sees it.
    const [stored, next] = await Promise.all([
      batches.complete({ cell: first, result: result(0.2), scored: null, spent: 0.2 }),
      batches.claim(2),
    ]);
    expect(stored).toBe(true);
    expect(next).toEqual([]);
    const rows = await cellsOf(runId);
    expect(rows.map((r) => [r.status, r.skipped_reason])).toEqual([
      ['ok', null],
      ['skipped', 'budget'],
      ['skipped', 'budget'],
    ]);
  });

  it('skips the running cells of a cancelled run once their leases lapse, and nothing else', async () => {
    const cancelled = await newRun(4);
    const active = await newRun(1);
    const claim = (runId: number, n: number, leaseMs: number) =>
      repo.claimCells(t.ctx.db, t.ctx.dialect, runId, {
        tokenPrefix: `test:${++claims}:`,
        now: nowIso(),
        leaseUntil: new Date(Date.now() + leaseMs).toISOString(),
        n,
      });
    // One cell held by a live process, two by a process that died (their leases lapsed); the
    // fourth was never claimed. In the active run, a lapsed cell is claimed again, not skipped.
    await claim(cancelled, 1, 60_000);
    await claim(cancelled, 2, -1_000);
    await claim(active, 1, -1_000);
    expect(await repo.cancelRun(t.ctx.db, cancelled, nowIso())).toBe(true);
    expect(await repo.skipAbandonedCells(t.ctx.db, nowIso())).toBe(2);
    expect((await cellsOf(cancelled)).map((r) => [r.status, r.skipped_reason])).toEqual([
      ['running', null],
      ['skipped', 'cancelled'],
      ['skipped', 'cancelled'],
      ['pending', null],
    ]);
    expect((await cellsOf(active)).map((r) => r.status)).toEqual(['running']);
    expect(await repo.skipAbandonedCells(t.ctx.db, nowIso())).toBe(0);
  });
});
