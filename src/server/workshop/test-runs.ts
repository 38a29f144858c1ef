import { createHash, randomUUID } from 'node:crypto';
import type { AnswerScoring } from '../../shared/scoring';
import type {
  DraftSummaryResponse,
  ListTestsQuery,
  ListTestsResponse,
  RateTestRequest,
  RunTestRequest,
  TestResult,
} from '../../shared/workshop';
import { RESPONSE_PREVIEW_CHARS } from '../../shared/workshop';
import type { OnText } from '../auspex/types';
import type { AuthUser } from '../auth/types';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import { getTopic } from '../corpus/service';
import { isForeignKeyViolation } from '../db/errors';
import type { TestRunRow } from '../db/types';
import { AppError, badRequest, notFound } from '../errors';
import { executeCase } from '../evals/execute';
import { summarizeByPromptText } from '../evals/stats';
import { assertModel } from '../llm/assert-model';
import * as events from './events-repository';
import * as repo from './repository';
import { assertTestableContent, draftNotFound, ownDraft } from './service';
import { scoreTestRuns } from './test-scoring';

// Test runs: a one-case run of the draft through evals (executeCase, the same path an evaluation
// cell takes), stored as its own row (never an array rewritten in place, so parallel tests are all
// kept; the draft's count is raised atomically in the same transaction), rated afterwards. Every
// run read comes with its scoring, computed from the stored answer (test-scoring.ts).

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export function toTestResult(row: TestRunRow, scoring: AnswerScoring | null): TestResult {
  const calls = parseJson<{ name: string; input: unknown }[]>(row.tools_used, []);
  return {
    test_id: row.test_id,
    draft_id: row.draft_id,
    query: row.query,
    topic: row.topic,
    response_preview: row.response.slice(0, RESPONSE_PREVIEW_CHARS),
    response: row.response,
    response_length: row.response_length,
    tools_used: calls.map((c) => c.name),
    tool_calls: calls,
    article_count: row.article_count,
    article_ids: parseJson<number[]>(row.article_ids, []),
    article_limit: row.article_limit,
    execution_time_ms: row.execution_time_ms,
    first_token_ms: row.first_token_ms,
    model: row.model,
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    cost_usd: row.cost_usd === null ? null : Number(row.cost_usd),
    status: row.status,
    error: row.error,
    content_sha256: row.content_sha256,
    tested_content: row.content,
    timestamp: row.created_at,
    user_rating: row.user_rating,
    notes: row.notes,
    scoring,
  };
}

/** Runs as the API gives them, each with its scoring (computed on read: test-scoring.ts). */
export async function toTestResults(ctx: AppContext, rows: TestRunRow[]): Promise<TestResult[]> {
  const scorings = await scoreTestRuns(ctx, rows);
  return rows.map((row, i) => toTestResult(row, scorings[i]));
}

export interface PreparedTest {
  user: AuthUser;
  draftId: number;
  /** The exact text tested, read once so the stored run says what was really sent. */
  content: string;
  topic: string;
  input: RunTestRequest;
}

/** Every check that can fail as a plain 4xx, before a stream opens or a model is called. */
export async function prepareTest(
  ctx: AppContext,
  user: AuthUser,
  draftId: number,
  input: RunTestRequest,
): Promise<PreparedTest> {
  const draft = await ownDraft(ctx.db, user, draftId);
  assertTestableContent(draft.draft_content, 'test');
  const topic = await getTopic(ctx, input.topic);
  assertModel(ctx, input.model);
  await ctx.budgets.modelCalls.take(String(user.id));
  return { user, draftId, content: draft.draft_content, topic: topic.name, input };
}

/** Runs the turn and stores the run; failures come back as status 'error' (and are stored too). */
export async function executeTest(
  ctx: AppContext,
  prepared: PreparedTest,
  onText?: OnText,
  signal?: AbortSignal,
): Promise<TestResult> {
  const { input, user } = prepared;
  const turn = await executeCase(
    ctx,
    {
      promptText: prepared.content,
      model: input.model,
      limit: input.limit,
      agentic: input.agentic,
      case: { query: input.test_query, topic: prepared.topic },
      signal,
    },
    onText,
  );
  const at = nowIso();
  const row: TestRunRow = {
    test_id: randomUUID(),
    draft_id: prepared.draftId,
    user_id: user.id,
    content_sha256: createHash('sha256').update(prepared.content).digest('hex'),
    content: prepared.content,
    query: input.test_query,
    topic: prepared.topic,
    model: turn.model,
    article_limit: input.limit,
    response: input.store_full_response ? turn.response : turn.response.slice(0, RESPONSE_PREVIEW_CHARS),
    response_length: turn.response.length,
    tools_used: JSON.stringify(turn.tools_used),
    article_ids: JSON.stringify(turn.article_ids),
    article_count: turn.article_count,
    execution_time_ms: turn.execution_time_ms,
    first_token_ms: turn.first_token_ms,
    input_tokens: turn.input_tokens,
    output_tokens: turn.output_tokens,
    cost_usd: turn.cost_usd,
    status: turn.status,
    error: turn.error,
    user_rating: input.user_rating ?? null,
    notes: input.notes ?? null,
    created_at: at,
  };
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.insertTestRun(trx, row);
      await repo.recordTestOnDraft(trx, prepared.draftId, at);
      await events.insertEvent(trx, { kind: 'tested', user_id: user.id, draft_id: prepared.draftId, at });
      if (row.user_rating !== null) {
        await events.insertEvent(trx, { kind: 'rated', user_id: user.id, draft_id: prepared.draftId, at });
      }
    });
  } catch (err) {
    // The draft was deleted while its test ran: nothing to attach the run to.
    if (isForeignKeyViolation(err)) throw draftNotFound(prepared.draftId);
    throw err;
  }
  ctx.log.info(
    `Test executed: draft_id=${prepared.draftId}, articles=${row.article_count}, time=${row.execution_time_ms}ms`,
  );
  const [result] = await toTestResults(ctx, [row]);
  return result;
}

/** The JSON answer: the stored run, or a 502 carrying it when the model failed. */
export function jsonAnswer(result: TestResult): TestResult {
  if (result.status === 'error') {
    throw new AppError('upstream_error', `The test run failed: ${result.error}`, { result });
  }
  return result;
}

/**
 * One page of the draft's history, newest first. Only the page is scored: scoring reads every
 * run's articles, so scoring the whole history made each read grow with it.
 */
export async function listTests(
  ctx: AppContext,
  user: AuthUser,
  draftId: number,
  page: ListTestsQuery,
): Promise<ListTestsResponse> {
  const draft = await ownDraft(ctx.db, user, draftId);
  let before: repo.TestRunCursor | undefined;
  if (page.before !== undefined) {
    const run = await repo.findTestRunForUser(ctx.db, draft.id, page.before, user.id);
    if (!run) throw badRequest(`before: ${page.before} is not a test run of draft ${draft.id}`);
    before = { created_at: run.created_at, test_id: run.test_id };
  }
  // One row past the page tells whether an older page exists.
  const rows = await repo.listTestRuns(ctx.db, draft.id, { limit: page.limit + 1, before });
  const runs = rows.slice(0, page.limit);
  return {
    draft_id: draft.id,
    test_results: await toTestResults(ctx, runs),
    // Counted on the draft in the transaction that stores each run.
    total_tests: draft.test_count,
    next_before: rows.length > page.limit ? runs[runs.length - 1].test_id : null,
  };
}

/** Figures per prompt text the draft's tests ran: runs, failures, ratings, median time, mean cost. */
export async function summarizeTests(
  ctx: AppContext,
  user: AuthUser,
  draftId: number,
): Promise<DraftSummaryResponse> {
  const draft = await ownDraft(ctx.db, user, draftId);
  const runs = await repo.listTestRuns(ctx.db, draft.id);
  const figures = runs.map((r) => ({
    sha256: r.content_sha256,
    status: r.status,
    execution_time_ms: r.execution_time_ms,
    cost_usd: r.cost_usd === null ? null : Number(r.cost_usd),
    user_rating: r.user_rating,
    created_at: r.created_at,
  }));
  return { draft_id: draft.id, prompt_texts: summarizeByPromptText(figures) };
}

/** Stores the rating and notes of one run (the seed's "Save Feedback"). */
export async function rateTest(
  ctx: AppContext,
  user: AuthUser,
  draftId: number,
  testId: string,
  input: RateTestRequest,
): Promise<TestResult> {
  const run = await repo.findTestRunForUser(ctx.db, draftId, testId, user.id);
  if (!run) throw notFound(`Test run ${testId} of draft ${draftId}`);
  const at = nowIso();
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.updateTestFeedback(trx, run.test_id, {
      ...(input.user_rating === undefined ? {} : { user_rating: input.user_rating }),
      ...(input.notes === undefined ? {} : { notes: input.notes }),
    });
    await repo.touchDraft(trx, draftId, at);
    if (input.user_rating)
      await events.insertEvent(trx, { kind: 'rated', user_id: user.id, draft_id: draftId, at });
    return row;
  });
  if (!updated) throw notFound(`Test run ${testId} of draft ${draftId}`);
  const [result] = await toTestResults(ctx, [updated]);
  return result;
}
