import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { auspexResponder } from './auspex/responder';
import { authHook, publicScope, type RegisteredRoute, recordRoutes } from './auth/hook';
import { authRoutes } from './auth/routes';
import { purgeExpiredSessions } from './auth/service';
import { chatRoutes } from './chats/routes';
import type { Config } from './config';
import type { AppContext } from './context';
import { corpusRoutes } from './corpus/routes';
import type { DatabaseHandle } from './db/database';
import { AppError, badRequest } from './errors';
import { runRoutes } from './evals/runs/routes';
import { startEvalRunner } from './evals/runs/runner';
import { scoringRoutes } from './evals/scoring/routes';
import { suiteRoutes } from './evals/suites/routes';
import { healthRoutes } from './health/routes';
import type { App } from './http';
import { startPeriodicJob } from './jobs';
import { jsonNestsDeeperThan, tooDeepMessage } from './json-depth';
import { createBudgets } from './limits';
import { createLlm } from './llm/registry';
import { modelRoutes } from './llm/routes';
import { rejectNulCharacters } from './nul-guard';
import { promptRoutes } from './prompts/routes';
import { issueMessage } from './validation';
import { workshopResponder } from './workshop/assistant';
import { startCleanupJob } from './workshop/cleanup';
import { workshopRoutes } from './workshop/routes';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  /** Pass a logger to share one; otherwise pino at config.logLevel. */
  logger?: FastifyBaseLogger;
  /** Where the built web app lives; absent in API-only tests. */
  webRoot?: string;
}

export interface BuiltApp {
  app: App;
  ctx: AppContext;
  metrics: Registry;
  /** Every registered route and whether it is public; read it after `app.ready()`. */
  routes: () => RegisteredRoute[];
}

const MB = 1024 * 1024;

/*
 * One policy for every page, file and API answer: nothing but this server's own scripts, styles,
 * fonts and fetches; images from here or data: URLs; no media or plugins; never framed. The API
 * docs (/docs) work under the same policy.
 */
const securityHeaders = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // CodeMirror writes its theme into <style> elements at run time; scripts stay strictly 'self'.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      mediaSrc: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  crossOriginOpenerPolicy: { policy: 'same-origin' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
  // HSTS belongs to whoever terminates TLS (the proxy); this server usually speaks plain HTTP.
  strictTransportSecurity: false,
};
const defaultWebRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** A body limit as people write it: 1 MB, 21 MB, 512 KB. */
function byteSize(bytes: number): string {
  if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
  return `${Number((bytes / 1024).toFixed(1))} KB`;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const { config, database } = deps;
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: config.logLevel } }),
    bodyLimit: MB,
    // A hop count trusts that many proxies nearest the server (Fastify's typing lacks the number form).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    // The request timeout bounds receiving a request (headers and body), not the answer: SSE
    // streams run as long as they need. A client that stops mid-body is cut off, signed in or not.
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    http: {
      headersTimeout: config.http.headersTimeoutMs,
      // Node checks those timeouts on this interval (30 s by default, longer than short limits).
      connectionsCheckingInterval: Math.min(5_000, Math.ceil(config.http.headersTimeoutMs / 4)),
    },
    forceCloseConnections: false,
  }).withTypeProvider() as unknown as App;
  const routes = recordRoutes(app);
  // A POST without a body (clone, logout) sent with `Content-Type: application/json`, as curl users
  // do, is a request without a body, not malformed JSON. Other bodies keep Fastify's safe parser.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined);
    if (jsonNestsDeeperThan(body as string))
      return done(badRequest(tooDeepMessage('The JSON body')), undefined);
    return jsonParser(req, body as string, done);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 })
    : null;
  if (redis) app.addHook('onClose', async () => void redis.disconnect());
  const ctx: AppContext = {
    config,
    db: database.db,
    dialect: database.dialect,
    log: app.log,
    llm: createLlm(config, app.log),
    budgets: createBudgets(config, redis),
  };
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = err.validationContext ?? 'body';
      const root = { body: req.body, querystring: req.query, params: req.params, headers: req.headers }[
        context
      ];
      const errors = err.validation.map((v) => ({
        // A rule on the whole body has an empty path: name the body, not "body.".
        path: `${context}${v.instancePath.replaceAll('/', '.')}`.replace(/\.$/, ''),
        message: issueMessage(
          {
            path: v.instancePath.split('/').filter(Boolean),
            code: v.keyword,
            message: v.message ?? 'invalid',
          },
          root,
        ),
      }));
      return reply
        .code(400)
        .send({ detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors });
    }
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.status).send({ detail: err.message, ...err.extra });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({
        detail: `The body is over ${byteSize(req.routeOptions.bodyLimit ?? MB)}, this route's limit`,
      });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send({ detail: `Malformed JSON body: ${err.message}` });
    }
    if (err.statusCode === 429) {
      return reply.code(429).send({ detail: 'Too many requests; try again later' });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ detail: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ detail: 'Internal server error' });
  });

  await app.register(fastifySwagger, {
    openapi: { info: { title: 'Prompt Workshop API', version: '0.1.0' } },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifyHelmet, { global: true, ...securityHeaders });
  await publicScope(app, (scope) => scope.register(fastifySwaggerUi, { routePrefix: '/docs' }));
  await app.register(fastifyCookie);
  app.addHook('onRequest', authHook(ctx));
  app.addHook('preValidation', rejectNulCharacters);

  await authRoutes(app, ctx);
  await healthRoutes(app, ctx, metrics);
  await corpusRoutes(app, ctx);
  await modelRoutes(app, ctx);
  await promptRoutes(app, ctx);
  // Who answers which kind of chat: wired here, so the chats feature depends on neither.
  await chatRoutes(app, ctx, { auspex: auspexResponder, workshop: workshopResponder });
  await workshopRoutes(app, ctx, metrics);
  await suiteRoutes(app, ctx);
  const runner = config.evals.worker ? startEvalRunner(ctx) : null;
  if (runner) app.addHook('onClose', () => runner.stop());
  await runRoutes(app, ctx, runner);
  await scoringRoutes(app, ctx);
  const jobs = [
    startCleanupJob(ctx),
    startPeriodicJob(ctx, 'session purge', () => purgeExpiredSessions(ctx), 60 * 60 * 1000, 60 * 1000),
  ];
  app.addHook('onClose', async () => {
    await Promise.all(jobs.map((j) => j.stop()));
  });

  const webRoot = deps.webRoot ?? defaultWebRoot;
  const hasWeb = existsSync(`${webRoot}/index.html`);
  if (hasWeb)
    await publicScope(app, (scope) =>
      scope.register(fastifyStatic, {
        root: webRoot,
        prefix: '/',
        wildcard: false,
        index: false,
        preCompressed: true,
        cacheControl: false,
        // Vite names assets by content hash, so they never change; the HTML shell must always be revalidated.
        setHeaders: (res, path) => {
          res.setHeader(
            'cache-control',
            path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      }),
    );
  // Read once: the shell changes only with a new build, which needs a restart anyway.
  const shell = hasWeb ? readFileSync(`${webRoot}/index.html`) : null;
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes of the single-page app get its shell; everything else is a JSON 404.
    const path = safeDecode(req.url.split('?')[0]);
    if (shell && req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/docs')) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(shell);
    }
    return reply.code(404).send({ detail: `Route ${req.method} ${req.url.split('?')[0]} not found` });
  });

  return { app, ctx, metrics, routes };
}
