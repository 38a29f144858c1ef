import { modelsQuery, modelsResponse } from '../../shared/models';
import type { AppContext } from '../context';
import type { App } from '../http';

export async function modelRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/models',
    { schema: { tags: ['models'], querystring: modelsQuery, response: { 200: modelsResponse } } },
    async (req) => ({
      models: await ctx.llm.listModels({ all: req.query.all }),
      default_model: ctx.llm.defaultModel(),
    }),
  );
}
