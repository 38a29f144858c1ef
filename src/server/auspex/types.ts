import type { ChatMessage, LlmError } from '../llm/types';
import type { TurnArticle } from './context-packing';

// The contract of one Auspex turn, used by the chat API and by workshop test runs.

export interface TurnInput {
  /** The system prompt text to use (the caller resolves library prompts and drafts to text). */
  systemPrompt: string;
  message: string;
  topic: string;
  /** Articles to retrieve, 5–200 (default 50). */
  limit: number;
  model?: string;
  history?: ChatMessage[];
  /** Let the model call the Auspex tools for a bounded number of steps. */
  agentic?: boolean;
  /** Use exactly these articles (in this order) instead of searching: pinned retrieval. */
  articleIds?: number[];
  /** How the articles are fetched (a caller may remember them); the default is turnArticles. */
  retrieve?: Retrieve;
  /**
   * Waits, once the prompt is built, until the model may be called (an eval run's call slots;
   * the run takes that wait out of its cell's times). A rejection fails the turn without a call.
   */
  beforeCall?: () => Promise<void>;
  signal?: AbortSignal;
}

/** What a turn retrieves its articles for. */
export interface RetrievalQuery {
  topic: string;
  message: string;
  limit: number;
  articleIds?: number[];
}

export type Retrieve = (q: RetrievalQuery) => Promise<TurnArticle[]>;

export interface ToolCallRecord {
  name: string;
  input: unknown;
}

export interface TurnResult {
  status: 'ok' | 'error';
  error: string | null;
  /** What kind of failure `error` is (a model's rate limit can be retried later; a bad prompt not). */
  error_kind: LlmError['kind'] | 'internal' | 'template' | null;
  response: string;
  model: string;
  offline: boolean;
  article_ids: number[];
  article_count: number;
  articles_dropped: number;
  tools_used: ToolCallRecord[];
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  first_token_ms: number | null;
  execution_time_ms: number;
}

/** Receives the answer as it is generated, for streaming to a client. */
export type OnText = (chunk: string) => void;
