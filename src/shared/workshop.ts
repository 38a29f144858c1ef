import { z } from 'zod';
import { answerScoring } from './answer-scoring';
import { idParam } from './common';

// The Prompt Workshop API (seed guide Step 4): drafts, test runs, ratings, commit, clone, stats.
// Field names and limits are the seed's; see DESIGN §4–§5.

export const DRAFT_NAME_MIN = 3;
export const DRAFT_NAME_MAX = 100;
export const DRAFT_DESCRIPTION_MAX = 500;
export const DRAFT_CONTENT_MAX = 50_000;
/** A draft must have this many characters (trimmed) before it can be tested or committed. */
export const DRAFT_CONTENT_MIN_TO_TEST = 100;
export const TEST_QUERY_MIN = 10;
export const TEST_QUERY_MAX = 1000;
export const TEST_LIMIT_MIN = 5;
export const TEST_LIMIT_MAX = 200;
export const TEST_LIMIT_DEFAULT = 50;
export const NOTES_MAX = 500;
export const RESPONSE_PREVIEW_CHARS = 500;
export const REQUIREMENTS_MAX = 5000;
/** Test history pages: the guide's "last 20 tests" by default, at most 100 at once. */
export const TESTS_PAGE_DEFAULT = 20;
export const TESTS_PAGE_MAX = 100;

export const draftStatus = z.enum(['draft', 'testing', 'ready', 'committed']);
export type DraftStatus = z.infer<typeof draftStatus>;

/** What clients may set; `committed` is only reached through the commit route. */
export const clientDraftStatus = z.enum(['draft', 'testing', 'ready'], {
  error: 'status must be one of draft, testing, ready (committed is set by commit)',
});

export const draftName = z
  .string()
  .trim()
  .min(DRAFT_NAME_MIN, `draft_name must be ${DRAFT_NAME_MIN}–${DRAFT_NAME_MAX} characters`)
  .max(DRAFT_NAME_MAX, `draft_name must be ${DRAFT_NAME_MIN}–${DRAFT_NAME_MAX} characters`);

export const draftDescription = z
  .string()
  .trim()
  .max(DRAFT_DESCRIPTION_MAX, `draft_description must be at most ${DRAFT_DESCRIPTION_MAX} characters`);

export const draftContent = z
  .string()
  .max(DRAFT_CONTENT_MAX, `draft_content must be at most ${DRAFT_CONTENT_MAX} characters`);

/** The name a start with no name and no parent gets: the nudge to title it before a commit. */
export const defaultDraftName = (at: string) => `Untitled draft ${at.slice(0, 16).replace('T', ' ')}`;
export const isDefaultDraftName = (name: string) =>
  /^Untitled draft \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(name);

/** A clone's default name: the prompt and version it came from, numbered per user. */
export const cloneDraftName = (prompt: string, version: number, n: number) =>
  `${prompt} v${version} — draft ${n}`;

const versionRule = (field: string) => `${field} must be a whole number of 1 or more`;
const startVersionRule = versionRule('parent_prompt_version');
const cloneVersionRule = versionRule('version');

export const draftIdParams = z.object({ id: idParam });
export const testIdParams = draftIdParams.extend({ test_id: z.string().min(1).max(100) });

// --- start / clone --------------------------------------------------------------------------

export const startWorkshopRequest = z
  .object({
    starting_prompt: draftContent.optional(),
    parent_prompt_name: z.string().trim().min(1).max(100).optional(),
    /** Which version of parent_prompt_name to start from; default its newest. */
    parent_prompt_version: z
      .number({ error: startVersionRule })
      .int(startVersionRule)
      .min(1, startVersionRule)
      .optional(),
    draft_name: draftName.optional(),
    requirements: z
      .string()
      .trim()
      .max(REQUIREMENTS_MAX, `requirements must be at most ${REQUIREMENTS_MAX} characters`)
      .optional(),
    /**
     * Open the caller's newest untouched blank draft (no text, no tests, no conversation) instead of
     * making another one; only for a start with no other field. The web app's "Workshop" uses it.
     */
    reuse_blank: z.boolean().optional(),
  })
  .refine((b) => b.parent_prompt_version === undefined || b.parent_prompt_name !== undefined, {
    message: 'parent_prompt_version needs parent_prompt_name',
    path: ['parent_prompt_version'],
  });
export type StartWorkshopRequest = z.infer<typeof startWorkshopRequest>;

export const startWorkshopResponse = z.object({
  draft_id: z.number().int(),
  chat_id: z.number().int(),
  draft_name: z.string(),
  status: draftStatus,
  initial_message: z.string(),
  created_at: z.string(),
  /** True when `reuse_blank` opened an existing blank draft (HTTP 200 instead of 201). */
  reused: z.boolean(),
});
export type StartWorkshopResponse = z.infer<typeof startWorkshopResponse>;

export const cloneParams = z.object({ name: z.string().min(1).max(100) });
export const cloneQuery = z.object({
  clone_name: z
    .string()
    .trim()
    .min(DRAFT_NAME_MIN, `clone_name must be ${DRAFT_NAME_MIN}–${DRAFT_NAME_MAX} characters`)
    .max(DRAFT_NAME_MAX, `clone_name must be ${DRAFT_NAME_MIN}–${DRAFT_NAME_MAX} characters`)
    .optional(),
  /** The version to clone; default the newest. */
  version: z.coerce
    .number({ error: cloneVersionRule })
    .int(cloneVersionRule)
    .min(1, cloneVersionRule)
    .optional(),
});
export const cloneResponse = z.object({
  draft_id: z.number().int(),
  chat_id: z.number().int(),
  parent_prompt: z.string(),
  message: z.string(),
});
export type CloneResponse = z.infer<typeof cloneResponse>;

// --- drafts ---------------------------------------------------------------------------------

const draftFields = {
  id: z.number().int(),
  user_id: z.number().int(),
  draft_name: z.string(),
  draft_description: z.string(),
  workshop_chat_id: z.number().int().nullable(),
  parent_prompt_name: z.string().nullable(),
  /** The version of parent_prompt_name the draft was cloned from. */
  parent_prompt_version: z.number().int().nullable(),
  status: draftStatus,
  test_count: z.number().int(),
  /** Increases on every edit; send it back with PUT to refuse overwriting a newer version. */
  revision: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
};

export const draftResponse = z.object({ ...draftFields, draft_content: z.string() });
export type DraftResponse = z.infer<typeof draftResponse>;

/** A list entry: everything but the full content. */
export const draftSummary = z.object({
  ...draftFields,
  content_length: z.number().int(),
  content_preview: z.string(),
});
export type DraftSummary = z.infer<typeof draftSummary>;

export const listDraftsQuery = z.object({ status_filter: draftStatus.optional() });
export const listDraftsResponse = z.object({ drafts: z.array(draftSummary), total: z.number().int() });
export type ListDraftsResponse = z.infer<typeof listDraftsResponse>;

export const updateDraftRequest = z
  .object({
    draft_content: draftContent.optional(),
    draft_name: draftName.optional(),
    draft_description: draftDescription.optional(),
    status: clientDraftStatus.optional(),
    /** The revision this edit is based on; stale -> 409 with the current draft. */
    revision: z.number().int().positive().optional(),
  })
  .refine(
    (v) =>
      v.draft_content !== undefined ||
      v.draft_name !== undefined ||
      v.draft_description !== undefined ||
      v.status !== undefined,
    { message: 'give at least one of draft_content, draft_name, draft_description, status' },
  );
export type UpdateDraftRequest = z.infer<typeof updateDraftRequest>;

export const draftConflictResponse = z.object({ detail: z.string(), current: draftResponse });

export const deleteDraftResponse = z.object({ message: z.string(), draft_id: z.number().int() });

// --- tests ----------------------------------------------------------------------------------

export const userRating = z
  .number()
  .int('user_rating must be a whole number from 1 to 5')
  .min(1, 'user_rating must be 1–5')
  .max(5, 'user_rating must be 1–5');
export const notes = z.string().max(NOTES_MAX, `notes must be at most ${NOTES_MAX} characters`);

export const runTestRequest = z.object({
  test_query: z
    .string()
    .trim()
    .min(TEST_QUERY_MIN, `test_query must be ${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters`)
    .max(TEST_QUERY_MAX, `test_query must be ${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters`),
  topic: z.string().trim().min(1, 'topic is required').max(200),
  limit: z
    .number()
    .int()
    .min(TEST_LIMIT_MIN, `limit must be ${TEST_LIMIT_MIN}–${TEST_LIMIT_MAX}`)
    .max(TEST_LIMIT_MAX, `limit must be ${TEST_LIMIT_MIN}–${TEST_LIMIT_MAX}`)
    .default(TEST_LIMIT_DEFAULT),
  model: z
    .string()
    .regex(/^[a-z0-9_-]+:.+$/, 'model must look like provider:model')
    .max(200)
    .optional(),
  /** Let the model call the Auspex tools (search_articles, …) as it would in an agentic chat. */
  agentic: z.boolean().default(false),
  /** false keeps only the first 500 characters of the answer in the stored run. */
  store_full_response: z.boolean().default(true),
  user_rating: userRating.optional(),
  notes: notes.optional(),
});
export type RunTestRequest = z.infer<typeof runTestRequest>;

export const toolCall = z.object({ name: z.string(), input: z.unknown() });

export const testResult = z.object({
  test_id: z.string(),
  draft_id: z.number().int(),
  query: z.string(),
  topic: z.string(),
  /** First 500 characters of the answer. */
  response_preview: z.string(),
  /** The stored answer (the preview only when the run asked not to store it in full). */
  response: z.string(),
  response_length: z.number().int(),
  /** Names of the tools the model actually called, in order. */
  tools_used: z.array(z.string()),
  tool_calls: z.array(toolCall),
  article_count: z.number().int(),
  article_ids: z.array(z.number().int()),
  article_limit: z.number().int(),
  execution_time_ms: z.number(),
  first_token_ms: z.number().nullable(),
  model: z.string(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cost_usd: z.number().nullable(),
  status: z.enum(['ok', 'error']),
  error: z.string().nullable(),
  /** sha256 of the exact draft text tested, and that text. */
  content_sha256: z.string(),
  tested_content: z.string(),
  timestamp: z.string(),
  user_rating: z.number().int().nullable(),
  notes: z.string().nullable(),
  /**
   * The stored answer scored like an evaluation cell, against the articles this run retrieved:
   * the deterministic grounding assertions and every citation's mark. Null for a failed run.
   */
  scoring: answerScoring.nullable(),
});
export type TestResult = z.infer<typeof testResult>;

export const testFailedResponse = z.object({ detail: z.string(), result: testResult });

const testsLimitRule = `limit must be a whole number from 1 to ${TESTS_PAGE_MAX}`;
const testsBeforeRule = 'before must be a test_id of this draft (the next_before of the page before)';
export const listTestsQuery = z.object({
  limit: z.coerce
    .number({ error: testsLimitRule })
    .int(testsLimitRule)
    .min(1, testsLimitRule)
    .max(TESTS_PAGE_MAX, testsLimitRule)
    .default(TESTS_PAGE_DEFAULT),
  /** A test_id: the page holds the runs older than that one (newest first, as always). */
  before: z.string().min(1, testsBeforeRule).max(100, testsBeforeRule).optional(),
});
export type ListTestsQuery = z.infer<typeof listTestsQuery>;

export const listTestsResponse = z.object({
  draft_id: z.number().int(),
  /** One page of the draft's runs, newest first. */
  test_results: z.array(testResult),
  /** Every run of the draft, not only this page's. */
  total_tests: z.number().int(),
  /** The `before` of the next older page; null on the last page. */
  next_before: z.string().nullable(),
});
export type ListTestsResponse = z.infer<typeof listTestsResponse>;

/** Figures per exact prompt text a draft's tests ran (computed by the server: evals/stats). */
export const promptTextSummary = z.object({
  sha256: z.string(),
  /** 1 for the first text tested, counting up in the order the texts were first tested. */
  number: z.number().int(),
  runs: z.number().int(),
  failed: z.number().int(),
  rated: z.number().int(),
  /** Mean of the ratings given; null when none was rated. */
  mean_rating: z.number().nullable(),
  /** Median time of the successful runs; null when none succeeded. */
  median_ms: z.number().nullable(),
  /** Mean cost of the runs whose cost is known; null when none is. */
  mean_cost_usd: z.number().nullable(),
  last_tested_at: z.string(),
});
export type PromptTextSummary = z.infer<typeof promptTextSummary>;

export const draftSummaryResponse = z.object({
  draft_id: z.number().int(),
  /** The most recently tested text first. */
  prompt_texts: z.array(promptTextSummary),
});
export type DraftSummaryResponse = z.infer<typeof draftSummaryResponse>;

export const rateTestRequest = z
  .object({ user_rating: userRating.nullable().optional(), notes: notes.nullable().optional() })
  .refine((v) => v.user_rating !== undefined || v.notes !== undefined, {
    message: 'give user_rating and/or notes',
  });
export type RateTestRequest = z.infer<typeof rateTestRequest>;

// --- commit ---------------------------------------------------------------------------------

export const commitRequest = z.object({
  name: z
    .string()
    .trim()
    .min(3, 'name must be 3–50 characters')
    .max(50, 'name must be 3–50 characters')
    .regex(/^[a-z0-9_]+$/, 'name may contain lower-case letters, digits and _ only')
    // As in the library (src/shared/prompts.ts): /api/auspex/prompts/workshop/... is the workshop's.
    .refine((v) => v !== 'workshop', { message: 'name "workshop" is reserved' }),
  title: z
    .string()
    .trim()
    .min(5, 'title must be 5–100 characters')
    .max(100, 'title must be 5–100 characters'),
  description: z.string().trim().max(500, 'description must be at most 500 characters').optional(),
});
export type CommitRequest = z.infer<typeof commitRequest>;

export const commitResponse = z.object({
  prompt_id: z.number().int(),
  name: z.string(),
  version: z.number().int(),
  message: z.string(),
});
export type CommitResponse = z.infer<typeof commitResponse>;

// --- stats ----------------------------------------------------------------------------------

const daysRule = 'days must be a whole number from 1 to 365';
export const statsQuery = z.object({
  days: z.coerce.number({ error: daysRule }).int(daysRule).min(1, daysRule).max(365, daysRule).default(30),
});

export const statsResponse = z.object({
  /** all: every user's workshops (administrators); mine: the caller's own. */
  scope: z.enum(['all', 'mine']),
  days: z.number().int(),
  workshops_started: z.number().int(),
  workshops_per_day: z.array(z.object({ date: z.string(), count: z.number().int() })),
  tests_run: z.number().int(),
  average_tests_per_draft: z.number().nullable(),
  commits: z.number().int(),
  /** Share of the workshops started in the window that were committed. */
  commit_rate: z.number().nullable(),
  average_rating: z.number().nullable(),
  ratings: z.number().int(),
  /** Mean time from a workshop's start to its last recorded activity (test, rating, commit). */
  average_time_in_workshop_seconds: z.number().nullable(),
  most_cloned_prompts: z.array(z.object({ name: z.string(), clones: z.number().int() })),
});
export type StatsResponse = z.infer<typeof statsResponse>;
