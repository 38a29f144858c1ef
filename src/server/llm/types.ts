import type { z } from 'zod';
import type { ModelInfo } from '../../shared/models';

// The contract between the model layer (llm/) and its callers (auspex/, workshop/).

/** id (provider:model), label, context window, prices (null = unknown), configured/offline/default flags. */
export type { ModelInfo } from '../../shared/models';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: z.ZodType;
  execute(input: any): Promise<unknown>;
}

export interface StreamRequest {
  /** provider:model; undefined = the configured default. */
  model?: string;
  system: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** Upper bound on model/tool round trips when tools are given. */
  maxSteps?: number;
  maxOutputTokens?: number;
  /**
   * Structured output: the schema is sent to the provider (OpenAI `response_format`, Anthropic
   * `output_config.format` or its JSON tool) through the AI SDK's `Output.object`, and the text
   * events carry the JSON. The caller validates it (the model may still break the shape).
   */
  output?: z.ZodType;
  signal?: AbortSignal;
  /**
   * What `offline:demo` answers for this request. Callers own their deterministic fallback
   * (Auspex: an extractive brief; workshop: a guided interview); the llm layer streams it in chunks.
   */
  offline: () => string;
}

export interface Usage {
  input_tokens: number | null;
  output_tokens: number | null;
}

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; name: string; input: unknown }
  | { type: 'tool-result'; name: string; output: unknown }
  | {
      type: 'finish';
      model: string;
      offline: boolean;
      usage: Usage;
      cost_usd: number | null;
      first_token_ms: number | null;
      finish_reason: string;
    };

/** Thrown (or yielded as the iterator's rejection) when a model call fails for good. */
export class LlmError extends Error {
  constructor(
    message: string,
    readonly kind:
      | 'config'
      | 'auth'
      | 'bad_request'
      | 'quota'
      | 'rate_limited'
      | 'timeout'
      | 'upstream'
      | 'aborted',
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface Llm {
  /** Configured providers' models and the offline one; `all` adds unconfigured catalog models. */
  listModels(options?: { all?: boolean }): Promise<ModelInfo[]>;
  /** The model used when a request names none. */
  defaultModel(): string;
  /** Known model info, or a conservative entry for an unknown model of a configured provider. */
  modelInfo(id: string): ModelInfo;
  /** Streams one answer; the iterator ends with exactly one `finish` event or throws LlmError. */
  stream(req: StreamRequest): AsyncIterable<StreamEvent>;
  /** Tokens in a text, counted with a real tokenizer. */
  countTokens(text: string): number;
}
