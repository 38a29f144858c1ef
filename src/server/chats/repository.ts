import type { DB } from '../db/database';
import type { ChatRow, ChatsTable, MessageRow, MessagesTable } from '../db/types';

// Chats and their messages; shared by the Auspex chat API and the workshop assistant.

export interface NewChat {
  user_id: number;
  kind: ChatsTable['kind'];
  topic: string | null;
  title: string;
  /** Defaults to now. */
  at?: string;
}

export function insertChat(db: DB, chat: NewChat): Promise<ChatRow> {
  const at = chat.at ?? new Date().toISOString();
  return db
    .insertInto('chats')
    .values({
      user_id: chat.user_id,
      kind: chat.kind,
      topic: chat.topic,
      title: chat.title,
      created_at: at,
      updated_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findChat(db: DB, id: number): Promise<ChatRow | undefined> {
  return db.selectFrom('chats').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user's chats of one kind, latest activity first, with how many messages each holds. */
export function listChats(db: DB, userId: number, kind: ChatsTable['kind']) {
  return db
    .selectFrom('chats as c')
    .leftJoin('messages as m', (j) => j.onRef('m.chat_id', '=', 'c.id').on('m.role', '!=', 'system'))
    .selectAll('c')
    .select((eb) => eb.fn.count<number>('m.id').as('message_count'))
    .where('c.user_id', '=', userId)
    .where('c.kind', '=', kind)
    .groupBy(['c.id', 'c.user_id', 'c.kind', 'c.topic', 'c.title', 'c.created_at', 'c.updated_at'])
    .orderBy('c.updated_at', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
}

/** One chat as listed (message count included), or undefined. */
export function findChatSummary(db: DB, id: number) {
  return db
    .selectFrom('chats as c')
    .leftJoin('messages as m', (j) => j.onRef('m.chat_id', '=', 'c.id').on('m.role', '!=', 'system'))
    .selectAll('c')
    .select((eb) => eb.fn.count<number>('m.id').as('message_count'))
    .where('c.id', '=', id)
    .groupBy(['c.id', 'c.user_id', 'c.kind', 'c.topic', 'c.title', 'c.created_at', 'c.updated_at'])
    .executeTakeFirst();
}

export async function renameChat(db: DB, id: number, title: string): Promise<void> {
  await db.updateTable('chats').set({ title }).where('id', '=', id).execute();
}

export async function touchChat(db: DB, id: number, at: string): Promise<void> {
  await db.updateTable('chats').set({ updated_at: at }).where('id', '=', id).execute();
}

/** Deletes the chat; its messages go with it (ON DELETE CASCADE). */
export async function deleteChat(trx: DB, id: number): Promise<void> {
  await trx.deleteFrom('chats').where('id', '=', id).execute();
}

export interface NewMessage {
  chat_id: number;
  role: MessagesTable['role'];
  content: string;
  model?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  /** Stored as JSON text. */
  metadata?: Record<string, unknown>;
  at?: string;
}

export function insertMessage(db: DB, message: NewMessage): Promise<MessageRow> {
  return db
    .insertInto('messages')
    .values({
      chat_id: message.chat_id,
      role: message.role,
      content: message.content,
      model: message.model ?? null,
      input_tokens: message.input_tokens ?? null,
      output_tokens: message.output_tokens ?? null,
      metadata: JSON.stringify(message.metadata ?? {}),
      created_at: message.at ?? new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every message of a chat, system ones included, oldest first. */
export function listMessages(db: DB, chatId: number): Promise<MessageRow[]> {
  return db.selectFrom('messages').selectAll().where('chat_id', '=', chatId).orderBy('id').execute();
}
