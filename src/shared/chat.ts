import { z } from 'zod';
import { idParam, rowId } from './common';

// Auspex chat sessions and the streamed message exchange.

export const ARTICLE_LIMIT_MIN = 5;
export const ARTICLE_LIMIT_MAX = 200;
export const ARTICLE_LIMIT_DEFAULT = 50;
export const CHAT_MESSAGE_MAX = 10_000;
export const CUSTOM_PROMPT_MAX = 50_000;

export const chatKind = z.enum(['auspex', 'workshop', 'test']);
export type ChatKind = z.infer<typeof chatKind>;

export const articleLimit = z
  .number()
  .int()
  .min(ARTICLE_LIMIT_MIN, `limit must be ${ARTICLE_LIMIT_MIN}–${ARTICLE_LIMIT_MAX}`)
  .max(ARTICLE_LIMIT_MAX, `limit must be ${ARTICLE_LIMIT_MIN}–${ARTICLE_LIMIT_MAX}`);

export const modelId = z
  .string()
  .regex(/^[a-z0-9_-]+:.+$/, 'model must look like provider:model')
  .max(200);

export const CHAT_TITLE_MAX = 200;

const chatTitle = z
  .string()
  .trim()
  .min(1, 'title is required')
  .max(CHAT_TITLE_MAX, `title must be at most ${CHAT_TITLE_MAX} characters`);

export const createChatRequest = z.object({
  topic: z.string().trim().min(1, 'topic is required').max(200),
  title: chatTitle,
});
export type CreateChatRequest = z.infer<typeof createChatRequest>;

export const createChatResponse = z.object({ chat_id: z.number().int() });

export const chatSession = z.object({
  id: z.number().int(),
  kind: chatKind,
  topic: z.string().nullable(),
  title: z.string(),
  message_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ChatSession = z.infer<typeof chatSession>;

export const renameChatRequest = z.object({ title: chatTitle });
export type RenameChatRequest = z.infer<typeof renameChatRequest>;

/** GET lists the caller's chats of one kind, latest activity (last answer) first. */
export const chatSessionsQuery = z.object({ kind: chatKind.default('auspex') });
export const chatSessionsResponse = z.object({ sessions: z.array(chatSession) });
export const chatIdParams = z.object({ id: idParam });

export const chatMessage = z.object({
  id: z.number().int(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  model: z.string().nullable(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  /** Assistant turns: the figures of the turn (articles, tools, timings, cost, prompt used). */
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});
export type ChatMessageResponse = z.infer<typeof chatMessage>;

/** System messages are internal and never listed. */
export const chatMessagesResponse = z.object({ chat_id: z.number().int(), messages: z.array(chatMessage) });
export type ChatMessagesResponse = z.infer<typeof chatMessagesResponse>;

export const chatMessageRequest = z
  .object({
    chat_id: rowId,
    message: z
      .string()
      .refine((v) => v.trim().length > 0, { message: 'message must not be empty' })
      .refine((v) => v.length <= CHAT_MESSAGE_MAX, {
        message: `message must be at most ${CHAT_MESSAGE_MAX} characters`,
      }),
    model: modelId.optional(),
    limit: articleLimit.default(ARTICLE_LIMIT_DEFAULT),
    /** A library prompt by name; neither this nor custom_prompt = the default prompt. */
    prompt_name: z.string().min(1).max(100).optional(),
    custom_prompt: z
      .string()
      .refine((v) => v.trim().length > 0, { message: 'custom_prompt must not be empty' })
      .refine((v) => v.length <= CUSTOM_PROMPT_MAX, {
        message: `custom_prompt must be at most ${CUSTOM_PROMPT_MAX} characters`,
      })
      .optional(),
    agentic: z.boolean().default(false),
  })
  .refine((v) => !(v.prompt_name && v.custom_prompt), {
    message: 'give prompt_name or custom_prompt, not both',
    path: ['custom_prompt'],
  });
export type ChatMessageRequest = z.infer<typeof chatMessageRequest>;

export const toolCall = z.object({ name: z.string(), input: z.unknown() });

/** The figures of one Auspex turn, as sent in the final SSE event and stored on the assistant message. */
export const turnFigures = z.object({
  status: z.enum(['ok', 'error']),
  error: z.string().nullable(),
  model: z.string(),
  offline: z.boolean(),
  article_ids: z.array(z.number().int()),
  article_count: z.number().int(),
  articles_dropped: z.number().int(),
  tools_used: z.array(toolCall),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cost_usd: z.number().nullable(),
  first_token_ms: z.number().nullable(),
  execution_time_ms: z.number(),
});
export type TurnFigures = z.infer<typeof turnFigures>;

// Server-Sent Events of POST /api/auspex/chat/message, one JSON object per `data:` line.
export const sseContentEvent = z.object({ content: z.string() });
export const sseErrorEvent = z.object({ error: z.string() });
/** Always the last event; carries the turn's figures when the turn ran. */
export const sseDoneEvent = z.looseObject({
  done: z.literal(true),
  status: z.enum(['ok', 'error']),
  chat_id: z.number().int().optional(),
  user_message_id: z.number().int().optional(),
  assistant_message_id: z.number().int().optional(),
});
export type SseDoneEvent = z.infer<typeof sseDoneEvent>;
