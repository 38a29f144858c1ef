import { useQuery } from '@tanstack/react-query';
import {
  type ChatMessageRequest,
  type CreateChatRequest,
  chatMessagesResponse,
  chatSession,
  chatSessionsResponse,
  createChatResponse,
} from '../../shared/chat';
import { api, sendNoContent } from './http';
import { postSse, type SseHandlers } from './sse';

export const chatKeys = { messages: (chatId: number) => ['chat', chatId, 'messages'] as const };

export function useChatMessages(chatId: number | null) {
  return useQuery({
    queryKey: chatKeys.messages(chatId ?? 0),
    queryFn: async () =>
      (await api('GET', `/api/auspex/chat/sessions/${chatId}/messages`, chatMessagesResponse)).messages,
    enabled: chatId !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const createChat = (body: CreateChatRequest) =>
  api('POST', '/api/auspex/chat/sessions', createChatResponse, body);

/** One chat turn; the answer streams into the handlers. `limit` and `agentic` take the server's defaults. */
export function sendChatMessage(
  body: Omit<ChatMessageRequest, 'limit' | 'agentic'> & Partial<Pick<ChatMessageRequest, 'limit'>>,
  handlers: SseHandlers,
  signal?: AbortSignal,
): Promise<void> {
  return postSse('/api/auspex/chat/message', body, handlers, signal);
}

export const chatSessionsKey = ['chat', 'sessions'] as const;

/** The caller's Auspex chats, latest activity first. */
export function useChatSessions() {
  return useQuery({
    queryKey: chatSessionsKey,
    queryFn: async () => (await api('GET', '/api/auspex/chat/sessions', chatSessionsResponse)).sessions,
  });
}

export const renameChat = (id: number, title: string) =>
  api('PATCH', `/api/auspex/chat/sessions/${id}`, chatSession, { title });
export const deleteChat = (id: number) => sendNoContent('DELETE', `/api/auspex/chat/sessions/${id}`);
