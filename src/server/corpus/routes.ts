import type { FastifyError, FastifyReply } from 'fastify';
import {
  articleDetail,
  articleIdParams,
  articlesQuery,
  articlesResponse,
  type ImportFormat,
  importQuery,
  importResponse,
  searchQuery,
  searchResponse,
  topicsResponse,
} from '../../shared/corpus';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { type App, requireAdmin } from '../http';
import { importArticles } from './import';
import * as service from './service';

const MB = 1024 * 1024;
const IMPORT_BODY_LIMIT = 20 * MB;

/** Import bodies are files: read as text, the format comes from ?format= or the media type. */
const FORMAT_OF_TYPE: Record<string, ImportFormat | undefined> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/xml': 'rss',
  'text/xml': 'rss',
  'application/rss+xml': 'rss',
  'application/atom+xml': 'rss',
  'text/plain': undefined,
  'application/octet-stream': undefined,
};

export async function corpusRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/topics', { schema: { tags: ['corpus'], response: { 200: topicsResponse } } }, async () =>
    service.listTopics(ctx),
  );

  app.get(
    '/api/articles/search',
    { schema: { tags: ['corpus'], querystring: searchQuery, response: { 200: searchResponse } } },
    async (req) => {
      const { results, total } = await service.searchArticles(ctx, req.query);
      return { results: results.map(service.toSearchResult), total };
    },
  );

  app.get(
    '/api/articles',
    {
      schema: {
        tags: ['corpus'],
        querystring: articlesQuery,
        response: { 200: articlesResponse },
        description:
          'Title, URL and source of articles by id (what a chat answer needs to link its citations).',
      },
    },
    async (req) => ({ articles: await service.articleRefs(ctx, req.query.ids) }),
  );

  app.get(
    '/api/articles/:id',
    { schema: { tags: ['corpus'], params: articleIdParams, response: { 200: articleDetail } } },
    async (req) => service.getArticle(ctx, req.params.id),
  );

  // Its own scope, so the raw-text body parsers apply to this route only.
  await app.register(async (scope: App) => {
    scope.addContentTypeParser(
      Object.keys(FORMAT_OF_TYPE).filter((t) => t !== 'text/plain'),
      { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/api/admin/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        // Refuse members before reading a 20 MB body.
        onRequest: async (req) => void requireAdmin(req),
        errorHandler: (err: FastifyError, _req, reply: FastifyReply) => {
          if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
            return reply.code(413).send({ detail: 'Import file is larger than 20 MB' });
          }
          throw err;
        },
        schema: {
          tags: ['admin', 'corpus'],
          description:
            'Imports the request body (JSONL, CSV or RSS/Atom XML, up to 20 MB) into a topic. ' +
            'Send it with Content-Type text/csv, application/x-ndjson, application/xml (or rss+xml, ' +
            'atom+xml) or text/plain with ?format=.',
          querystring: importQuery,
          response: { 200: importResponse },
        },
      },
      async (req) => {
        const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        const format = req.query.format ?? FORMAT_OF_TYPE[mediaType];
        if (!format) throw badRequest('format is required (jsonl, csv or rss) for this Content-Type');
        if (typeof req.body !== 'string') {
          throw badRequest(
            `Send the file as text/csv, application/x-ndjson, application/xml or text/plain, not Content-Type ${mediaType}`,
          );
        }
        if (req.body.trim() === '') throw badRequest('The request body (the file to import) is empty');
        return importArticles(ctx, { topic: req.query.topic, format, text: req.body });
      },
    );
  });
}
