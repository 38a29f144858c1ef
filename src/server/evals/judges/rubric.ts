import { z } from 'zod';
import { assertJudgeModel, callJudge, judgeContextWindow, usageOf, verdictReason } from './call';
import { assess, explain, OFFLINE_LABEL, offlinePass, offlineRating } from './offline';
import { articlesBlock, MATERIAL_NOTE, tag } from './prompt';
import type { JudgeArticle, JudgeContext, JudgeVerdict, LlmRubricConfig } from './types';

// The llm-rubric judge: grades one answer against a rubric, pass/fail or 1–5, with a reason.

export interface RubricInput {
  query: string;
  articles: JudgeArticle[];
  answer: string;
  config: LlmRubricConfig;
  signal?: AbortSignal;
}

export const passFailVerdict = z.object({
  reason: verdictReason,
  pass: z.boolean().describe('Whether the answer meets the rubric.'),
});

export const ratingVerdict = z.object({
  reason: verdictReason,
  rating: z
    .number()
    .int()
    .min(1)
    .max(5)
    .describe('1 = fails the rubric, 3 = partly meets it, 5 = fully meets it.'),
});

export const DEFAULT_PASS_AT = 4;

/**
 * The verdict of the judge model (config.model, else EVAL_JUDGE_MODEL). An unknown model throws
 * the not_found AppError naming it; a failed call or a verdict malformed twice is a judge_error.
 */
export async function judgeRubric(ctx: JudgeContext, input: RubricInput): Promise<JudgeVerdict> {
  const model = assertJudgeModel(ctx, input.config.model);
  const { config } = input;
  const material = [
    tag('query', input.query),
    articlesBlock(input.articles, config.include_bodies ?? false, judgeContextWindow(ctx, model)),
    tag('answer', input.answer),
    tag('rubric', config.rubric),
  ].join('\n\n');
  const offline = assess(input.answer, config.rubric, input.query, input.articles);
  const offlineReason = `${OFFLINE_LABEL}: ${explain(offline)}.`;

  if (config.scale === 'pass-fail') {
    const r = await callJudge(ctx, {
      model,
      system: systemPrompt('{"reason": "<one to three sentences>", "pass": true or false}'),
      user: material,
      schema: passFailVerdict,
      offline: () => ({ reason: offlineReason, pass: offlinePass(offline) }),
      signal: input.signal,
    });
    if (!r.ok) return { status: 'judge_error', error: r.error, ...usageOf(r) };
    return {
      status: 'ok',
      pass: r.value.pass,
      score: r.value.pass ? 1 : 0,
      rating: null,
      reason: r.value.reason,
      ...usageOf(r),
    };
  }

  const r = await callJudge(ctx, {
    model,
    system: systemPrompt(
      '{"reason": "<one to three sentences>", "rating": <an integer from 1 to 5>}, where 1 means the answer fails the rubric, 3 that it partly meets it and 5 that it fully meets it',
    ),
    user: material,
    schema: ratingVerdict,
    offline: () => ({ reason: offlineReason, rating: offlineRating(offline) }),
    signal: input.signal,
  });
  if (!r.ok) return { status: 'judge_error', error: r.error, ...usageOf(r) };
  const rating = r.value.rating;
  return {
    status: 'ok',
    pass: rating >= (config.pass_at ?? DEFAULT_PASS_AT),
    score: (rating - 1) / 4,
    rating,
    reason: r.value.reason,
    ...usageOf(r),
  };
}

function systemPrompt(shape: string): string {
  return [
    'You are an impartial evaluation judge for Auspex, a research assistant that answers questions about news articles and cites the articles it used.',
    'You are given the user query, the articles retrieved for it, the assistant answer and a rubric. Judge the answer against the rubric alone.',
    MATERIAL_NOTE,
    `Reply with one JSON object and nothing else: ${shape}.`,
  ].join('\n');
}
