import type { AppContext } from '../../context';

// The judges' contract with their callers (the runner, re-scoring, the pairwise comparison).

/** What a judge needs from the application: the model registry and the configured judge model. */
export type JudgeContext = Pick<AppContext, 'config' | 'llm'>;

/**
 * The `llm-rubric` assertion config. Mirrors the shared assertion union's entry (src/shared/assertions.ts);
 * defaults are applied here too, so a config that skipped parsing still judges the same way.
 * `not` and `weight` are the combinator's business, like every assertion type's: the judge ignores them.
 */
export interface LlmRubricConfig {
  type: 'llm-rubric';
  rubric: string;
  scale: 'pass-fail' | '1-5';
  model?: string;
  /** Send the articles' text as well as their titles (default false). */
  include_bodies?: boolean;
  /** On the 1–5 scale, the lowest rating that passes (default 4). */
  pass_at?: number;
  not?: boolean;
  weight?: number;
}

export interface JudgeArticle {
  title: string;
  url: string;
  text?: string;
}

/** Tokens and cost of the judge's own calls, every attempt included; kept apart from the answer's. */
export interface JudgeUsage {
  /** The judge model, provider:model. */
  model: string;
  /** null when the provider did not say (or the offline judge, which counts none). */
  input_tokens: number | null;
  output_tokens: number | null;
  /** null when a count or a price is unknown; 0 for offline:demo. */
  cost_usd: number | null;
}

/** A judge that could not give a verdict: never a pass. */
export type JudgeError = { status: 'judge_error'; error: string } & JudgeUsage;

export type JudgeVerdict =
  | ({
      status: 'ok';
      pass: boolean;
      /** 0..1: pass-fail 1 or 0; 1–5 mapped to (rating − 1) / 4. */
      score: number;
      /** 1–5, or null on the pass-fail scale. */
      rating: number | null;
      reason: string;
    } & JudgeUsage)
  | JudgeError;

export type PairwiseWinner = 'a' | 'b' | 'tie';

/** One of the two readings: A shown first (`ab`) or B shown first (`ba`). */
export interface PairwiseOrderVerdict {
  order: 'ab' | 'ba';
  /** Mapped back from the position the judge picked to the answer it is. */
  winner: PairwiseWinner;
  reason: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
}

export type PairwiseVerdict =
  | ({
      status: 'ok';
      /** The orders' common winner, or a tie when they disagree. */
      winner: PairwiseWinner;
      reason: string;
      orders: [PairwiseOrderVerdict, PairwiseOrderVerdict];
    } & JudgeUsage)
  | JudgeError;
