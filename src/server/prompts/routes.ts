import {
  createPromptRequest,
  promptListResponse,
  promptNameParams,
  promptResponse,
  promptVersionsResponse,
  updatePromptRequest,
} from '../../shared/prompts';
import type { AppContext } from '../context';
import { type App, currentUser } from '../http';
import * as service from './service';

const tags = ['prompts'];

export async function promptRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/auspex/prompts', { schema: { tags, response: { 200: promptListResponse } } }, async (req) => {
    const user = currentUser(req);
    return { prompts: (await service.listPrompts(ctx)).map((p) => service.toPromptResponse(p, user)) };
  });

  app.post(
    '/api/auspex/prompts',
    { schema: { tags, body: createPromptRequest, response: { 201: promptResponse } } },
    async (req, reply) => {
      const user = currentUser(req);
      const prompt = await service.createPrompt(ctx, user, req.body);
      return reply.code(201).send(service.toPromptResponse(prompt, user));
    },
  );

  app.get(
    '/api/auspex/prompts/:name',
    { schema: { tags, params: promptNameParams, response: { 200: promptResponse } } },
    async (req) => service.toPromptResponse(await service.getPrompt(ctx, req.params.name), currentUser(req)),
  );

  app.put(
    '/api/auspex/prompts/:name',
    {
      schema: {
        tags,
        params: promptNameParams,
        body: updatePromptRequest,
        response: { 200: promptResponse },
      },
    },
    async (req) => {
      const user = currentUser(req);
      return service.toPromptResponse(await service.updatePrompt(ctx, user, req.params.name, req.body), user);
    },
  );

  app.delete(
    '/api/auspex/prompts/:name',
    { schema: { tags, params: promptNameParams } },
    async (req, reply) => {
      await service.deletePrompt(ctx, currentUser(req), req.params.name);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/auspex/prompts/:name/versions',
    { schema: { tags, params: promptNameParams, response: { 200: promptVersionsResponse } } },
    async (req) => {
      currentUser(req);
      return service.listPromptVersions(ctx, req.params.name);
    },
  );
}
