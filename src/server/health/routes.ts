import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { healthResponse } from '../../shared/common';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import type { App } from '../http';
import { pingDatabase } from './repository';

// Compared as digests of equal length, so neither the token nor its length leaks through timing.
const digest = (text: string) => createHash('sha256').update(text).digest();

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  return timingSafeEqual(digest(given), digest(token));
}

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

  // Counts only, no user-chosen text in any label; METRICS_TOKEN, when set, keeps even those private.
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const token = ctx.config.metricsToken;
    if (token && !bearerMatches(req.headers.authorization, token)) {
      throw new AppError('unauthorized', 'Metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    reply.type(metrics.contentType);
    return metrics.metrics();
  });
}
