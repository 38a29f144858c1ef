import type { FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import {
  cloneParams,
  cloneQuery,
  cloneResponse,
  commitRequest,
  commitResponse,
  deleteDraftResponse,
  draftConflictResponse,
  draftIdParams,
  draftResponse,
  draftSummaryResponse,
  listDraftsQuery,
  listDraftsResponse,
  listTestsQuery,
  listTestsResponse,
  rateTestRequest,
  runTestRequest,
  startWorkshopRequest,
  startWorkshopResponse,
  statsQuery,
  statsResponse,
  testFailedResponse,
  testIdParams,
  testResult,
  updateDraftRequest,
} from '../../shared/workshop';
import type { AppContext } from '../context';
import { type App, currentUser } from '../http';
import { streamSse } from '../sse';
import { createWorkshopMetrics } from './metrics';
import * as service from './service';
import { workshopStats } from './stats';
import * as tests from './test-runs';

// The seed's workshop routes (guide Step 4) plus rating and stats. Static segments
// (/prompts/workshop/...) win over the library's /prompts/:name routes in Fastify's router.

const tags = ['workshop'];
const base = '/api/auspex/prompts/workshop';
const wantsStream = (req: FastifyRequest) => (req.headers.accept ?? '').includes('text/event-stream');

export async function workshopRoutes(app: App, ctx: AppContext, registry: Registry): Promise<void> {
  const metrics = createWorkshopMetrics(ctx, registry);

  app.post(
    `${base}/start`,
    {
      schema: {
        tags,
        body: startWorkshopRequest,
        response: { 200: startWorkshopResponse, 201: startWorkshopResponse },
      },
    },
    async (req, reply) => {
      const { parent, ...started } = await service.startWorkshop(ctx, currentUser(req), req.body);
      if (started.reused) return reply.code(200).send(started);
      metrics.started(parent ? 'clone' : 'blank');
      return reply.code(201).send(started);
    },
  );

  app.post(
    '/api/auspex/prompts/:name/clone',
    { schema: { tags, params: cloneParams, querystring: cloneQuery, response: { 201: cloneResponse } } },
    async (req, reply) => {
      const cloned = await service.clonePrompt(ctx, currentUser(req), req.params.name, {
        cloneName: req.query.clone_name,
        version: req.query.version,
      });
      metrics.started('clone');
      return reply.code(201).send(cloned);
    },
  );

  app.get(
    `${base}/drafts`,
    { schema: { tags, querystring: listDraftsQuery, response: { 200: listDraftsResponse } } },
    async (req) => service.listDrafts(ctx, currentUser(req), req.query.status_filter),
  );

  app.get(
    `${base}/drafts/:id`,
    {
      schema: { tags, params: draftIdParams, response: { 200: draftResponse } },
      // The editor's hot read. The handler's type already pins the shape to draftResponse and
      // toDraftResponse copies fields one by one, so re-validating it costs CPU and catches nothing.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => service.getDraft(ctx, currentUser(req), req.params.id),
  );

  app.put(
    `${base}/drafts/:id`,
    {
      schema: {
        tags,
        params: draftIdParams,
        body: updateDraftRequest,
        response: { 200: draftResponse, 409: draftConflictResponse },
      },
    },
    async (req) => service.updateDraft(ctx, currentUser(req), req.params.id, req.body),
  );

  app.delete(
    `${base}/drafts/:id`,
    { schema: { tags, params: draftIdParams, response: { 200: deleteDraftResponse } } },
    async (req) => {
      await service.deleteDraft(ctx, currentUser(req), req.params.id);
      return {
        message: `Draft ${req.params.id} deleted with its conversation and test runs`,
        draft_id: req.params.id,
      };
    },
  );

  app.post(
    `${base}/drafts/:id/test`,
    {
      schema: {
        tags,
        params: draftIdParams,
        body: runTestRequest,
        response: { 200: testResult, 502: testFailedResponse },
        description:
          'JSON by default. With `Accept: text/event-stream`: `data: {"content": …}` chunks, then ' +
          '`data: {"done": true, …result}` (and `data: {"error": …}` first when the model failed).',
      },
    },
    async (req, reply) => {
      const prepared = await tests.prepareTest(ctx, currentUser(req), req.params.id, req.body);
      if (wantsStream(req)) {
        return streamSse(req, reply, async (send, signal) => {
          const result = await tests.executeTest(ctx, prepared, (content) => send({ content }), signal);
          metrics.tested(result);
          if (result.error) send({ error: result.error });
          return result;
        });
      }
      const result = await tests.executeTest(ctx, prepared);
      metrics.tested(result);
      return tests.jsonAnswer(result);
    },
  );

  app.get(
    `${base}/drafts/:id/tests`,
    {
      schema: {
        tags,
        params: draftIdParams,
        querystring: listTestsQuery,
        response: { 200: listTestsResponse },
        description:
          "The draft's test runs, newest first, `limit` at a time (default 20, at most 100). For the next " +
          "older page pass the answer's `next_before` as `before`; it is null on the last page. " +
          '`total_tests` counts every run of the draft.',
      },
    },
    async (req) => tests.listTests(ctx, currentUser(req), req.params.id, req.query),
  );

  app.get(
    `${base}/drafts/:id/summary`,
    {
      schema: {
        tags,
        params: draftIdParams,
        response: { 200: draftSummaryResponse },
        description:
          'Figures per exact prompt text the draft has tested, most recently tested first: runs, failed, ' +
          'rated, mean rating, median time of the successful runs, mean known cost.',
      },
    },
    async (req) => tests.summarizeTests(ctx, currentUser(req), req.params.id),
  );

  app.patch(
    `${base}/drafts/:id/tests/:test_id`,
    { schema: { tags, params: testIdParams, body: rateTestRequest, response: { 200: testResult } } },
    async (req) => tests.rateTest(ctx, currentUser(req), req.params.id, req.params.test_id, req.body),
  );

  app.post(
    `${base}/drafts/:id/commit`,
    { schema: { tags, params: draftIdParams, body: commitRequest, response: { 201: commitResponse } } },
    async (req, reply) => {
      const committed = await service.commitDraft(ctx, currentUser(req), req.params.id, req.body);
      metrics.committed();
      return reply.code(201).send(committed);
    },
  );

  app.get(
    `${base}/stats`,
    { schema: { tags, querystring: statsQuery, response: { 200: statsResponse } } },
    async (req) => workshopStats(ctx, currentUser(req), req.query.days),
  );
}
