import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import type { EvalReport } from '../server/evals/runs/report-formats';
import { errorResponse } from '../shared/common';
import {
  type CellResponse,
  createRunRequest,
  listCellsResponse,
  listSuitesResponse,
  type RunProgress,
  type RunResponse,
  runProgress,
  runResponse,
  suiteResponse,
} from '../shared/evals';
import { plural } from '../shared/plural';
import { reportFormatOf, summaryTable } from './eval-output';

// `prompt-workshop eval`: runs a suite over prompt refs through the evaluation API, either of a
// remote server (--server, --token) or of a server started in this process on the local database,
// shows progress, prints a summary and exits 1 when a cell failed or the run did not finish.

export interface EvalOptions {
  suite: string;
  prompt: string[];
  model?: string;
  repeat?: string;
  concurrency?: string;
  budget?: string;
  server?: string;
  token?: string;
  user?: string;
  output?: string;
}

export class EvalCommandError extends Error {}

interface Api {
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>>;
  /** Streams the answer's body to `file`. */
  download(path: string, file: string): Promise<void>;
}

function httpApi(base: string, token: string): Api {
  /** The answer, once it is a success; a failure throws its detail. */
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).catch((err: Error) => {
      throw new EvalCommandError(`cannot reach ${base}: ${err.message}`);
    });
    if (!res.ok) {
      const detail = errorResponse.safeParse(await res.json().catch(() => null));
      throw new EvalCommandError(
        detail.success ? detail.data.detail : `${method} ${path} answered ${res.status}`,
      );
    }
    return res;
  };
  const call = async <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown) =>
    schema.parse(await (await send(method, path, body)).json()) as z.output<S>;
  return {
    get: (path, schema) => call('GET', path, schema),
    post: (path, body, schema) => call('POST', path, schema, body),
    download: async (path, file) => {
      const res = await send('GET', path);
      // Written beside it and renamed once whole: a cut download never leaves half a file.
      const part = `${file}.part`;
      try {
        await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(part));
        renameSync(part, file);
      } catch (err) {
        rmSync(part, { force: true });
        throw new EvalCommandError(`could not write ${file}: ${(err as Error).message}`);
      }
    },
  };
}

const int = (value: string | undefined, name: string) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new EvalCommandError(`--${name} must be a whole number, not "${value}"`);
  return n;
};

const usd = (value: string | undefined, name: string) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new EvalCommandError(`--${name} must be an amount in USD, such as 0.50, not "${value}"`);
  return n;
};

function progressLine(run: RunProgress): string {
  const { total, ok, error, skipped } = run.counts;
  const done = ok + error + skipped;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}  ok ${ok}  errors ${error}  $${run.spent_usd.toFixed(4)}`;
}

async function follow(api: Api, id: number): Promise<RunResponse> {
  const tty = process.stderr.isTTY;
  for (;;) {
    // Counts only while it works; the whole run, with its aggregates, once it has ended.
    const progress = await api.get(`/api/evals/runs/${id}/progress`, runProgress);
    if (tty) process.stderr.write(`\r${progressLine(progress)}`);
    // Ended, with every cell settled (a cancelled run's held cells are skipped within a lease).
    const held = progress.counts.pending + progress.counts.running;
    if (['done', 'cancelled', 'failed'].includes(progress.status) && held === 0) {
      if (tty) process.stderr.write('\n');
      return api.get(`/api/evals/runs/${id}`, runResponse);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function allCells(api: Api, id: number): Promise<CellResponse[]> {
  const cells: CellResponse[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await api.get(
      `/api/evals/runs/${id}/cells?offset=${offset}&limit=1000&failures=true`,
      listCellsResponse,
    );
    cells.push(...page.cells);
    if (cells.length >= page.total || page.cells.length === 0) return cells;
  }
}

/** Runs the suite against `api`; resolves with the exit code. `started` learns the run's id. */
async function evaluate(api: Api, o: EvalOptions, started: { id?: number } = {}): Promise<number> {
  const { suites } = await api.get('/api/evals/suites', listSuitesResponse);
  const found = suites.find((s) => s.name === o.suite);
  if (!found) throw new EvalCommandError(`Suite "${o.suite}" not found`);
  const request = createRunRequest.safeParse({
    suite_id: found.id,
    variants: o.prompt.map((prompt) => ({ prompt, ...(o.model ? { model: o.model } : {}) })),
    repetitions: int(o.repeat, 'repeat'),
    concurrency: int(o.concurrency, 'concurrency'),
    budget_usd: usd(o.budget, 'budget'),
  });
  if (!request.success) {
    const issue = request.error.issues[0];
    throw new EvalCommandError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const created = await api.post('/api/evals/runs', request.data, runResponse);
  started.id = created.id;
  process.stderr.write(`run ${created.id}: ${created.counts.total} model calls\n`);
  const run = await follow(api, created.id);
  const suite = await api.get(`/api/evals/suites/${found.id}`, suiteResponse);
  const report: EvalReport = { run, cases: suite.cases, cells: await allCells(api, run.id) };
  console.log(summaryTable(report));
  if (o.output) {
    // The server's own file of the run, as the web app downloads it.
    await api.download(`/api/evals/runs/${run.id}/export?format=${reportFormatOf(o.output)}`, o.output);
    console.log(`wrote ${o.output}`);
  }
  const failedCases = new Set(report.cells.filter((c) => c.passed === false).map((c) => c.case_index));
  if (failedCases.size > 0) {
    console.log(
      `${plural(failedCases.size, 'case')} of ${suite.cases.length} failed ${failedCases.size === 1 ? 'its' : 'their'} assertions`,
    );
  }
  // Success is every cell answered and no case failing its assertions: errors, cells skipped by a
  // budget or a cancel, and failed assertions are a failure.
  return run.status === 'done' && run.counts.ok === run.counts.total && failedCases.size === 0 ? 0 : 1;
}

export async function runEvalCommand(o: EvalOptions): Promise<number> {
  // A bad --output is refused before anything runs.
  if (o.output) reportFormatOf(o.output);
  if (o.server || o.token) {
    if (!o.server || !o.token) throw new EvalCommandError('--server and --token go together');
    return evaluate(httpApi(o.server, o.token), o);
  }
  // Local: this process serves the API on loopback over the configured database, and works the run.
  const { loadConfig } = await import('../server/config');
  const { serve } = await import('../server/main');
  const auth = await import('../server/auth/service');
  const { withContext } = await import('./context');
  const config = loadConfig();
  const server = await serve({ ...config, port: 0, host: '127.0.0.1', logLevel: 'warn' });
  const username = o.user ?? config.admin.username;
  const token = await withContext((ctx) =>
    auth.createApiTokenFor(ctx, username, { name: 'prompt-workshop eval', expires_in_days: 1 }),
  );
  try {
    return await evaluate(httpApi(server.url, token.token), o);
  } finally {
    await withContext((ctx) => auth.revokeApiToken(ctx, null, token.id)).catch(() => undefined);
    await server.close();
  }
}
