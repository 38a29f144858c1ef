import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  createRunRequest,
  dryRunResponse,
  exportRunQuery,
  isRunActive,
  listCellsQuery,
  listCellsResponse,
  listRunsResponse,
  runIdParams,
  runProgress,
  runResponse,
} from '../../../shared/evals';
import type { AppContext } from '../../context';
import { AppError } from '../../errors';
import { type App, currentUser } from '../../http';
import { createSlots } from '../../limits';
import { streamSse } from '../../sse';
import { withFailures } from '../scoring/service';
import { exportRun } from './run-export';
import type { EvalRunner } from './runner';
import * as service from './service';

const tags = ['evals'];
const base = '/api/evals/runs';
const PROGRESS_MS = 500;
// How often a stream asks whether the session or token that opened it still signs in.
const AUTH_RECHECK_MS = 2_000;
// Each open stream holds a socket and polls the database; a user (a web app tab each) needs a few.
export const STREAMS_PER_USER = 16;

export async function runRoutes(app: App, ctx: AppContext, runner: EvalRunner | null): Promise<void> {
  // Progress streams end when the server closes, so a shutdown does not wait for a run to end.
  const closing = new AbortController();
  // Every open stream waits on it between polls (16 per user): many listeners, none of them leaked.
  setMaxListeners(0, closing.signal);
  app.addHook('preClose', async () => closing.abort());
  const streams = createSlots(
    STREAMS_PER_USER,
    `At most ${STREAMS_PER_USER} event streams may be open at once per user; close one (a tab showing a run) and try again`,
  );

  app.post(
    base,
    {
      schema: {
        tags,
        body: createRunRequest,
        response: { 200: dryRunResponse, 202: runResponse },
        description:
          'Starts a run (202). With `"dry_run": true` only the call count and cost estimate (200).',
      },
    },
    async (req, reply) => {
      const created = await service.createRun(ctx, currentUser(req), req.body);
      if ('dry_run' in created) return reply.code(200).send(created);
      runner?.kick();
      return reply.code(202).send(created);
    },
  );

  app.get(base, { schema: { tags, response: { 200: listRunsResponse } } }, async (req) => ({
    runs: await service.listRuns(ctx, currentUser(req)),
  }));

  app.get(
    `${base}/:id`,
    { schema: { tags, params: runIdParams, response: { 200: runResponse } } },
    async (req) => service.getRun(ctx, currentUser(req), req.params.id),
  );

  app.get(
    `${base}/:id/progress`,
    {
      schema: {
        tags,
        params: runIdParams,
        response: { 200: runProgress },
        description: 'Counts, spend, status and ETA only: cheap enough to poll while the run works.',
      },
    },
    async (req) => service.getRunProgress(ctx, currentUser(req), req.params.id),
  );

  app.get(
    `${base}/:id/cells`,
    {
      schema: {
        tags,
        params: runIdParams,
        querystring: listCellsQuery,
        response: { 200: listCellsResponse },
      },
    },
    async (req) => {
      const page = await service.listCells(ctx, currentUser(req), req.params.id, req.query);
      return req.query.failures ? { ...page, cells: await withFailures(ctx, page.cells) } : page;
    },
  );

  app.get(
    `${base}/:id/export`,
    {
      schema: {
        tags,
        params: runIdParams,
        querystring: exportRunQuery,
        produces: ['text/csv', 'application/json', 'application/xml'],
        description:
          "An ended run's cells as a file: CSV (a row per cell), JSON ({run, cases, cells}) or JUnit XML " +
          '(a test suite per variant), as `prompt-workshop eval --output` writes them. 409 while the run works or a worker still holds its cells.',
      },
    },
    async (req, reply) => {
      const { file, contentType, chunks } = await exportRun(
        ctx,
        currentUser(req),
        req.params.id,
        req.query.format,
      );
      reply.type(contentType).header('content-disposition', `attachment; filename="${file}"`);
      // Fastify answers HEAD with this handler and drains the body: say what the file is, read none of it.
      if (req.method === 'HEAD') return reply.send();
      // Bytes, not objects: the stream holds one page ahead of the socket, not sixteen.
      return reply.send(Readable.from(chunks, { objectMode: false }));
    },
  );

  app.post(
    `${base}/:id/cancel`,
    { schema: { tags, params: runIdParams, response: { 200: runResponse } } },
    async (req) => {
      const run = await service.cancelRun(ctx, currentUser(req), req.params.id);
      runner?.cancelled(run.id);
      return run;
    },
  );

  app.get(
    `${base}/:id/events`,
    {
      schema: {
        tags,
        params: runIdParams,
        description:
          'Server-Sent Events: `{"cell": …}` as cells finish (each as GET …/cells gives it), `{"progress": {counts, spent_usd, eta_seconds}}` ' +
          'when anything changed, and `{"done": true, status}` once the run has ended.',
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      if (req.method === 'HEAD') {
        // Fastify answers HEAD with the GET handler: say what the stream would be, never follow it.
        await service.getRunProgress(ctx, user, req.params.id);
        return reply
          .code(200)
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-transform')
          .send();
      }
      const first = await service.getRunProgress(ctx, user, req.params.id);
      const release = streams.take(user.id);
      try {
        await streamRun(req, reply, first.id);
      } finally {
        release();
      }
    },
  );

  async function streamRun(req: FastifyRequest, reply: FastifyReply, runId: number): Promise<void> {
    const user = currentUser(req);
    return streamSse(req, reply, async (send, signal) => {
      const cursor = service.newCellCursor();
      let last = '';
      let checkedAt = Date.now();
      while (!signal.aborted && !closing.signal.aborted) {
        if (Date.now() - checkedAt >= AUTH_RECHECK_MS) {
          checkedAt = Date.now();
          if (!(await req.stillSignedIn()))
            throw new AppError(
              'unauthorized',
              'Signed out, or the API token was revoked; the stream has ended',
            );
        }
        const { progress: now, finished } = await service.progressOf(ctx, user, runId, cursor);
        for (const cell of finished) send({ cell });
        const progress = { counts: now.counts, spent_usd: now.spent_usd, eta_seconds: now.eta_seconds };
        if (JSON.stringify(progress) !== last) {
          last = JSON.stringify(progress);
          send({ progress });
        }
        // An ended run's last cells are all sent before `done` (an event carries a bounded number).
        if (!isRunActive(now.status)) {
          if (finished.length === 0)
            return { run_status: now.status, counts: now.counts, spent_usd: now.spent_usd };
          continue;
        }
        await delay(PROGRESS_MS, undefined, { signal: closing.signal }).catch(() => undefined);
      }
      return undefined;
    });
  }
}
