import type { ChatMessageRequest } from '../../shared/chat';
import type { AuthUser } from '../auth/types';
import type { AppContext } from '../context';
import type { ChatRow } from '../db/types';
import type { ChatMessage } from '../llm/types';

// Who answers a message posted to POST /api/auspex/chat/message depends on the chat's kind. The
// chats feature knows only this contract: app.ts passes in who answers which kind (Auspex for
// `auspex` chats, the workshop's design assistant for `workshop` chats).

export interface ChatResponderInput {
  chat: ChatRow;
  user: AuthUser;
  message: string;
  /** Earlier user/assistant turns of this chat, oldest first (failed turns left out). */
  history: ChatMessage[];
  model?: string;
  /** The whole validated request, for responders that use more of it (limit, prompt_name, …). */
  request: ChatMessageRequest;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
}

export interface ChatResponderResult {
  /** The answer as streamed (partial when the turn failed). */
  content: string;
  model: string;
  offline: boolean;
  input_tokens: number | null;
  output_tokens: number | null;
  /** Stored on the assistant message and sent in the final `done` event. */
  metadata: Record<string, unknown>;
  /** Set when the turn failed; sent to the client as `data: {"error": …}` before `done`. */
  error?: string | null;
}

export type ChatRespondFn = (
  ctx: AppContext,
  input: ChatResponderInput,
  onText: (chunk: string) => void,
) => Promise<ChatResponderResult>;

export interface ChatResponder {
  /**
   * Runs before the stream opens and before anything is stored: throw an AppError for bad input
   * (unknown prompt, unknown model) and the client gets an ordinary JSON 4xx.
   */
  validate?: (ctx: AppContext, input: Omit<ChatResponderInput, 'signal' | 'history'>) => Promise<void>;
  respond: ChatRespondFn;
}

/** Who answers each kind of chat; a kind without a responder does not take messages. */
export type ChatResponders = Partial<Record<ChatRow['kind'], ChatResponder>>;
