import {
  type CellResponse,
  type CreateRunRequest,
  type EvalCase,
  type RescoredRun,
  type RunCounts,
  type RunEstimate,
  type RunProgress,
  type RunResponse,
  type RunVariant,
  runEstimate,
  runVariant,
} from '../../../shared/evals';
import type { AuthUser } from '../../auth/types';
import { type AppContext, nowIso } from '../../context';
import { type TopicCorpusStats, topicCorpusStats } from '../../corpus/service';
import { AppError, badRequest, conflict, notFound } from '../../errors';
import { LlmError } from '../../llm/types';
import { resolvePromptRef } from '../../prompts/refs';
import { assertJudgeModel } from '../judges/call';
import { getSuite } from '../suites/service';
import { eta } from './eta';
import * as repo from './repository';

// Creating, reading and cancelling runs. Executing their cells is the runner's (runner.ts).

/** What an estimate assumes a model writes per answer; real figures replace it as cells finish. */
const ASSUMED_OUTPUT_TOKENS = 600;
const CHARS_PER_TOKEN = 4;

const emptyCounts = (total: number): RunCounts => ({
  total,
  pending: 0,
  running: 0,
  ok: 0,
  error: 0,
  skipped: 0,
});

function parseVariants(json: string): RunVariant[] {
  return runVariant.array().parse(JSON.parse(json));
}

function toRunResponse(
  row: repo.RunRow,
  counts: RunCounts,
  aggregates: RunResponse['aggregates'],
): RunResponse {
  const { owner_id: _o, total_cells: _t, variants, estimate, scoring, scored_at, ...rest } = row;
  const rescore =
    scoring === null
      ? null
      : (JSON.parse(scoring) as Omit<RescoredRun, 'at' | 'suite_version'> & { suite_version?: number });
  return {
    ...rest,
    // Runs re-scored before the suite version was recorded scored against their own version.
    rescored:
      rescore && scored_at
        ? { ...rescore, suite_version: rescore.suite_version ?? row.suite_version, at: scored_at }
        : null,
    status: row.status,
    variants: parseVariants(variants).map(({ prompt: _p, ...v }) => v),
    estimate: runEstimate.parse(JSON.parse(estimate)),
    counts,
    aggregates,
  };
}

async function countsOf(ctx: AppContext, rows: repo.RunRow[]): Promise<Map<number, RunCounts>> {
  const out = new Map(rows.map((r) => [r.id, emptyCounts(r.total_cells)]));
  for (const c of await repo.cellCounts(
    ctx.db,
    rows.map((r) => r.id),
  )) {
    const counts = out.get(c.run_id);
    if (counts) counts[c.status] = Number(c.n);
  }
  return out;
}

/** The estimate shown before a run starts: calls × (prompt + query + retrieved articles) at catalog prices. */
function estimate(
  ctx: AppContext,
  cases: EvalCase[],
  variants: RunVariant[],
  repetitions: number,
  topics: Map<string, TopicCorpusStats>,
): RunEstimate {
  let cost = 0;
  let inputTokens = 0;
  const unpriced = new Set<string>();
  for (const v of variants) {
    const info = ctx.llm.modelInfo(v.model);
    const promptTokens = ctx.llm.countTokens(v.prompt);
    for (const c of cases) {
      const topic = topics.get(c.topic);
      const articles = Math.min(v.limit, topic?.article_count ?? 0);
      let input = promptTokens + Math.ceil(c.query.length / CHARS_PER_TOKEN) + 50;
      input += Math.ceil((articles * (topic?.mean_chars ?? 0)) / CHARS_PER_TOKEN);
      if (info.context_window) input = Math.min(input, info.context_window);
      inputTokens += input * repetitions;
      if (info.offline) continue;
      if (info.input_price_per_mtok === null || info.output_price_per_mtok === null) {
        unpriced.add(v.model);
        continue;
      }
      cost +=
        (repetitions *
          (input * info.input_price_per_mtok + ASSUMED_OUTPUT_TOKENS * info.output_price_per_mtok)) /
        1e6;
    }
  }
  const calls = cases.length * variants.length * repetitions;
  return {
    model_calls: calls,
    estimated_cost_usd: unpriced.size > 0 ? null : Number(cost.toFixed(6)),
    unpriced_models: [...unpriced],
    assumed_input_tokens: calls ? Math.round(inputTokens / calls) : 0,
    assumed_output_tokens: ASSUMED_OUTPUT_TOKENS,
  };
}

/** A pinned run must be one the user can see (else 404) and of the suite being run (else 400). */
async function checkPinnedRun(
  ctx: AppContext,
  user: AuthUser,
  suite: { id: number; name: string },
  runId: number,
): Promise<void> {
  const pinned = await repo.findRun(ctx.db, runId, user.id);
  if (!pinned) throw notFound(`Run ${runId} (pinned_run_id)`);
  if (pinned.suite_id !== suite.id) {
    const of = `suite ${pinned.suite_id}${pinned.suite_name === null ? '' : ` "${pinned.suite_name}"`}`;
    throw badRequest(`pinned_run_id: run ${runId} is of ${of}, not suite ${suite.id} "${suite.name}"`);
  }
}

async function resolveVariants(
  ctx: AppContext,
  user: AuthUser,
  suite: { id: number; name: string },
  input: CreateRunRequest,
): Promise<RunVariant[]> {
  const out: RunVariant[] = [];
  for (const v of input.variants) {
    const prompt = await resolvePromptRef(ctx, user, v.prompt);
    const model = v.model ?? ctx.llm.defaultModel();
    try {
      ctx.llm.modelInfo(model);
    } catch (err) {
      if (err instanceof LlmError)
        throw new AppError('not_found', `Model "${model}" not found: ${err.message}`);
      throw err;
    }
    if (v.pinned_run_id !== undefined) await checkPinnedRun(ctx, user, suite, v.pinned_run_id);
    out.push({
      prompt: prompt.text,
      prompt_label: prompt.label,
      prompt_sha256: prompt.sha256,
      model,
      limit: v.limit,
      agentic: v.agentic,
      retrieval: v.retrieval,
      pinned_run_id: v.pinned_run_id ?? null,
    });
  }
  return out;
}

/** Every judge model the suite's cases and scoring name exists: else a 404 naming it, before any call. */
function assertJudgeModels(ctx: AppContext, suite: Awaited<ReturnType<typeof getSuite>>): void {
  const models = new Set<string | undefined>();
  for (const a of [...suite.cases.flatMap((c) => c.assertions ?? []), ...suite.scoring.assertions])
    if (a.type === 'llm-rubric') models.add(a.model);
  for (const model of models) assertJudgeModel(ctx, model);
}

export type CreatedRun = { dry_run: true; estimate: RunEstimate } | RunResponse;

export async function createRun(
  ctx: AppContext,
  user: AuthUser,
  input: CreateRunRequest,
): Promise<CreatedRun> {
  const suite = await getSuite(ctx, user, input.suite_id);
  if (suite.cases.length === 0) throw badRequest(`Suite ${suite.id} has no cases to run`);
  const variants = await resolveVariants(ctx, user, suite, input);
  assertJudgeModels(ctx, suite);
  const est = estimate(ctx, suite.cases, variants, input.repetitions, await topicCorpusStats(ctx));
  if (input.dry_run) return { dry_run: true, estimate: est };
  if (input.budget_usd !== undefined && est.unpriced_models.length > 0) {
    // Without a price nothing is counted, so the budget could never stop the run.
    throw new AppError(
      'bad_request',
      `budget_usd cannot be kept: no price is known for ${est.unpriced_models.join(', ')}`,
      { estimate: est },
    );
  }
  if (input.budget_usd !== undefined && est.estimated_cost_usd !== null) {
    const firstCall = est.estimated_cost_usd / est.model_calls;
    if (input.budget_usd < firstCall) {
      throw new AppError(
        'bad_request',
        `budget_usd ${input.budget_usd} is below the estimated cost of one call ($${firstCall.toFixed(6)})`,
        { estimate: est },
      );
    }
  }
  const grid = { cases: suite.cases.length, variants: variants.length, repetitions: input.repetitions };
  const at = nowIso();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const { id } = await repo.insertRun(trx, {
      owner_id: user.id,
      suite_id: suite.id,
      suite_version_id: suite.version_id,
      variants: JSON.stringify(variants),
      repetitions: input.repetitions,
      concurrency: input.concurrency,
      status: 'queued',
      budget_usd: input.budget_usd ?? null,
      total_cells: grid.cases * grid.variants * grid.repetitions,
      estimate: JSON.stringify(est),
      created_at: at,
      started_at: null,
      finished_at: null,
    });
    await repo.insertCells(trx, id, grid);
    return id;
  });
  return getRun(ctx, user, id);
}

async function ownRun(ctx: AppContext, user: AuthUser, id: number): Promise<repo.RunRow> {
  const row = await repo.findRun(ctx.db, id, user.id);
  if (!row) throw notFound(`Run ${id}`);
  return row;
}

/** The user's run with its variants read (for scoring and reviews); another user's answers 404. */
export async function getRunRow(ctx: AppContext, user: AuthUser, id: number) {
  const row = await ownRun(ctx, user, id);
  return { ...row, variants: parseVariants(row.variants) };
}

export async function getRun(ctx: AppContext, user: AuthUser, id: number): Promise<RunResponse> {
  const row = await ownRun(ctx, user, id);
  const [counts, aggregates] = await Promise.all([countsOf(ctx, [row]), repo.variantAggregates(ctx.db, id)]);
  return toRunResponse(
    row,
    counts.get(id)!,
    aggregates.map((a) => ({
      variant_index: a.variant_index,
      cells: Number(a.cells),
      ok: Number(a.ok ?? 0),
      error: Number(a.error ?? 0),
      cost_usd: Number(a.cost_usd ?? 0),
      mean_execution_time_ms: a.mean_execution_time_ms === null ? null : Number(a.mean_execution_time_ms),
      mean_first_token_ms: a.mean_first_token_ms === null ? null : Number(a.mean_first_token_ms),
      mean_output_tokens: a.mean_output_tokens === null ? null : Number(a.mean_output_tokens),
      scored: Number(a.scored ?? 0),
      passed: Number(a.passed ?? 0),
      pass_rate: Number(a.scored ?? 0) === 0 ? null : Number(a.passed ?? 0) / Number(a.scored),
      mean_score: nullableNumber(a.mean_score),
      grounding_precision: nullableNumber(a.grounding_precision),
      invented_urls: Number(a.invented_urls ?? 0),
      citation_coverage: nullableNumber(a.citation_coverage),
      judge_cost_usd: Number(a.judge_cost_usd ?? 0),
    })),
  );
}

export async function listRuns(ctx: AppContext, user: AuthUser) {
  const rows = await repo.listRuns(ctx.db, user.id, 100);
  const counts = await countsOf(ctx, rows);
  return rows.map((r) => {
    const { aggregates: _a, ...run } = toRunResponse(r, counts.get(r.id)!, []);
    return run;
  });
}

const nullableNumber = (v: number | string | null) => (v === null ? null : Number(v));

export function toCellResponse(c: Awaited<ReturnType<typeof repo.listCells>>['cells'][number]): CellResponse {
  const {
    run_id: _r,
    lease_owner: _o,
    lease_until: _u,
    retrieval: _rt,
    scored_at: _s,
    article_ids,
    passed,
    ...rest
  } = c;
  return {
    ...rest,
    passed: passed === null ? null : passed === 1,
    article_ids: JSON.parse(article_ids ?? '[]'),
  };
}

export async function listCells(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  query: Parameters<typeof repo.listCells>[2],
): Promise<{ total: number; cells: CellResponse[] }> {
  await ownRun(ctx, user, id);
  const { total, cells } = await repo.listCells(ctx.db, id, query);
  return { total, cells: cells.map(toCellResponse) };
}

/** The cases of a suite version, as a run asked them (the suite may have moved on since). */
export async function versionCases(ctx: AppContext, versionId: number): Promise<EvalCase[]> {
  const version = await repo.suiteVersionCases(ctx.db, versionId);
  return JSON.parse(version?.cases ?? '[]');
}

/**
 * Stops a run: nothing new starts, cells not claimed are skipped, and the processes running it
 * abort their calls and skip the cells they hold.
 */
export async function cancelRun(ctx: AppContext, user: AuthUser, id: number): Promise<RunResponse> {
  const run = await ownRun(ctx, user, id);
  const at = nowIso();
  if (!(await repo.cancelRun(ctx.db, id, at))) throw conflict(`Run ${id} has already ended (${run.status})`);
  await repo.skipPending(ctx.db, id, 'cancelled', at);
  return getRun(ctx, user, id);
}

/** A run's counts, spend and status: one small row and one grouped count, no aggregates. */
export async function getRunProgress(ctx: AppContext, user: AuthUser, id: number): Promise<RunProgress> {
  const row = await repo.findRunProgress(ctx.db, id, user.id);
  if (!row) throw notFound(`Run ${id}`);
  const counts = emptyCounts(row.total_cells);
  let last: string | null = null;
  for (const c of await repo.cellCounts(ctx.db, [id])) {
    counts[c.status] = Number(c.n);
    if (c.last_finished_at && (last === null || c.last_finished_at > last)) last = c.last_finished_at;
  }
  return {
    id: row.id,
    status: row.status,
    counts,
    spent_usd: row.spent_usd,
    eta_seconds: eta(row.status, row.started_at, counts, last),
  };
}

/** Whole cells one progress event sends at most; the rest follow in the next. */
const EVENT_CELLS_MAX = 500;
/**
 * A cell's time is taken before its transaction commits, so the stream looks back this far behind
 * the newest cell it sent for cells stamped earlier but committed later.
 */
const LOOK_BACK_MS = 5000;

/**
 * Where one progress stream is: the newest finish time it sent, and the cells it sent that
 * finished within the look-back before it (older ones are never read again, so they are forgot:
 * a stream following a 400,000-cell run does not hold every id).
 */
export interface CellCursor {
  since: string;
  sent: Map<number, string>;
}

export const newCellCursor = (): CellCursor => ({ since: new Date(0).toISOString(), sent: new Map() });

/**
 * For the progress stream: the run's progress now, and the cells it has not sent that finished
 * after the cursor's `since` (the newest sent) or a little before it, whole and in the order they
 * finished (at most EVENT_CELLS_MAX); the cursor moves past them. The cells after `since` are read
 * apart from the look-back, so however many finished within it, the stream moves on; the
 * look-back reads its newest `lookBackMax` ids.
 */
export async function progressOf(
  ctx: AppContext,
  user: AuthUser,
  id: number,
  cursor: CellCursor,
  lookBackMax = 20_000,
) {
  const progress = await getRunProgress(ctx, user, id);
  const lookBack = (since: string) => new Date(Date.parse(since) - LOOK_BACK_MS).toISOString();
  const [late, after] = await Promise.all([
    repo.cellsFinishedBetween(ctx.db, id, lookBack(cursor.since), cursor.since, lookBackMax),
    repo.cellsFinishedAfter(ctx.db, id, cursor.since, EVENT_CELLS_MAX),
  ]);
  const fresh = [...late.reverse(), ...after].filter((c) => !cursor.sent.has(c.id)).slice(0, EVENT_CELLS_MAX);
  const finished = (
    await repo.cellsByIds(
      ctx.db,
      id,
      fresh.map((c) => c.id),
    )
  ).map(toCellResponse);
  for (const cell of finished) {
    const at = cell.finished_at ?? cursor.since;
    cursor.sent.set(cell.id, at);
    if (at > cursor.since) cursor.since = at;
  }
  const from = lookBack(cursor.since);
  for (const [cellId, at] of cursor.sent) if (at < from) cursor.sent.delete(cellId);
  return { progress, finished };
}
