import type { LanguageModelV3, LanguageModelV3Prompt, LanguageModelV3Usage } from '@ai-sdk/provider';
import type { LanguageModelUsage, TextStreamPart, ToolSet } from 'ai';
import type { ChatMessage } from './types';

// A call with no tools and no structured output goes to the provider model's own `doStream` (the
// AI SDK's LanguageModelV3 interface): streamText's steps, spans and stream stitching cost about
// as much CPU again as the call itself (bench/llm-stream.ts), and a run of 50 cells at a time is
// CPU-bound on them. The parts come out as streamText's, so one loop in stream.ts reads either.

export interface PlainTextCall {
  prompt: LanguageModelV3Prompt;
  maxOutputTokens: number | undefined;
  abortSignal: AbortSignal;
}

export function toPrompt(system: string, messages: ChatMessage[]): LanguageModelV3Prompt {
  return [
    { role: 'system', content: system },
    ...messages.map((m) => ({ role: m.role, content: [{ type: 'text' as const, text: m.content }] })),
  ];
}

export async function* plainTextParts(
  model: LanguageModelV3,
  call: PlainTextCall,
): AsyncGenerator<TextStreamPart<ToolSet>> {
  const { stream } = await model.doStream({
    prompt: call.prompt,
    maxOutputTokens: call.maxOutputTokens,
    abortSignal: call.abortSignal,
    includeRawChunks: false,
  });
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      const part = next.value;
      switch (part.type) {
        case 'text-delta':
          yield { type: 'text-delta', id: part.id, text: part.delta };
          break;
        case 'reasoning-delta':
          yield { type: 'reasoning-delta', id: part.id, text: part.delta };
          break;
        case 'error':
          yield { type: 'error', error: part.error };
          break;
        case 'finish':
          yield {
            type: 'finish',
            finishReason: part.finishReason.unified,
            rawFinishReason: part.finishReason.raw,
            totalUsage: usageOf(part.usage),
          };
          break;
        // Starts, ends, metadata and warnings: nothing the stream loop reads.
      }
    }
  } finally {
    // The consumer stopped early: the upstream body must not be left half read.
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

function usageOf(u: LanguageModelV3Usage): LanguageModelUsage {
  const input = u.inputTokens.total;
  const output = u.outputTokens.total;
  return {
    inputTokens: input,
    inputTokenDetails: {
      noCacheTokens: u.inputTokens.noCache,
      cacheReadTokens: u.inputTokens.cacheRead,
      cacheWriteTokens: u.inputTokens.cacheWrite,
    },
    outputTokens: output,
    outputTokenDetails: { textTokens: u.outputTokens.text, reasoningTokens: u.outputTokens.reasoning },
    totalTokens: input === undefined || output === undefined ? undefined : input + output,
  };
}
