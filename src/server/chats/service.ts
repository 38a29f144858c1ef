import type {
  ChatKind,
  ChatMessageRequest,
  ChatMessagesResponse,
  ChatSession,
  CreateChatRequest,
  RenameChatRequest,
} from '../../shared/chat';
import type { AuthUser } from '../auth/types';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import * as corpus from '../corpus/service';
import type { DB } from '../db/database';
import type { ChatRow, MessageRow } from '../db/types';
import { badRequest, notFound } from '../errors';
import type { ChatMessage } from '../llm/types';
import { clientMessage, type SseSend } from '../sse';
import * as repo from './repository';
import type { ChatResponder, ChatResponderResult, ChatResponders } from './responders';

/** Earlier turns sent with a new message; packing may keep fewer. */
const HISTORY_MESSAGES = 20;

/** The caller's chat; another user's chat is a 404 exactly like a missing one. */
export async function ownChat(ctx: AppContext, user: AuthUser, id: number): Promise<ChatRow> {
  const chat = await repo.findChat(ctx.db, id);
  if (!chat || chat.user_id !== user.id) throw notFound(`Chat ${id}`);
  return chat;
}

export async function createSession(ctx: AppContext, user: AuthUser, input: CreateChatRequest) {
  const topic = await corpus.getTopic(ctx, input.topic);
  const chat = await repo.insertChat(ctx.db, {
    user_id: user.id,
    kind: 'auspex',
    topic: topic.name,
    title: input.title,
  });
  return { chat_id: chat.id };
}

const toSession = (r: ChatRow & { message_count: number | string | bigint }): ChatSession => ({
  id: r.id,
  kind: r.kind,
  topic: r.topic,
  title: r.title,
  message_count: Number(r.message_count),
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export async function listSessions(ctx: AppContext, user: AuthUser, kind: ChatKind): Promise<ChatSession[]> {
  return (await repo.listChats(ctx.db, user.id, kind)).map(toSession);
}

/**
 * Renames the caller's chat. The title is not activity: updated_at (the list order) stays, so a
 * renamed chat keeps its place.
 */
export async function renameSession(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  input: RenameChatRequest,
): Promise<ChatSession> {
  const chat = await ownChat(ctx, user, id);
  await repo.renameChat(ctx.db, chat.id, input.title);
  const row = await repo.findChatSummary(ctx.db, chat.id);
  if (!row) throw notFound(`Chat ${id}`); // deleted meanwhile
  return toSession(row);
}

const parseMetadata = (text: string): Record<string, unknown> => {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
};

/** User and assistant messages, oldest first; system messages are internal and left out. */
export async function listChatMessages(
  ctx: AppContext,
  user: AuthUser,
  id: number,
): Promise<ChatMessagesResponse> {
  const chat = await ownChat(ctx, user, id);
  const rows = await repo.listMessages(ctx.db, chat.id);
  return {
    chat_id: chat.id,
    messages: rows.flatMap((m) =>
      m.role === 'system'
        ? []
        : [
            {
              id: m.id,
              role: m.role,
              content: m.content,
              model: m.model,
              input_tokens: m.input_tokens,
              output_tokens: m.output_tokens,
              metadata: parseMetadata(m.metadata),
              created_at: m.created_at,
            },
          ],
    ),
  };
}

export async function deleteSession(ctx: AppContext, user: AuthUser, id: number): Promise<void> {
  const chat = await ownChat(ctx, user, id);
  await ctx.db.transaction().execute((trx) => repo.deleteChat(trx, chat.id));
}

/**
 * The conversation so far as model turns. A failed exchange (assistant turn stored with an error)
 * is left out together with the question that caused it.
 */
export function historyOf(rows: MessageRow[]): ChatMessage[] {
  const turns: ChatMessage[] = [];
  for (const m of rows) {
    if (m.role === 'user') turns.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') {
      const failed = parseMetadata(m.metadata).status === 'error' || m.content.length === 0;
      if (failed) {
        if (turns.at(-1)?.role === 'user') turns.pop();
      } else turns.push({ role: 'assistant', content: m.content });
    }
  }
  return turns.slice(-HISTORY_MESSAGES);
}

export interface PreparedMessage {
  chat: ChatRow;
  user: AuthUser;
  request: ChatMessageRequest;
  responder: ChatResponder;
}

/** Everything that can fail as a plain 4xx, checked before the stream opens or anything is stored. */
export async function prepareMessage(
  ctx: AppContext,
  responders: ChatResponders,
  user: AuthUser,
  request: ChatMessageRequest,
): Promise<PreparedMessage> {
  const chat = await ownChat(ctx, user, request.chat_id);
  const responder = responders[chat.kind];
  if (!responder) throw badRequest(`Chats of kind "${chat.kind}" do not take messages`);
  await responder.validate?.(ctx, { chat, user, message: request.message, model: request.model, request });
  await ctx.budgets.modelCalls.take(String(user.id));
  return { chat, user, request, responder };
}

/**
 * Stores the user's message, streams the responder's answer as `{content}` events, stores the
 * answer (partial on failure) with its figures, and returns what the final `done` event carries.
 */
export async function runMessage(
  ctx: AppContext,
  prepared: PreparedMessage,
  send: SseSend,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  const { chat, user, request, responder } = prepared;
  const history = historyOf(await repo.listMessages(ctx.db, chat.id));
  const userMessage = await repo.insertMessage(ctx.db, {
    chat_id: chat.id,
    role: 'user',
    content: request.message,
  });

  let result: ChatResponderResult;
  let streamed = '';
  try {
    result = await responder.respond(
      ctx,
      { chat, user, message: request.message, history, model: request.model, request, signal },
      (chunk) => {
        streamed += chunk;
        send({ content: chunk });
      },
    );
  } catch (err) {
    // Responders should report failures in `error`; a throw is still turned into a clean ending.
    const error = clientMessage(err);
    if (error === 'Internal server error') ctx.log.error({ err }, 'chat responder failed');
    result = {
      content: streamed,
      model: request.model ?? '',
      offline: false,
      input_tokens: null,
      output_tokens: null,
      metadata: {},
      error,
    };
  }
  const status = result.error ? 'error' : 'ok';
  if (result.error) send({ error: result.error });

  const at = nowIso();
  const assistant = await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertMessage(trx, {
      chat_id: chat.id,
      role: 'assistant',
      content: result.content,
      model: result.model || null,
      input_tokens: result.input_tokens,
      output_tokens: result.output_tokens,
      metadata: { ...result.metadata, status, error: result.error ?? null },
      at,
    });
    await repo.touchChat(trx, chat.id, at);
    return row;
  });
  return {
    ...result.metadata,
    status,
    error: result.error ?? null,
    model: result.model,
    offline: result.offline,
    input_tokens: result.input_tokens,
    output_tokens: result.output_tokens,
    chat_id: chat.id,
    user_message_id: userMessage.id,
    assistant_message_id: assistant.id,
  };
}

// For features whose records own a chat (a workshop draft owns its conversation): they write it
// through these, inside their own transaction, never through the repository.

export interface OpeningMessage {
  role: MessageRow['role'];
  content: string;
  model?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  metadata?: Record<string, unknown>;
}

/** A new chat with its first messages, inside the caller's transaction. */
export async function openChat(
  trx: DB,
  chat: repo.NewChat & { at: string },
  messages: OpeningMessage[],
): Promise<ChatRow> {
  const row = await repo.insertChat(trx, chat);
  for (const m of messages) await repo.insertMessage(trx, { chat_id: row.id, ...m, at: chat.at });
  return row;
}

/** Every message of a chat, oldest first (system messages included). */
export function chatMessages(db: DB, chatId: number): Promise<MessageRow[]> {
  return repo.listMessages(db, chatId);
}

/** Marks the chat active now (its place in the list). */
export function touchChat(db: DB, chatId: number, at: string): Promise<void> {
  return repo.touchChat(db, chatId, at);
}

/** Deletes a chat with its messages; call inside the owner's transaction. */
export function removeChat(trx: DB, chatId: number): Promise<void> {
  return repo.deleteChat(trx, chatId);
}
