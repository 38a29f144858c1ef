import {
  addCasesRequest,
  createSuiteRequest,
  exportSuiteQuery,
  importSuiteRequest,
  importSuiteResponse,
  listSuitesResponse,
  suiteIdParams,
  suiteResponse,
  updateSuiteRequest,
} from '../../../shared/evals';
import type { AppContext } from '../../context';
import { type App, currentUser } from '../../http';
import { SUITE_CONTENT_TYPES } from './formats';
import * as service from './service';

const tags = ['evals'];
const base = '/api/evals/suites';

export async function suiteRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(base, { schema: { tags, response: { 200: listSuitesResponse } } }, async (req) => ({
    suites: await service.listSuites(ctx, currentUser(req)),
  }));

  app.post(
    base,
    { schema: { tags, body: createSuiteRequest, response: { 201: suiteResponse } } },
    async (req, reply) => reply.code(201).send(await service.createSuite(ctx, currentUser(req), req.body)),
  );

  app.get(
    `${base}/:id`,
    { schema: { tags, params: suiteIdParams, response: { 200: suiteResponse } } },
    async (req) => service.getSuite(ctx, currentUser(req), req.params.id),
  );

  app.put(
    `${base}/:id`,
    { schema: { tags, params: suiteIdParams, body: updateSuiteRequest, response: { 200: suiteResponse } } },
    async (req) => service.updateSuite(ctx, currentUser(req), req.params.id, req.body),
  );

  app.delete(`${base}/:id`, { schema: { tags, params: suiteIdParams } }, async (req, reply) => {
    await service.deleteSuite(ctx, currentUser(req), req.params.id);
    return reply.code(204).send();
  });

  app.post(
    `${base}/:id/cases`,
    { schema: { tags, params: suiteIdParams, body: addCasesRequest, response: { 200: suiteResponse } } },
    async (req) => service.addCases(ctx, currentUser(req), req.params.id, req.body.cases),
  );

  app.post(
    `${base}/:id/import`,
    {
      bodyLimit: 21 * 1024 * 1024,
      schema: {
        tags,
        params: suiteIdParams,
        body: importSuiteRequest,
        response: { 200: importSuiteResponse },
      },
    },
    async (req) => service.importSuite(ctx, currentUser(req), req.params.id, req.body),
  );

  app.get(
    `${base}/:id/export`,
    {
      schema: {
        tags,
        params: suiteIdParams,
        querystring: exportSuiteQuery,
        produces: ['text/csv', 'application/x-ndjson', 'application/yaml'],
      },
    },
    async (req, reply) => {
      const { format } = req.query;
      const { name, body } = await service.exportSuite(ctx, currentUser(req), req.params.id, format);
      const file = `${name.replace(/[^A-Za-z0-9_-]+/g, '_') || 'suite'}.${format === 'yaml' ? 'yaml' : format}`;
      return reply
        .type(SUITE_CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(body);
    },
  );
}
