import type { ChatMessageRequest, TurnFigures } from '../../shared/chat';
import type { ChatResponder } from '../chats/responders';
import type { AppContext } from '../context';
import { badRequest } from '../errors';
import { assertModel } from '../llm/assert-model';
import { DEFAULT_PROMPT_CONTENT } from '../prompts/default-prompt';
import { getDefaultPrompt, getPrompt } from '../prompts/service';
import { runAuspexTurn } from './turn';
import type { TurnResult } from './types';

// Answers messages posted to `auspex` chats with an Auspex turn.

export interface ResolvedPrompt {
  text: string;
  /** Library name, or null for a custom prompt (and for the built-in fallback). */
  name: string | null;
  version: number | null;
}

/** The system prompt a request asks for: custom text, a library prompt by name, or the default. */
export async function resolveSystemPrompt(
  ctx: AppContext,
  req: Pick<ChatMessageRequest, 'prompt_name' | 'custom_prompt'>,
): Promise<ResolvedPrompt> {
  if (req.custom_prompt !== undefined) return { text: req.custom_prompt, name: null, version: null };
  if (req.prompt_name !== undefined) {
    const p = await getPrompt(ctx, req.prompt_name);
    return { text: p.content, name: p.name, version: p.version };
  }
  const p = await getDefaultPrompt(ctx);
  return p
    ? { text: p.content, name: p.name, version: p.version }
    : { text: DEFAULT_PROMPT_CONTENT, name: null, version: null };
}

export function turnFigures(r: TurnResult): TurnFigures {
  return {
    status: r.status,
    error: r.error,
    model: r.model,
    offline: r.offline,
    article_ids: r.article_ids,
    article_count: r.article_count,
    articles_dropped: r.articles_dropped,
    tools_used: r.tools_used,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cost_usd: r.cost_usd,
    first_token_ms: r.first_token_ms,
    execution_time_ms: r.execution_time_ms,
  };
}

// The prompt found while validating a request, so answering it needs no second lookup.
const validatedPrompts = new WeakMap<ChatMessageRequest, ResolvedPrompt>();

export const auspexResponder: ChatResponder = {
  async validate(ctx, { chat, request }) {
    if (!chat.topic) throw badRequest('This chat has no topic to research');
    assertModel(ctx, request.model);
    validatedPrompts.set(request, await resolveSystemPrompt(ctx, request));
  },
  async respond(ctx, { chat, message, history, request, signal }, onText) {
    const prompt = validatedPrompts.get(request) ?? (await resolveSystemPrompt(ctx, request));
    const result = await runAuspexTurn(
      ctx,
      {
        systemPrompt: prompt.text,
        message,
        topic: chat.topic ?? '',
        limit: request.limit,
        model: request.model,
        history,
        agentic: request.agentic,
        signal,
      },
      onText,
    );
    return {
      content: result.response,
      model: result.model,
      offline: result.offline,
      input_tokens: result.input_tokens,
      output_tokens: result.output_tokens,
      metadata: {
        ...turnFigures(result),
        prompt_name: prompt.name,
        prompt_version: prompt.version,
        custom_prompt: request.custom_prompt !== undefined,
        limit: request.limit,
        agentic: request.agentic,
      },
      error: result.error,
    };
  },
};
