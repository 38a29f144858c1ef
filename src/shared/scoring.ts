import { z } from 'zod';
import { cellGrounding, cellScore } from './answer-scoring';
import { idParam } from './common';
import { assertion, cellResponse, runResponse } from './evals';

// Scores of evaluation cells: assertion and judge results, citation grounding, human reviews,
// judge agreement, and re-scoring a finished run.

// The shapes of one answer's scores live in answer-scoring.ts (shared with the workshop's test).
export {
  type AnswerScoring,
  answerScoring,
  type CellGrounding,
  type CellScore,
  type CitationMark,
  cellGrounding,
  cellScore,
  citationMark,
  scoreSource,
} from './answer-scoring';

export const reviewRating = z
  .number()
  .int('rating must be a whole number 1–5')
  .min(1, 'rating must be 1–5')
  .max(5, 'rating must be 1–5');

export const cellReview = z.object({
  reviewer_id: z.number().int(),
  reviewer: z.string(),
  pass: z.boolean().nullable(),
  rating: z.number().int().nullable(),
  notes: z.string(),
  updated_at: z.string(),
});
export type CellReview = z.infer<typeof cellReview>;

export const reviewRequest = z
  .object({
    pass: z.boolean().nullable().optional(),
    rating: reviewRating.nullable().optional(),
    notes: z.string().max(5000, 'notes must be at most 5,000 characters').optional(),
  })
  .strict()
  .refine((r) => r.pass !== undefined || r.rating !== undefined || r.notes !== undefined, {
    message: 'give pass, rating or notes',
  });
export type ReviewRequest = z.infer<typeof reviewRequest>;

export const cellArticle = z.object({
  id: z.number().int(),
  title: z.string(),
  url: z.string(),
  source: z.string(),
  published_at: z.string().nullable(),
});

/** One cell in full: its case, its articles, every score, the grounding marks and the reviews. */
export const cellDetailResponse = cellResponse.extend({
  run_id: z.number().int(),
  query: z.string(),
  topic: z.string(),
  reference: z.string().nullable(),
  prompt_label: z.string(),
  articles: z.array(cellArticle),
  scores: z.array(cellScore),
  grounding: cellGrounding.nullable(),
  reviews: z.array(cellReview),
});
export type CellDetailResponse = z.infer<typeof cellDetailResponse>;

export const cellParams = z.object({ id: idParam, cell_id: idParam });

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const reviewQueueQuery = z.object({
  /** Only cells where a judge and an assertion disagree. */
  disagreements: flag.default(false),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const reviewQueueResponse = z.object({
  total: z.number().int(),
  cells: z.array(
    z.object({
      id: z.number().int(),
      case_index: z.number().int(),
      variant_index: z.number().int(),
      repetition: z.number().int(),
      query: z.string(),
      passed: z.boolean().nullable(),
      /** Null when the cell has no judge (or no deterministic assertion). */
      judge_pass: z.boolean().nullable(),
      assertion_pass: z.boolean().nullable(),
    }),
  ),
});
export type ReviewQueueResponse = z.infer<typeof reviewQueueResponse>;

export const judgeAgreement = z.object({
  /** The judge: its model and rubric, as one label. */
  judge: z.string(),
  model: z.string(),
  scale: z.enum(['pass-fail', '1-5']),
  /** Cells scored by both this judge and a human. */
  n: z.number().int(),
  /** Cohen's kappa of judge pass against human pass (null below two cells or with no variance). */
  kappa: z.number().nullable(),
  observed_agreement: z.number().nullable(),
  n_pass: z.number().int(),
  /** Spearman's rho of judge rating against human rating, for 1–5 judges. */
  spearman: z.number().nullable(),
  n_rating: z.number().int(),
});
export type JudgeAgreement = z.infer<typeof judgeAgreement>;

export const agreementResponse = z.object({ judges: z.array(judgeAgreement) });

export const rescoreRequest = z
  .object({
    /** Applied to every case in addition to the case's and the suite's own. */
    assertions: z.array(assertion).max(50, 'at most 50 assertions').default([]),
    /** A case passes when its weighted score reaches this (otherwise: when every assertion passes). */
    threshold: z.number().min(0).max(1).optional(),
    /** Whose case and suite assertions: the suite version the run used, or the suite's current one. */
    suite_version: z.enum(['run', 'current']).default('run'),
  })
  .strict();
export type RescoreRequest = z.infer<typeof rescoreRequest>;

export const rescoreResponse = runResponse.extend({ rescored_cells: z.number().int() });
