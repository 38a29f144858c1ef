import { z } from 'zod';

// How one answer was scored: its assertion results and the grounding of its citations. An
// evaluation cell and the workshop's single test share these shapes (scoring.ts re-exports them).
// Only zod is imported, so workshop.ts can use them: scoring.ts imports evals.ts, which imports
// workshop.ts.

export const scoreSource = z.enum(['case', 'suite', 'run']);

export const cellScore = z.object({
  position: z.number().int(),
  /** Where the assertion came from: the case, the suite (every case) or a re-score (every case). */
  source: scoreSource,
  type: z.string(),
  /** error: the check itself failed; judge_error: the judge gave no usable verdict. Neither passes. */
  status: z.enum(['ok', 'error', 'judge_error']),
  pass: z.boolean().nullable(),
  score: z.number().nullable(),
  /** A judge's 1–5 rating, when its scale is 1–5. */
  rating: z.number().int().nullable(),
  weight: z.number(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()).nullable(),
  judge_model: z.string().nullable(),
  judge_input_tokens: z.number().int().nullable(),
  judge_output_tokens: z.number().int().nullable(),
  judge_cost_usd: z.number().nullable(),
});
export type CellScore = z.infer<typeof cellScore>;

export const citationMark = z.object({
  /** Null for a footnote missing from the reference list. */
  url: z.string().nullable(),
  start: z.number().int(),
  end: z.number().int(),
  /** grounded: one of the cell's articles; unretrieved: in the corpus, not retrieved; invented: in no article. */
  status: z.enum(['grounded', 'unretrieved', 'invented']),
  reason: z.string(),
});
export type CitationMark = z.infer<typeof citationMark>;

export const cellGrounding = z.object({
  precision: z.number().nullable(),
  invented_urls: z.array(z.string()),
  coverage: z.number().nullable(),
  citations: z.array(citationMark),
  quotes: z.array(
    z.object({ text: z.string(), url: z.string().nullable(), verified: z.boolean(), reason: z.string() }),
  ),
  dates: z.array(
    z.object({
      text: z.string(),
      url: z.string(),
      expected: z.string().nullable(),
      matches: z.boolean(),
    }),
  ),
});
export type CellGrounding = z.infer<typeof cellGrounding>;

/** One answer's scoring, computed when it is read: every assertion result and the grounding marks. */
export const answerScoring = z.object({
  /** Every assertion passed; null when there was none to check. */
  passed: z.boolean().nullable(),
  /** Weighted mean score of the assertions, 0..1; null when there was none. */
  score: z.number().nullable(),
  scores: z.array(cellScore),
  grounding: cellGrounding,
});
export type AnswerScoring = z.infer<typeof answerScoring>;
