import {
  chatIdParams,
  chatMessageRequest,
  chatMessagesResponse,
  chatSession,
  chatSessionsQuery,
  chatSessionsResponse,
  createChatRequest,
  createChatResponse,
  renameChatRequest,
} from '../../shared/chat';
import type { AppContext } from '../context';
import { type App, currentUser } from '../http';
import { streamSse } from '../sse';
import type { ChatResponders } from './responders';
import * as service from './service';

const tags = ['auspex'];

/** The chat API; `responders` says who answers each kind of chat (wired in app.ts). */
export async function chatRoutes(app: App, ctx: AppContext, responders: ChatResponders): Promise<void> {
  app.post(
    '/api/auspex/chat/sessions',
    { schema: { tags, body: createChatRequest, response: { 201: createChatResponse } } },
    async (req, reply) => reply.code(201).send(await service.createSession(ctx, currentUser(req), req.body)),
  );

  app.get(
    '/api/auspex/chat/sessions',
    { schema: { tags, querystring: chatSessionsQuery, response: { 200: chatSessionsResponse } } },
    async (req) => ({ sessions: await service.listSessions(ctx, currentUser(req), req.query.kind) }),
  );

  app.get(
    '/api/auspex/chat/sessions/:id/messages',
    { schema: { tags, params: chatIdParams, response: { 200: chatMessagesResponse } } },
    async (req) => service.listChatMessages(ctx, currentUser(req), req.params.id),
  );

  app.patch(
    '/api/auspex/chat/sessions/:id',
    {
      schema: {
        tags,
        params: chatIdParams,
        body: renameChatRequest,
        response: { 200: chatSession },
        description: 'Renames the chat (title 1–200 characters, trimmed); its place in the list stays.',
      },
    },
    async (req) => service.renameSession(ctx, currentUser(req), req.params.id, req.body),
  );

  app.delete(
    '/api/auspex/chat/sessions/:id',
    { schema: { tags, params: chatIdParams } },
    async (req, reply) => {
      await service.deleteSession(ctx, currentUser(req), req.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/auspex/chat/message',
    {
      schema: {
        tags,
        body: chatMessageRequest,
        description:
          'Server-Sent Events: `data: {"content": …}` chunks, `data: {"error": …}` on failure, and always a ' +
          'final `data: {"done": true, …figures}`; `: ping` comments every 15 s.',
      },
    },
    async (req, reply) => {
      const prepared = await service.prepareMessage(ctx, responders, currentUser(req), req.body);
      await streamSse(req, reply, (send, signal) => service.runMessage(ctx, prepared, send, signal));
    },
  );
}
