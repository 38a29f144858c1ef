import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../src/server/config';
import { createDatabase } from '../src/server/db/database';
import { type FakeUpstream, fakeOpenAiEnv, type Scenario, startFakeUpstream } from './fake-upstream/server';
import { type ServerProcess, startServerProcess } from './helpers/server-process';

// Real server processes: a run survives kill -9 of the process working on it, and two processes
// on one PostgreSQL database share a run's cells. Every cell is answered exactly once.

const dir = mkdtempSync(join(tmpdir(), 'pw-evals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'admin-password-1';
const CASES = 24;

async function makeRun(base: string, headers: Record<string, string>, concurrency: number) {
  const cases = Array.from({ length: CASES }, (_, i) => ({
    query: `How are firms adopting AI, case ${i}?`,
    topic: 'AI Adoption',
  }));
  const suite = await fetch(`${base}/api/evals/suites`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Durability', cases }),
  }).then((r) => r.json());
  const run = await fetch(`${base}/api/evals/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ suite_id: suite.id, variants: [{ prompt: 'auspex_default' }], concurrency }),
  }).then((r) => r.json());
  return run.id as number;
}

const runOf = (base: string, headers: Record<string, string>, id: number) =>
  fetch(`${base}/api/evals/runs/${id}`, { headers }).then((r) => r.json());
const cellsOf = (base: string, headers: Record<string, string>, id: number) =>
  fetch(`${base}/api/evals/runs/${id}/cells?limit=1000`, { headers }).then((r) => r.json());

describe('durable evaluation runs', () => {
  it('resumes after kill -9 without repeating a finished cell or losing one', async () => {
    const fake = await startFakeUpstream({
      defaultScenario: { chunks: ['an ', 'answer'], chunkDelayMs: 150 },
    });
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'kill.db')}`,
      WORKSHOP_ADMIN_PASSWORD: PASSWORD,
      ...fakeOpenAiEnv(fake),
      LLM_MAX_RETRIES: '0',
      EVAL_POLL_MS: '100',
      EVAL_LEASE_SECONDS: '4',
    };
    const first = await startServerProcess(env);
    const headers = await first.signIn('admin', PASSWORD);
    const id = await makeRun(first.base, headers, 4);
    await expect
      .poll(async () => (await runOf(first.base, headers, id)).counts.ok, { timeout: 30_000 })
      .toBeGreaterThan(3);
    expect(await first.stop('SIGKILL')).toBeNull();
    // What the killed process had stored, read from the database file itself.
    const file = createDatabase(env.DATABASE_URL);
    const finishedBefore = await file.db
      .selectFrom('eval_cells')
      .select(['id', 'answer', 'finished_at'])
      .where('status', '=', 'ok')
      .execute();
    await file.destroy();
    expect(finishedBefore.length).toBeGreaterThan(3);

    const second = await startServerProcess(env);
    const again = await second.signIn('admin', PASSWORD);
    await expect
      .poll(async () => (await runOf(second.base, again, id)).status, { timeout: 60_000 })
      .toBe('done');
    const { total, cells } = await cellsOf(second.base, again, id);
    expect({ total, ok: cells.filter((c: any) => c.status === 'ok').length }).toEqual({
      total: CASES,
      ok: CASES,
    });
    // Finished cells were kept as they were; only the ones the process held at the kill (at most
    // its 4 calls and the 4 cells claimed ahead of them) were claimed again, and every model
    // request is accounted for.
    for (const cell of finishedBefore) {
      const now = cells.find((c: any) => c.id === cell.id);
      expect({ answer: now.answer, finished_at: now.finished_at, attempts: now.attempts }).toEqual({
        answer: cell.answer,
        finished_at: cell.finished_at,
        attempts: 1,
      });
    }
    const retried = cells.filter((c: any) => c.attempts > 1).length;
    expect(retried).toBeLessThanOrEqual(8);
    // Each cell reached the model at least once, and each claim sends at most one request (a claim
    // killed before its request went out sends none), so the claims bound the requests.
    const claims = cells.reduce((n: number, c: any) => n + c.attempts, 0);
    expect(fake.modelRequests().length).toBeGreaterThanOrEqual(CASES);
    expect(fake.modelRequests().length).toBeLessThanOrEqual(claims);
    await second.stop('SIGTERM');
    await fake.close();
  });

  it('skips the cells a killed process held once a cancel made after its death lets their leases lapse', async () => {
    const fake = await startFakeUpstream({
      defaultScenario: { chunks: ['an ', 'answer'], chunkDelayMs: 5_000 },
    });
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'abandoned.db')}`,
      WORKSHOP_ADMIN_PASSWORD: PASSWORD,
      ...fakeOpenAiEnv(fake),
      LLM_MAX_RETRIES: '0',
      EVAL_POLL_MS: '100',
      // Long enough that the second process is up and has cancelled before they lapse, even on a
      // busy machine.
      EVAL_LEASE_SECONDS: '12',
    };
    const first = await startServerProcess(env);
    const headers = await first.signIn('admin', PASSWORD);
    const id = await makeRun(first.base, headers, 4);
    await expect
      .poll(() => fake.modelRequests().filter((r) => r.outcome === 'pending').length, { timeout: 30_000 })
      .toBe(4);
    expect(await first.stop('SIGKILL')).toBeNull();
    const second = await startServerProcess(env);
    const again = await second.signIn('admin', PASSWORD);
    const res = await fetch(`${second.base}/api/evals/runs/${id}/cancel`, { method: 'POST', headers: again });
    expect(res.status).toBe(200);
    // The killed process's leases are still running when the cancel lands, so it cannot skip them.
    expect((await runOf(second.base, again, id)).counts.running).toBeGreaterThan(0);
    await expect
      .poll(async () => (await runOf(second.base, again, id)).counts.running, { timeout: 30_000 })
      .toBe(0);
    const { cells } = await cellsOf(second.base, again, id);
    expect(cells.filter((c: any) => c.status !== 'skipped').map((c: any) => c.status)).toEqual([]);
    expect(new Set(cells.map((c: any) => c.skipped_reason))).toEqual(new Set(['cancelled']));
    await second.stop('SIGTERM');
    await fake.close();
  });

  it('counts an attempt only for a claim that sent its request when a stopping process gives cells back', async () => {
    const fake = await startFakeUpstream({
      defaultScenario: { chunks: ['an ', 'answer'], chunkDelayMs: 5_000 },
    });
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'given-back.db')}`,
      WORKSHOP_ADMIN_PASSWORD: PASSWORD,
      ...fakeOpenAiEnv(fake),
      LLM_MAX_RETRIES: '0',
      EVAL_POLL_MS: '100',
    };
    const server = await startServerProcess(env);
    const headers = await server.signIn('admin', PASSWORD);
    const id = await makeRun(server.base, headers, 4);
    // Four calls open, and four cells claimed ahead of them waiting for a call slot.
    await expect
      .poll(() => fake.modelRequests().filter((r) => r.outcome === 'pending').length, { timeout: 30_000 })
      .toBe(4);
    expect(await server.stop('SIGTERM')).toBe(0);
    const file = createDatabase(env.DATABASE_URL);
    const rows = await file.db
      .selectFrom('eval_cells')
      .select(['status', 'attempts'])
      .where('run_id', '=', id)
      .execute();
    await file.destroy();
    expect(rows.filter((r) => r.status !== 'pending')).toEqual([]);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(fake.modelRequests().length);
    await fake.close();
  });

  /** Two server processes on one fresh PostgreSQL schema, both answered by `fake`. */
  async function onTwoProcesses(
    scenario: Scenario,
    body: (p: {
      a: ServerProcess;
      fake: FakeUpstream;
      headers: Record<string, string>;
      url: string;
    }) => Promise<void>,
  ) {
    const base = testDatabaseUrl()!;
    const schema = `t_evals_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const fake = await startFakeUpstream({ defaultScenario: scenario });
    const env = {
      DATABASE_URL: url.toString(),
      WORKSHOP_ADMIN_PASSWORD: PASSWORD,
      ...fakeOpenAiEnv(fake),
      LLM_MAX_RETRIES: '0',
      EVAL_POLL_MS: '50',
    };
    const a = await startServerProcess(env);
    const b = await startServerProcess(env);
    try {
      await body({ a, fake, headers: await a.signIn('admin', PASSWORD), url: url.toString() });
    } finally {
      await a.stop('SIGTERM');
      await b.stop('SIGTERM');
      await fake.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }

  it.skipIf(!testDatabaseUrl())('shares one run between two processes on PostgreSQL, each cell once', () =>
    onTwoProcesses({ chunks: ['an ', 'answer'], chunkDelayMs: 100 }, async ({ a, fake, headers, url }) => {
      const id = await makeRun(a.base, headers, 3);
      await expect
        .poll(async () => (await runOf(a.base, headers, id)).status, { timeout: 60_000 })
        .toBe('done');
      expect(fake.modelRequests()).toHaveLength(CASES);
      const db = new Kysely<any>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
      });
      const rows = await db
        .selectFrom('eval_cells')
        .select(['status', 'lease_owner', 'attempts'])
        .where('run_id', '=', id)
        .execute();
      await db.destroy();
      expect(rows.filter((r) => r.status === 'ok')).toHaveLength(CASES);
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
      // A lease token is the process's name, a claim number and the cell's id: both processes
      // answered cells.
      expect(new Set(rows.map((r) => String(r.lease_owner).replace(/:\d+:\d+$/, ''))).size).toBe(2);
    }),
  );

  it.skipIf(!testDatabaseUrl())('starts no call after a cancel made by the other process on PostgreSQL', () =>
    onTwoProcesses({ chunks: ['an ', 'answer'], chunkDelayMs: 300 }, async ({ a, fake, headers, url }) => {
      const id = await makeRun(a.base, headers, 3);
      // Both processes are calling (six calls open), with cells claimed ahead of their calls.
      const db = new Kysely<any>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
      });
      const holders = async () => {
        const rows = await db
          .selectFrom('eval_cells')
          .select('lease_owner')
          .where('run_id', '=', id)
          .where('status', '=', 'running')
          .execute();
        return new Set(rows.map((r) => String(r.lease_owner).replace(/:\d+:\d+$/, ''))).size;
      };
      await expect
        .poll(
          async () => ({
            processes: await holders(),
            open: fake.modelRequests().filter((r) => r.outcome === 'pending').length,
          }),
          { timeout: 30_000, interval: 20 },
        )
        .toEqual({ processes: 2, open: 6 });
      await db.destroy();
      const res = await fetch(`${a.base}/api/evals/runs/${id}/cancel`, { method: 'POST', headers });
      expect(res.status).toBe(200);
      // Requests already on their way when the cancel answered are recorded within moments,
      // long before the calls open now end (600 ms) and the cells claimed ahead would start.
      await new Promise((r) => setTimeout(r, 150));
      const after = fake.modelRequests().length;
      // The other process learns of the cancel before its next call, not at its next claim or
      // lease renewal.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(fake.modelRequests().length).toBe(after);
      expect((await runOf(a.base, headers, id)).status).toBe('cancelled');
    }),
  );
});
