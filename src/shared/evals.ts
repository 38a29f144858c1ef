import { z } from 'zod';
import { assertion } from './assertions';
import { ARTICLE_LIMIT_DEFAULT, articleLimit } from './chat';
import { idParam, rowId } from './common';
import { topicName } from './corpus';
import { promptRef } from './prompts';
import { TEST_QUERY_MAX, TEST_QUERY_MIN } from './workshop';

// Evaluation suites: named, owned lists of test cases, each change an immutable version.
// Assertion types live in assertions.ts (re-exported here).

export const SUITE_CASES_MAX = 5000;
export const SUITE_NAME_MAX = 100;
export const SUITE_DESCRIPTION_MAX = 2000;
export const CASE_REFERENCE_MAX = 20_000;
export const CASE_TAGS_MAX = 20;

export { type Assertion, assertion } from './assertions';

const variableValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const evalCase = z
  .object({
    query: z
      .string()
      .trim()
      .min(TEST_QUERY_MIN, `query must be ${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters`)
      .max(TEST_QUERY_MAX, `query must be ${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters`),
    topic: topicName,
    description: z.string().trim().max(500, 'description must be at most 500 characters').optional(),
    variables: z.record(z.string().min(1).max(100), variableValue).optional(),
    reference: z
      .string()
      .max(CASE_REFERENCE_MAX, `reference must be at most ${CASE_REFERENCE_MAX} characters`)
      .optional(),
    assertions: z.array(assertion).max(50, 'at most 50 assertions a case').optional(),
    tags: z
      .array(z.string().trim().min(1).max(50, 'a tag must be at most 50 characters'))
      .max(CASE_TAGS_MAX, `at most ${CASE_TAGS_MAX} tags a case`)
      .optional(),
  })
  .strict();
export type EvalCase = z.infer<typeof evalCase>;

export const suiteCases = z
  .array(evalCase)
  .max(SUITE_CASES_MAX, `a suite holds at most ${SUITE_CASES_MAX.toLocaleString('en')} cases`);

const suiteName = z
  .string()
  .trim()
  .min(1, `name must be 1–${SUITE_NAME_MAX} characters`)
  .max(SUITE_NAME_MAX, `name must be 1–${SUITE_NAME_MAX} characters`);
const suiteDescription = z
  .string()
  .trim()
  .max(SUITE_DESCRIPTION_MAX, `description must be at most ${SUITE_DESCRIPTION_MAX} characters`);

/** Scoring for every case of a suite: assertions applied to each, and a weighted-score threshold. */
export const suiteScoring = z
  .object({
    assertions: z.array(assertion).max(50, 'at most 50 suite assertions').default([]),
    /** A case passes when its weighted score reaches this; without it, when every assertion passes. */
    threshold: z.number().min(0, 'threshold must be 0–1').max(1, 'threshold must be 0–1').optional(),
  })
  .strict();
export type SuiteScoring = z.infer<typeof suiteScoring>;

export const createSuiteRequest = z.object({
  name: suiteName,
  description: suiteDescription.default(''),
  cases: suiteCases.default([]),
  scoring: suiteScoring.default({ assertions: [] }),
});
export type CreateSuiteRequest = z.infer<typeof createSuiteRequest>;

/** Every field optional; a change to the cases (or name/description) makes a new version. */
export const updateSuiteRequest = z.object({
  name: suiteName.optional(),
  description: suiteDescription.optional(),
  cases: suiteCases.optional(),
  scoring: suiteScoring.optional(),
});
export type UpdateSuiteRequest = z.infer<typeof updateSuiteRequest>;

export const addCasesRequest = z.object({
  cases: z.array(evalCase).min(1, 'give at least one case').max(SUITE_CASES_MAX),
});

export const suiteSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  version: z.number().int(),
  case_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SuiteSummary = z.infer<typeof suiteSummary>;

export const suiteResponse = suiteSummary.extend({
  /** The id of the immutable version these cases belong to (what a run records). */
  version_id: z.number().int(),
  cases: z.array(evalCase),
  scoring: suiteScoring,
});
export type SuiteResponse = z.infer<typeof suiteResponse>;

export const listSuitesResponse = z.object({ suites: z.array(suiteSummary) });

export const suiteFormat = z.enum(['csv', 'jsonl', 'yaml'], { error: 'format must be csv, jsonl or yaml' });
export type SuiteFormat = z.infer<typeof suiteFormat>;

/** The most characters of an imported suite file, and of what its YAML aliases expand to. */
export const SUITE_FILE_MAX_CHARS = 20 * 1024 * 1024;

export const importSuiteRequest = z.object({
  format: suiteFormat,
  content: z.string().min(1, 'content is empty').max(SUITE_FILE_MAX_CHARS),
  /** append (default) adds to the current cases; replace swaps them. */
  mode: z.enum(['append', 'replace']).default('append'),
});
export type ImportSuiteRequest = z.infer<typeof importSuiteRequest>;

export const importError = z.object({ line: z.number().int(), message: z.string() });
export type ImportLineError = z.infer<typeof importError>;

export const importSuiteResponse = suiteResponse.extend({ imported: z.number().int() });

export const exportSuiteQuery = z.object({ format: suiteFormat.default('jsonl') });

export const suiteIdParams = z.object({ id: idParam });

// Runs: one suite version × 1–8 variants × 1–10 repetitions; every combination is a cell.

export const RUN_VARIANTS_MAX = 8;
export const RUN_REPETITIONS_MAX = 10;
export const RUN_CONCURRENCY_MAX = 64;

export const runVariantRequest = z
  .object({
    prompt: promptRef,
    model: z.string().trim().min(1).max(200).optional(),
    limit: articleLimit.default(ARTICLE_LIMIT_DEFAULT),
    agentic: z.boolean().default(false),
    /** live searches per cell; pinned reuses, per case, the articles of `pinned_run_id`'s cells. */
    retrieval: z.enum(['live', 'pinned']).default('live'),
    pinned_run_id: rowId.optional(),
  })
  .refine((v) => v.retrieval === 'live' || v.pinned_run_id !== undefined, {
    message: 'pinned retrieval needs pinned_run_id',
    path: ['pinned_run_id'],
  });

export const createRunRequest = z.object({
  suite_id: rowId,
  variants: z
    .array(runVariantRequest)
    .min(1, `give 1–${RUN_VARIANTS_MAX} variants`)
    .max(RUN_VARIANTS_MAX, `give 1–${RUN_VARIANTS_MAX} variants`),
  repetitions: z
    .number()
    .int()
    .min(1, `repetitions must be 1–${RUN_REPETITIONS_MAX}`)
    .max(RUN_REPETITIONS_MAX, `repetitions must be 1–${RUN_REPETITIONS_MAX}`)
    .default(1),
  concurrency: z
    .number()
    .int()
    .min(1, `concurrency must be 1–${RUN_CONCURRENCY_MAX}`)
    .max(RUN_CONCURRENCY_MAX, `concurrency must be 1–${RUN_CONCURRENCY_MAX}`)
    .default(8),
  budget_usd: z.number().positive('budget_usd must be positive').max(100_000).optional(),
  /** Only say how many model calls the run would make and what they would cost. */
  dry_run: z.boolean().default(false),
});
export type CreateRunRequest = z.infer<typeof createRunRequest>;

/** A variant as the run stores it: the prompt text resolved when the run was made. */
export const runVariant = z.object({
  prompt: z.string(),
  /** What the ref resolved to, e.g. "auspex_default v3" or "draft 12 (revision 4)". */
  prompt_label: z.string(),
  prompt_sha256: z.string(),
  model: z.string(),
  limit: z.number().int(),
  agentic: z.boolean(),
  retrieval: z.enum(['live', 'pinned']),
  pinned_run_id: z.number().int().nullable(),
});
export type RunVariant = z.infer<typeof runVariant>;

export const runEstimate = z.object({
  model_calls: z.number().int(),
  /** Null when a variant's model has no known price. */
  estimated_cost_usd: z.number().nullable(),
  /** Models whose price is unknown. */
  unpriced_models: z.array(z.string()),
  /** Per call, before the run: what the estimate assumed. */
  assumed_input_tokens: z.number().int(),
  assumed_output_tokens: z.number().int(),
});
export type RunEstimate = z.infer<typeof runEstimate>;

export const runStatus = z.enum(['queued', 'running', 'done', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof runStatus>;
/** The statuses of a run that is not over yet: it can still be cancelled, and cells still change. */
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];
export const isRunActive = (status: string): boolean =>
  (ACTIVE_RUN_STATUSES as readonly string[]).includes(status);
export const cellStatus = z.enum(['pending', 'running', 'ok', 'error', 'skipped']);

export const runCounts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  running: z.number().int(),
  ok: z.number().int(),
  error: z.number().int(),
  skipped: z.number().int(),
});
export type RunCounts = z.infer<typeof runCounts>;

export const variantAggregate = z.object({
  variant_index: z.number().int(),
  cells: z.number().int(),
  ok: z.number().int(),
  error: z.number().int(),
  cost_usd: z.number(),
  /** Means over the answered (ok) cells only. */
  mean_execution_time_ms: z.number().nullable(),
  mean_first_token_ms: z.number().nullable(),
  mean_output_tokens: z.number().nullable(),
  /** Cells scored against at least one assertion or judge, and how many of them passed. */
  scored: z.number().int(),
  passed: z.number().int(),
  pass_rate: z.number().nullable(),
  mean_score: z.number().nullable(),
  /** Mean share of cited URLs that are among the cell's articles (cells citing nothing left out). */
  grounding_precision: z.number().nullable(),
  /** Cited URLs that are in no article of the corpus, over all cells. */
  invented_urls: z.number().int(),
  citation_coverage: z.number().nullable(),
  /** What judging cost, apart from the answers' cost_usd. */
  judge_cost_usd: z.number(),
});

export const runResponse = z.object({
  id: z.number().int(),
  suite_id: z.number().int().nullable(),
  suite_version_id: z.number().int(),
  suite_version: z.number().int(),
  suite_name: z.string().nullable(),
  status: runStatus,
  variants: z.array(runVariant.omit({ prompt: true })),
  repetitions: z.number().int(),
  concurrency: z.number().int(),
  budget_usd: z.number().nullable(),
  spent_usd: z.number(),
  counts: runCounts,
  estimate: runEstimate,
  aggregates: z.array(variantAggregate),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  /** The last re-score: the assertions it added for every case and the suite version it scored against. */
  rescored: z
    .object({
      at: z.string(),
      suite_version: z.number().int(),
      assertions: z.array(assertion),
      threshold: z.number().optional(),
    })
    .nullable(),
});
export type RunResponse = z.infer<typeof runResponse>;
export type RescoredRun = NonNullable<RunResponse['rescored']>;

/** Progress only (no aggregates): what the event stream and the CLI poll while a run works. */
export const runProgress = z.object({
  id: z.number().int(),
  status: runStatus,
  counts: runCounts,
  spent_usd: z.number(),
  /** Seconds left at the pace so far; null before the first cell finished or once the run ended. */
  eta_seconds: z.number().int().nullable(),
});
export type RunProgress = z.infer<typeof runProgress>;

export const dryRunResponse = z.object({ dry_run: z.literal(true), estimate: runEstimate });

export const listRunsResponse = z.object({ runs: z.array(runResponse.omit({ aggregates: true })) });

export const cellResponse = z.object({
  id: z.number().int(),
  case_index: z.number().int(),
  variant_index: z.number().int(),
  repetition: z.number().int(),
  status: cellStatus,
  skipped_reason: z.string().nullable(),
  attempts: z.number().int(),
  answer: z.string().nullable(),
  model: z.string().nullable(),
  article_ids: z.array(z.number().int()),
  corpus_fingerprint: z.string().nullable(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cost_usd: z.number().nullable(),
  first_token_ms: z.number().int().nullable(),
  execution_time_ms: z.number().int().nullable(),
  error: z.string().nullable(),
  finished_at: z.string().nullable(),
  /** Null until scored, or when the cell has no assertion or judge. */
  passed: z.boolean().nullable(),
  score: z.number().nullable(),
  grounding_precision: z.number().nullable(),
  invented_urls: z.number().int().nullable(),
  citation_coverage: z.number().nullable(),
  judge_cost_usd: z.number().nullable(),
  /** With `failures=true`: the reason of every assertion or judge the cell failed. */
  failures: z.array(z.string()).optional(),
});
export type CellResponse = z.infer<typeof cellResponse>;

export const listCellsQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  status: cellStatus.optional(),
  /** Add each cell's failed assertions' reasons (for reports). */
  failures: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
  variant_index: z.coerce
    .number()
    .int()
    .min(0)
    .max(RUN_VARIANTS_MAX - 1)
    .optional(),
});
export const listCellsResponse = z.object({ total: z.number().int(), cells: z.array(cellResponse) });

export const runIdParams = z.object({ id: idParam });

/** GET …/runs/{id}/export: the run's cells as the CLI's --output files are (src/shared/eval-report.ts). */
export const reportFormat = z.enum(['csv', 'json', 'junit'], { error: 'format must be csv, json or junit' });
export type ReportFormat = z.infer<typeof reportFormat>;
export const exportRunQuery = z.object({ format: reportFormat.default('csv') });
