import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { ReportFormat } from '../../../shared/evals';
import type { AuthUser } from '../../auth/types';
import { nowIso } from '../../context';
import { createCellBatches } from './cell-batches';
import { type CellPages, type EvalReport, writeReport } from './report-formats';
import * as repo from './repository';
import { exportRun } from './run-export';

// GET …/runs/{id}/export on both engines, with the offline model: each format is the report of
// the run's own API answers (run, the cases of the version it ran, every cell with its failures),
// read page by page by key; another user's run is 404, a run still queued 409.

const TOPIC = 'Robotics';

async function collect(chunks: AsyncIterable<string>) {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

/** The file as the shared writer makes it from cells already read (what the CLI once wrote). */
function expected(format: ReportFormat, { cells, ...head }: EvalReport) {
  const pages: CellPages = async function* (variant) {
    yield variant === undefined ? cells : cells.filter((c) => c.variant_index === variant);
  };
  return collect(writeReport(format, head, pages));
}

describe.each(dialects)('run export on $dialect', ({ create }) => {
  let t: TestApp;
  let alice: Client;
  let bob: Client;
  let aliceUser: AuthUser;
  let runId: number;
  let report: EvalReport;

  beforeAll(async () => {
    t = await startTestApp(await create(), { EVAL_POLL_MS: '50' });
    await loadArticles(t.ctx, TOPIC, fixtureArticles(TOPIC, 6));
    const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
    aliceUser = (await alice('GET', '/api/auth/me')).json().user;
    const cases = Array.from({ length: 5 }, (_, i) => ({
      query: `What are robots doing in factories, case ${i}?`,
      topic: TOPIC,
      // One in two cases asks for a word no offline answer has: failed assertions with reasons.
      ...(i % 2 ? { assertions: [{ type: 'icontains' as const, value: 'xylophone' }] } : {}),
    }));
    const suite = (await alice('POST', '/api/evals/suites', { name: 'Export', cases })).json();
    const run = await alice('POST', '/api/evals/runs', {
      suite_id: suite.id,
      variants: [{ prompt: 'auspex_default' }, { prompt: 'auspex_default', limit: 5 }],
      repetitions: 2,
    });
    expect(run.statusCode, run.body).toBe(202);
    runId = run.json().id;
    // Not expect.poll: set-up runs outside a test.
    while ((await alice('GET', `/api/evals/runs/${runId}`)).json().status !== 'done')
      await new Promise((r) => setTimeout(r, 50));
    // The suite moves on after the run: the export still names the cases the run asked.
    const renamed = cases.map((c) => ({ ...c, query: `${c.query} (edited later)` }));
    expect((await alice('PUT', `/api/evals/suites/${suite.id}`, { cases: renamed })).statusCode).toBe(200);
    const cells = (await alice('GET', `/api/evals/runs/${runId}/cells?limit=1000&failures=true`)).json()
      .cells;
    report = { run: (await alice('GET', `/api/evals/runs/${runId}`)).json(), cases, cells };
  });
  afterAll(() => t.close());

  it('serves JSON as the run, the cases it ran and every cell with its failures', async () => {
    const res = await alice('GET', `/api/evals/runs/${runId}/export?format=json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="run-${runId}.json"`);
    expect(JSON.parse(res.body)).toEqual(report);
    expect(report.cells).toHaveLength(20);
    expect(report.cells.filter((c) => c.passed === false).map((c) => c.failures)).toEqual(
      Array(8).fill([expect.stringContaining('xylophone')]),
    );
  });

  it.each([
    ['csv', 'text/csv; charset=utf-8', 'csv'],
    ['junit', 'application/xml; charset=utf-8', 'xml'],
  ] as const)('serves %s as the CLI writes it', async (format, type, extension) => {
    const res = await alice('GET', `/api/evals/runs/${runId}/export?format=${format}`);
    expect([res.statusCode, res.headers['content-type'], res.headers['content-disposition']]).toEqual([
      200,
      type,
      `attachment; filename="run-${runId}.${extension}"`,
    ]);
    expect(res.body).toBe(await expected(format, report));
  });

  it('answers HEAD with the headers of the file and no body', async () => {
    const res = await alice('HEAD', `/api/evals/runs/${runId}/export?format=junit`);
    expect([
      res.statusCode,
      res.headers['content-type'],
      res.headers['content-disposition'],
      res.body,
    ]).toEqual([200, 'application/xml; charset=utf-8', `attachment; filename="run-${runId}.xml"`, '']);
  });

  it('serves CSV when no format is named', async () => {
    const res = await alice('GET', `/api/evals/runs/${runId}/export`);
    expect(res.body).toBe(await expected('csv', report));
  });

  it.each(['json', 'csv', 'junit'] as const)(
    'reads %s in pages by key, the same as in one',
    async (format) => {
      const paged = await exportRun(t.ctx, aliceUser, runId, format, 3);
      const whole = await exportRun(t.ctx, aliceUser, runId, format, 1000);
      expect(await collect(paged.chunks)).toBe(await collect(whole.chunks));
    },
  );

  it('answers 404 for another user, 400 for a bad format, 409 while the run is queued or holds a cell', async () => {
    const other = await bob('GET', `/api/evals/runs/${runId}/export?format=csv`);
    expect([other.statusCode, other.json().detail]).toEqual([404, `Run ${runId} not found`]);
    const bad = await alice('GET', `/api/evals/runs/${runId}/export?format=xml`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('format must be csv, json or junit');
    // With no process working on runs, a run stays queued.
    const idle = await startTestApp(await create(), { EVAL_WORKER: 'false' });
    try {
      await loadArticles(idle.ctx, TOPIC, fixtureArticles(TOPIC, 2));
      const admin = await signIn(idle, 'admin', ADMIN_PASSWORD);
      const suite = (
        await admin('POST', '/api/evals/suites', {
          name: 'Queued',
          cases: [{ query: 'What are robots doing in factories now?', topic: TOPIC }],
        })
      ).json();
      const queued = (
        await admin('POST', '/api/evals/runs', {
          suite_id: suite.id,
          variants: [{ prompt: 'auspex_default' }],
        })
      ).json();
      const res = await admin('GET', `/api/evals/runs/${queued.id}/export`);
      expect([res.statusCode, res.json().detail]).toEqual([
        409,
        `Run ${queued.id} is queued: its results can be exported once it ends`,
      ]);
      // Cancelled while a worker holds a cell: 409 until that cell is skipped.
      await repo.markRunning(idle.ctx.db, queued.id, nowIso());
      const batches = createCellBatches(idle.ctx, queued.id, {
        claimToken: () => 'test:1:',
        leaseUntil: () => new Date(Date.now() + 60_000).toISOString(),
        signal: new AbortController().signal,
        onCancelled: () => undefined,
      });
      expect(await batches.claim(1)).toHaveLength(1);
      expect((await admin('POST', `/api/evals/runs/${queued.id}/cancel`)).json().status).toBe('cancelled');
      const held = await admin('GET', `/api/evals/runs/${queued.id}/export`);
      expect([held.statusCode, held.json().detail]).toEqual([
        409,
        `Run ${queued.id} is cancelled, but 1 of its cells is still held by a worker: its results can be exported once they are skipped`,
      ]);
    } finally {
      await idle.close();
    }
  });
});
