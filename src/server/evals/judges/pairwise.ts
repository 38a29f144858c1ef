import { z } from 'zod';
import { OFFLINE_ID } from '../../llm/offline';
import { assertJudgeModel, callJudge, judgeContextWindow, usageOf, verdictReason } from './call';
import { assess, explain, OFFLINE_LABEL, type OfflineAssessment } from './offline';
import { articlesBlock, MATERIAL_NOTE, tag } from './prompt';
import type {
  JudgeArticle,
  JudgeContext,
  JudgeUsage,
  PairwiseOrderVerdict,
  PairwiseVerdict,
  PairwiseWinner,
} from './types';

// The pairwise judge: which of two answers to one case is better. It reads them in both orders
// (A first, then B first) to cancel position bias; when the two readings disagree it is a tie.

export interface PairwiseInput {
  query: string;
  articles: JudgeArticle[];
  answerA: string;
  answerB: string;
  /** What "better" means; without one, the judge weighs accuracy, grounding and usefulness. */
  rubric?: string;
  /** provider:model; default EVAL_JUDGE_MODEL. */
  model?: string;
  include_bodies?: boolean;
  signal?: AbortSignal;
}

export const pairwiseVerdict = z.object({
  reason: verdictReason,
  winner: z.enum(['first', 'second', 'tie']).describe('The better answer, or tie.'),
});

const DEFAULT_CRITERIA =
  'Prefer the answer that responds to the query more accurately and usefully, stays grounded in the retrieved articles and cites them.';

/**
 * Two readings, A first then B first, one after the other. An unknown model throws the not_found
 * AppError naming it; a reading that fails (or is malformed twice) makes the whole a judge_error.
 */
export async function judgePairwise(ctx: JudgeContext, input: PairwiseInput): Promise<PairwiseVerdict> {
  const model = assertJudgeModel(ctx, input.model);
  const articles = articlesBlock(
    input.articles,
    input.include_bodies ?? false,
    judgeContextWindow(ctx, model),
  );
  const criteria = input.rubric?.trim() || DEFAULT_CRITERIA;
  const offlineOf = (answer: string) => assess(answer, input.rubric ?? '', input.query, input.articles);
  const offlineA = offlineOf(input.answerA);
  const offlineB = offlineOf(input.answerB);

  const total: JudgeUsage = { model, input_tokens: 0, output_tokens: 0, cost_usd: 0 };
  const orders: PairwiseOrderVerdict[] = [];
  for (const order of ['ab', 'ba'] as const) {
    const [first, second] = order === 'ab' ? [input.answerA, input.answerB] : [input.answerB, input.answerA];
    const [offFirst, offSecond] = order === 'ab' ? [offlineA, offlineB] : [offlineB, offlineA];
    const r = await callJudge(ctx, {
      model,
      system: [
        'You are an impartial evaluation judge for Auspex, a research assistant that answers questions about news articles and cites the articles it used.',
        'You are given the user query, the articles retrieved for it, two answers to it and the criteria. Decide which answer is better by the criteria alone; the order in which they are shown does not matter.',
        MATERIAL_NOTE,
        'Reply with one JSON object and nothing else: {"reason": "<one to three sentences>", "winner": "first", "second" or "tie"}.',
      ].join('\n'),
      user: [
        tag('query', input.query),
        articles,
        tag('first_answer', first),
        tag('second_answer', second),
        tag('rubric', criteria),
      ].join('\n\n'),
      schema: pairwiseVerdict,
      offline: () => offlinePairwise(offFirst, offSecond),
      signal: input.signal,
    });
    total.input_tokens = sum(total.input_tokens, r.input_tokens);
    total.output_tokens = sum(total.output_tokens, r.output_tokens);
    total.cost_usd =
      total.cost_usd === null || r.cost_usd === null ? null : round(total.cost_usd + r.cost_usd);
    if (!r.ok) {
      const which = order === 'ab' ? 'A shown first' : 'B shown first';
      return { status: 'judge_error', error: `${which}: ${r.error}`, ...total };
    }
    const position = r.value.winner;
    const winner: PairwiseWinner =
      position === 'tie' ? 'tie' : (position === 'first') === (order === 'ab') ? 'a' : 'b';
    const { model: _, ...spent } = usageOf(r);
    orders.push({ order, winner, reason: r.value.reason, ...spent });
  }
  const [ab, ba] = orders as [PairwiseOrderVerdict, PairwiseOrderVerdict];
  const agree = ab.winner === ba.winner;
  const reason =
    model === OFFLINE_ID
      ? `${OFFLINE_LABEL}: answer A scores ${pct(offlineA.merit)} on the rules (${explain(offlineA)}); answer B ${pct(offlineB.merit)} (${explain(offlineB)}).`
      : agree
        ? `Both orders: ${label(ab.winner)}. A shown first: ${ab.reason} B shown first: ${ba.reason}`
        : `The orders disagree (A shown first: ${label(ab.winner)}; B shown first: ${label(ba.winner)}), so it is a tie. ` +
          `A shown first: ${ab.reason} B shown first: ${ba.reason}`;
  return { status: 'ok', winner: agree ? ab.winner : 'tie', reason, orders: [ab, ba], ...total };
}

/** The offline:demo comparison: the answer meeting more of the plain rules wins. */
function offlinePairwise(
  first: OfflineAssessment,
  second: OfflineAssessment,
): z.infer<typeof pairwiseVerdict> {
  const winner = first.merit > second.merit ? 'first' : second.merit > first.merit ? 'second' : 'tie';
  const reason =
    `${OFFLINE_LABEL}: first answer scores ${pct(first.merit)} on the rules (${explain(first)}); ` +
    `second answer ${pct(second.merit)} (${explain(second)}).`;
  return { reason, winner };
}

const label = (w: PairwiseWinner) => (w === 'tie' ? 'a tie' : `answer ${w.toUpperCase()} is better`);
const pct = (x: number) => `${Math.round(x * 100)}%`;
const sum = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
const round = (x: number) => Math.round(x * 1e8) / 1e8;
