import type { Registry } from 'prom-client';
import { healthResponse } from '../../shared/common';
import type { AppContext } from '../context';
import type { App } from '../http';
import { pingDatabase } from './repository';

const version = '0.1.0';

export async function healthRoutes(app: App, ctx: AppContext, metrics: Registry): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: { tags: ['health'], response: { 200: healthResponse, 503: healthResponse } },
    },
    async (_req, reply) => {
      let reachable = true;
      try {
        await pingDatabase(ctx.db);
      } catch (err) {
        ctx.log.error({ err }, 'database unreachable');
        reachable = false;
      }
      return reply.code(reachable ? 200 : 503).send({
        status: reachable ? 'ok' : 'degraded',
        database: { engine: ctx.dialect, reachable },
        version,
      });
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });
}
