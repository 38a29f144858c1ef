import { z } from 'zod';
import { AppError } from '../../errors';
import { UNKNOWN_CONTEXT_WINDOW } from '../../llm/catalog';
import { NO_TEXT } from '../../llm/stream';
import { type ChatMessage, LlmError } from '../../llm/types';
import type { JudgeContext, JudgeUsage } from './types';

// One judge verdict from a model: structured output through the llm layer (its retries, timeouts,
// 429 handling and catalog prices), the reply validated here, a malformed one asked for once more.

/** The judge model to use: the config's, else EVAL_JUDGE_MODEL. Unknown: a 404 naming it. */
export function assertJudgeModel(ctx: JudgeContext, model?: string): string {
  const id = model ?? ctx.config.evals.judgeModel;
  try {
    ctx.llm.modelInfo(id);
  } catch (err) {
    if (err instanceof LlmError)
      throw new AppError('not_found', `Judge model "${id}" not found: ${err.message}`);
    throw err;
  }
  return id;
}

/**
 * Every verdict's reason. Emptiness is checked by a refinement, not minLength: OpenAI's strict
 * structured outputs refuse string length keywords in the schema.
 */
export const verdictReason = z
  .string()
  .trim()
  .refine((s) => s.length > 0, 'the reason is empty')
  .describe('One to three sentences: why.');

/** The judge model's context window, which bounds how much article text it is shown. */
export const judgeContextWindow = (ctx: JudgeContext, model: string): number =>
  ctx.llm.modelInfo(model).context_window ?? UNKNOWN_CONTEXT_WINDOW;

/** The usage fields alone, without a result's other fields. */
export const usageOf = (r: JudgeUsage): JudgeUsage => ({
  model: r.model,
  input_tokens: r.input_tokens,
  output_tokens: r.output_tokens,
  cost_usd: r.cost_usd,
});

export interface JudgeCall<T> {
  model: string;
  system: string;
  user: string;
  /** The verdict's shape: sent to the provider and checked on the reply. */
  schema: z.ZodType<T>;
  /** The offline:demo judge's verdict (deterministic rules), answered as the same JSON. */
  offline: () => T;
  signal?: AbortSignal;
}

export type JudgeCallResult<T> = ({ ok: true; value: T } | { ok: false; error: string }) & JudgeUsage;

/** How many times a malformed verdict is asked for again. */
const MALFORMED_RETRIES = 1;

/**
 * Asks for a verdict. Failures come back as `ok: false` with what was spent; a cancelled call
 * (the caller's signal) rethrows its LlmError, so a cancelled run stores nothing.
 */
export async function callJudge<T>(ctx: JudgeContext, call: JudgeCall<T>): Promise<JudgeCallResult<T>> {
  const usage: JudgeUsage = { model: call.model, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
  const messages: ChatMessage[] = [{ role: 'user', content: call.user }];
  let problem = '';
  for (let attempt = 0; attempt <= MALFORMED_RETRIES; attempt++) {
    let text = '';
    try {
      for await (const e of ctx.llm.stream({
        model: call.model,
        system: call.system,
        messages,
        output: call.schema,
        signal: call.signal,
        offline: () => JSON.stringify(call.offline()),
      })) {
        if (e.type === 'text') text += e.text;
        if (e.type === 'finish') {
          usage.input_tokens = add(usage.input_tokens, e.usage.input_tokens);
          usage.output_tokens = add(usage.output_tokens, e.usage.output_tokens);
          usage.cost_usd = addCost(usage.cost_usd, e.cost_usd);
        }
      }
    } catch (err) {
      if (!(err instanceof LlmError) || err.kind === 'aborted') throw err;
      if (err.message === NO_TEXT) {
        // An empty reply is a malformed verdict like any other; the layer reports no usage for it.
        text = '';
        usage.input_tokens = usage.output_tokens = usage.cost_usd = null;
      } else {
        // The llm layer has already retried what was worth retrying (429s, 5xx, dropped connections).
        return { ok: false, error: `the judge model failed: ${err.message}`, ...usage };
      }
    }
    const parsed = parseVerdict(text, call.schema);
    if (parsed.ok) return { ok: true, value: parsed.value, ...usage };
    problem = parsed.error;
    // Providers refuse an empty assistant turn: an empty reply is only described.
    if (text.trim()) messages.push({ role: 'assistant', content: text });
    messages.push({
      role: 'user',
      content: `That reply was not a valid verdict (${problem}). Reply again with the JSON object only, in the shape asked for.`,
    });
  }
  const tries = MALFORMED_RETRIES + 1;
  return { ok: false, error: `malformed verdict after ${tries} attempts: ${problem}`, ...usage };
}

/** The reply as a verdict: JSON (a ```json fence tolerated) of the schema's shape, or why not. */
export function parseVerdict<T>(
  text: string,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; error: string } {
  const body = text
    .trim()
    .replace(/^```(?:json)?\s*\n([\s\S]*?)\n?```$/i, '$1')
    .trim();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: `not JSON: ${excerpt(body)}` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : 'the reply';
  return { ok: false, error: `wrong shape: ${where}: ${issue.message}` };
}

function excerpt(text: string): string {
  if (!text) return '(empty reply)';
  const one = text.replace(/\s+/g, ' ');
  return JSON.stringify(one.length > 120 ? `${one.slice(0, 120)}…` : one);
}

const add = (sum: number | null, n: number | null) => (sum === null || n === null ? null : sum + n);

/** Summed and rounded like the catalog's figures, so float noise does not show. */
const addCost = (sum: number | null, n: number | null) =>
  sum === null || n === null ? null : Math.round((sum + n) * 1e8) / 1e8;
