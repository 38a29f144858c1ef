import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';

// How a configured provider builds a language model, as plain data: the server's own thread and
// the model worker (model-worker.ts) build the same model from the same spec.

export type FetchFunction = typeof globalThis.fetch;

export type ProviderSpec =
  | { kind: 'openai'; apiKey: string; baseURL: string | undefined }
  | { kind: 'anthropic'; apiKey: string; baseURL: string | undefined }
  | { kind: 'ollama' | 'compatible'; name: string; baseURL: string; apiKey: string | undefined };

export function buildModel(spec: ProviderSpec, modelId: string, fetch: FetchFunction): LanguageModelV3 {
  switch (spec.kind) {
    case 'openai':
      // .chat(): Chat Completions, the protocol OpenAI-compatible servers speak too.
      return createOpenAI({ apiKey: spec.apiKey, baseURL: spec.baseURL, fetch }).chat(modelId);
    case 'anthropic':
      return createAnthropic({ apiKey: spec.apiKey, baseURL: spec.baseURL, fetch })(modelId);
    default:
      return createOpenAICompatible({
        name: spec.name,
        baseURL: spec.baseURL,
        apiKey: spec.apiKey,
        includeUsage: true,
        fetch,
      }).chatModel(modelId);
  }
}
