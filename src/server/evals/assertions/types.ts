import type { AssertionOf, DeterministicType } from '../../../shared/assertions';

// What a deterministic check sees besides the answer, and what it returns. Checks are pure: the
// same answer, config and context give the same result (the regex check is also time-boxed).

export interface ScoreArticle {
  id: number;
  url: string;
  title: string;
  published_at: string | null;
  text: string;
}

export interface ScoreContext {
  query: string;
  reference: string | null;
  /** What this cell retrieved. */
  articles: ScoreArticle[];
  /** Cited articles that exist anywhere in the corpus, keyed by normalised URL (normalizeUrl). */
  corpus: ReadonlyMap<string, ScoreArticle>;
  execution_time_ms: number | null;
  first_token_ms: number | null;
  cost_usd: number | null;
}

export interface CheckResult {
  pass: boolean;
  /** 0..1 */
  score: number;
  /** A short sentence a person reads, e.g. `answer does not contain "inflation"`. */
  reason: string;
  details?: Record<string, unknown>;
}

export type Check<T extends DeterministicType> = (
  answer: string,
  config: AssertionOf<T>,
  ctx: ScoreContext,
) => CheckResult;

/** At most this much of a value is quoted in a reason. */
const QUOTE_MAX = 60;

/** A value in quotes for a reason, shortened with … past 60 characters. */
export function quoted(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > QUOTE_MAX ? `${flat.slice(0, QUOTE_MAX - 1)}…` : flat);
}

/** Share of `part` in `whole`, 1 when there is nothing to count. */
export const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
