import {
  agreementResponse,
  cellDetailResponse,
  cellParams,
  rescoreRequest,
  rescoreResponse,
  reviewQueueQuery,
  reviewQueueResponse,
  reviewRequest,
} from '../../../shared/scoring';
import { runIdParams } from '../../../shared/evals';
import type { AppContext } from '../../context';
import { type App, currentUser } from '../../http';
import { getRun } from '../runs/service';
import * as reviews from './reviews';
import { rescoreRun } from './service';

const tags = ['evals'];
const base = '/api/evals/runs/:id';

export async function scoringRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    `${base}/cells/:cell_id`,
    { schema: { tags, params: cellParams, response: { 200: cellDetailResponse } } },
    async (req) => reviews.getCell(ctx, currentUser(req), req.params.id, req.params.cell_id),
  );

  app.put(
    `${base}/cells/:cell_id/review`,
    {
      schema: {
        tags,
        params: cellParams,
        body: reviewRequest,
        response: { 200: cellDetailResponse },
        description: 'Your review of a cell: pass/fail, a 1–5 rating and notes (fields left out are kept).',
      },
    },
    async (req) => reviews.putReview(ctx, currentUser(req), req.params.id, req.params.cell_id, req.body),
  );

  app.delete(
    `${base}/cells/:cell_id/review`,
    { schema: { tags, params: cellParams } },
    async (req, reply) => {
      await reviews.deleteReview(ctx, currentUser(req), req.params.id, req.params.cell_id);
      return reply.code(204).send();
    },
  );

  app.get(
    `${base}/review-queue`,
    {
      schema: {
        tags,
        params: runIdParams,
        querystring: reviewQueueQuery,
        response: { 200: reviewQueueResponse },
        description: 'Answered cells no one has scored by hand; `disagreements=true`: only where a judge and an assertion disagree.',
      },
    },
    async (req) => reviews.reviewQueue(ctx, currentUser(req), req.params.id, req.query),
  );

  app.get(
    `${base}/agreement`,
    { schema: { tags, params: runIdParams, response: { 200: agreementResponse } } },
    async (req) => ({ judges: await reviews.agreement(ctx, currentUser(req), req.params.id) }),
  );

  app.post(
    `${base}/rescore`,
    {
      schema: {
        tags,
        params: runIdParams,
        body: rescoreRequest,
        response: { 200: rescoreResponse },
        description: 'Scores the stored answers again (new assertions or judges) without calling the answering model.',
      },
    },
    async (req) => {
      const user = currentUser(req);
      const rescored = await rescoreRun(ctx, user, req.params.id, req.body);
      return { ...(await getRun(ctx, user, req.params.id)), rescored_cells: rescored };
    },
  );
}
