import type { AppContext } from '../context';
import * as corpus from '../corpus/service';
import { AppError } from '../errors';
import { LlmError, type StreamEvent } from '../llm/types';
import { packContext, type TurnArticle } from './context-packing';
import { offlineBrief } from './offline-brief';
import { readStyle } from './offline-style';
import { auspexTools, MAX_AGENT_STEPS } from './tools';
import type { OnText, RetrievalQuery, TurnInput, TurnResult } from './types';

// One Auspex turn: retrieve -> pack into the window -> stream the answer -> measured figures.

/**
 * Up to `limit` articles of the topic, best match first, by full-text search on the message;
 * the topic's newest articles when the search finds nothing (a greeting, a vague question).
 */
export async function retrieveArticles(
  ctx: AppContext,
  topic: string,
  message: string,
  limit: number,
): Promise<TurnArticle[]> {
  // The model reads whole articles; snippets are for people.
  const { results } = await corpus.searchArticles(ctx, { q: message, topic, limit, snippets: false });
  if (results.length > 0) return results;
  return corpus.topicArticles(ctx, topic, limit);
}

/** A turn's articles: the pinned ones when given, else a search of the topic for the message. */
export function turnArticles(ctx: AppContext, q: RetrievalQuery): Promise<TurnArticle[]> {
  return q.articleIds
    ? corpus.articlesByIds(ctx, q.articleIds)
    : retrieveArticles(ctx, q.topic, q.message, q.limit);
}

/** What the client is told when a turn fails; internals stay in the log. */
function failureMessage(ctx: AppContext, err: unknown): string {
  if (err instanceof LlmError) {
    if (err.kind === 'aborted') return 'The request was cancelled before the answer finished';
    return err.message;
  }
  if (err instanceof AppError) return err.message;
  ctx.log.error({ err }, 'auspex turn failed');
  return 'Internal error while generating the answer';
}

/** A turn that has not produced anything yet (or never will: pass the error). */
export function blankTurnResult(model: string, error: string | null = null): TurnResult {
  return {
    status: error ? 'error' : 'ok',
    error,
    error_kind: error ? 'internal' : null,
    response: '',
    model,
    offline: false,
    article_ids: [],
    article_count: 0,
    articles_dropped: 0,
    tools_used: [],
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    first_token_ms: null,
    execution_time_ms: 0,
  };
}

/** Runs a turn; never throws: failures come back as status 'error' with a clear message. */
export async function runAuspexTurn(ctx: AppContext, input: TurnInput, onText?: OnText): Promise<TurnResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const result = blankTurnResult(input.model ?? ctx.llm.defaultModel());
  const toolRun = input.agentic ? auspexTools(ctx, input.topic) : null;
  let packedIds: number[] = [];
  try {
    const info = ctx.llm.modelInfo(result.model);
    result.offline = info.offline;
    const query = {
      topic: input.topic,
      message: input.message,
      limit: input.limit,
      articleIds: input.articleIds,
    };
    const retrieved = await (input.retrieve ? input.retrieve(query) : turnArticles(ctx, query));
    const packed = packContext({
      topic: input.topic,
      system: input.systemPrompt,
      message: input.message,
      history: input.history ?? [],
      articles: retrieved,
      contextWindow: info.context_window,
      countTokens: (text) => ctx.llm.countTokens(text),
    });
    packedIds = packed.articles.map((a) => a.id);
    result.articles_dropped = packed.dropped;
    await input.beforeCall?.();

    let finish: Extract<StreamEvent, { type: 'finish' }> | null = null;
    for await (const event of ctx.llm.stream({
      model: result.model,
      system: input.systemPrompt,
      messages: [...packed.history, { role: 'user', content: packed.user }],
      ...(toolRun ? { tools: toolRun.tools, maxSteps: MAX_AGENT_STEPS } : {}),
      maxOutputTokens: packed.maxOutputTokens,
      signal: input.signal,
      offline: () => offlineBrief(input.topic, input.message, packed.articles, readStyle(input.systemPrompt)),
    })) {
      if (event.type === 'text') {
        result.first_token_ms ??= elapsed();
        result.response += event.text;
        onText?.(event.text);
      } else if (event.type === 'finish') {
        finish = event;
      }
    }
    if (!finish) throw new LlmError('The model stream ended without finishing', 'upstream');
    result.model = finish.model;
    result.offline = finish.offline;
    result.input_tokens = finish.usage.input_tokens;
    result.output_tokens = finish.usage.output_tokens;
    result.cost_usd = finish.cost_usd;
  } catch (err) {
    result.status = 'error';
    result.error = failureMessage(ctx, err);
    result.error_kind = err instanceof LlmError ? err.kind : 'internal';
  }
  // Articles the model saw: those packed into the prompt, then any a tool returned.
  const ids = new Set([...packedIds, ...(toolRun?.articles.keys() ?? [])]);
  result.article_ids = [...ids];
  result.article_count = ids.size;
  result.tools_used = toolRun?.calls ?? [];
  result.execution_time_ms = elapsed();
  return result;
}
