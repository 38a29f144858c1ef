import type { AssertionOf, DeterministicType } from '../../../shared/assertions';
import { type CellResponse, type EvalCase, isRunActive } from '../../../shared/evals';
import type { AnswerScoring, CellGrounding, CellScore, RescoreRequest } from '../../../shared/scoring';
import type { AuthUser } from '../../auth/types';
import { type AppContext, nowIso } from '../../context';
import { articlesByIds, articlesByUrls } from '../../corpus/service';
import type { DB } from '../../db/database';
import { conflict } from '../../errors';
import {
  citedArticleIds,
  citedUrls,
  type GroundingReport,
  groundingReport,
  normalizeUrl,
} from '../assertions/citations';
import { aggregate, scoreAssertions } from '../assertions/score';
import type { ScoreArticle, ScoreContext } from '../assertions/types';
import { assertJudgeModel } from '../judges/call';
import { judgeRubric } from '../judges/rubric';
import { getRunRow } from '../runs/service';
import { type Plan, parseScoring, planFor, type Scoring } from './plan';
import * as repo from './repository';

// Scoring a cell's answer: the grounding report of its citations, every deterministic assertion,
// and the judges. The runner scores each answer before storing it (answer and scores land in one
// transaction); a re-score recomputes them from the stored answers without calling the answering
// model again.

export interface AnswerInput {
  query: string;
  reference: string | null;
  answer: string;
  article_ids: number[];
  /** The cell's articles in the order of article_ids, when the caller has them; else they are read. */
  articles?: ScoreArticleSource[];
  execution_time_ms: number | null;
  first_token_ms: number | null;
  cost_usd: number | null;
}

export interface ScoredCell {
  summary: repo.CellSummary;
  rows: repo.ScoreRow[];
  grounding: CellGrounding;
}

const RESCORE_CONCURRENCY = 8;
const RESCORE_PAGE = 500;

export interface ScoreArticleSource {
  id: number;
  url: string;
  title: string;
  published_at: string | null;
  content: string;
}

const toScoreArticle = (a: ScoreArticleSource): ScoreArticle => ({
  id: a.id,
  url: a.url,
  title: a.title,
  published_at: a.published_at,
  text: a.content,
});

/** At most this many ids or URLs in one IN list. */
const LOOKUP_BATCH = 500;

async function inBatches<T, R>(items: T[], fetch: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += LOOKUP_BATCH)
    out.push(...(await fetch(items.slice(i, i + LOOKUP_BATCH))));
  return out;
}

/** The corpus articles the answers cite (by URL or in-app link), keyed by normalised URL. */
async function citedCorpus(ctx: AppContext, answers: string[]): Promise<Map<string, ScoreArticle>> {
  const urls = [...new Set(answers.flatMap((a) => citedUrls(a)))];
  const ids = [...new Set(answers.flatMap((a) => citedArticleIds(a)))];
  const corpus = new Map<string, ScoreArticle>();
  // Stored URLs are as imported; a cited URL is normalised, so ask for both usual spellings.
  for (const a of [
    ...(await inBatches(urls, (b) =>
      articlesByUrls(
        ctx,
        b.flatMap((u) => [u, `${u}/`]),
      ),
    )),
    ...(await inBatches(ids, (b) => articlesByIds(ctx, b))),
  ])
    corpus.set(normalizeUrl(a.url) ?? a.url, toScoreArticle(a));
  return corpus;
}

const contextOf = (
  input: AnswerInput,
  articles: ScoreArticle[],
  corpus: Map<string, ScoreArticle>,
): ScoreContext => ({
  query: input.query,
  reference: input.reference,
  articles,
  corpus,
  execution_time_ms: input.execution_time_ms,
  first_token_ms: input.first_token_ms,
  cost_usd: input.cost_usd,
});

/** What the checks see: the cell's articles and the corpus articles its answer cites. */
export async function scoreContext(ctx: AppContext, input: AnswerInput): Promise<ScoreContext> {
  const articles = (input.articles ?? (await articlesByIds(ctx, input.article_ids))).map(toScoreArticle);
  return contextOf(input, articles, await citedCorpus(ctx, [input.answer]));
}

/** The grounding report as the API carries it. */
export function toGrounding(r: GroundingReport): CellGrounding {
  return {
    precision: r.precision,
    invented_urls: r.invented_urls,
    coverage: r.coverage,
    citations: r.citations.map((c) => ({
      url: c.url,
      start: c.start,
      end: c.end,
      status: c.status,
      reason: c.reason,
    })),
    quotes: r.quotes.map((q) => ({ text: q.text, url: q.url, verified: q.verified, reason: q.reason })),
    dates: r.dates.map((d) => ({ text: d.text, url: d.url, expected: d.expected, matches: d.matches })),
  };
}

/** Scores one answer against a plan. Judge failures become `judge_error` rows, never passes. */
export async function scoreAnswer(
  ctx: AppContext,
  plan: Plan,
  input: AnswerInput,
  signal?: AbortSignal,
): Promise<ScoredCell> {
  return scoreInContext(ctx, plan, input, await scoreContext(ctx, input), signal);
}

async function scoreInContext(
  ctx: AppContext,
  plan: Plan,
  input: AnswerInput,
  sctx: ScoreContext,
  signal?: AbortSignal,
): Promise<ScoredCell> {
  const grounding = toGrounding(groundingReport(input.answer, sctx));
  const deterministic = plan.items.filter((i) => i.assertion.type !== 'llm-rubric');
  const checked = scoreAssertions(
    deterministic.map((i) => i.assertion),
    input.answer,
    sctx,
  ).results;
  const rows: repo.ScoreRow[] = deterministic.map((item, i) => ({
    position: item.position,
    source: item.source,
    type: item.assertion.type,
    status: checked[i].error ? 'error' : 'ok',
    pass: checked[i].pass ? 1 : 0,
    score: checked[i].score,
    rating: null,
    weight: checked[i].weight,
    reason: checked[i].reason,
    details: checked[i].details ? JSON.stringify(checked[i].details) : null,
    judge_model: null,
    judge_input_tokens: null,
    judge_output_tokens: null,
    judge_cost_usd: null,
  }));
  for (const item of plan.items) {
    const a = item.assertion;
    if (a.type !== 'llm-rubric') continue;
    const verdict = await judgeRubric(ctx, {
      query: input.query,
      articles: sctx.articles.map((x) => ({ title: x.title, url: x.url, text: x.text })),
      answer: input.answer,
      config: a,
      signal,
    });
    const judged = {
      position: item.position,
      source: item.source,
      type: a.type,
      weight: a.weight ?? 1,
      judge_model: verdict.model,
      judge_input_tokens: verdict.input_tokens,
      judge_output_tokens: verdict.output_tokens,
      judge_cost_usd: verdict.cost_usd,
      details: JSON.stringify({ scale: a.scale, rubric: a.rubric }),
    };
    if (verdict.status === 'ok') {
      const pass = a.not ? !verdict.pass : verdict.pass;
      rows.push({
        ...judged,
        status: 'ok',
        pass: pass ? 1 : 0,
        score: a.not ? 1 - verdict.score : verdict.score,
        rating: verdict.rating,
        reason: a.not ? `not: ${verdict.reason}` : verdict.reason,
      });
    } else {
      rows.push({ ...judged, status: 'judge_error', pass: 0, score: 0, rating: null, reason: verdict.error });
    }
  }
  rows.sort((x, y) => x.position - y.position);
  const combined = aggregate(
    rows.map((r) => ({ pass: r.pass === 1 && r.status === 'ok', score: r.score ?? 0, weight: r.weight })),
    plan.threshold,
  );
  const judgeCost = rows.reduce((sum, r) => sum + (r.judge_cost_usd ?? 0), 0);
  return {
    rows,
    grounding,
    summary: {
      passed: rows.length === 0 ? null : combined.pass ? 1 : 0,
      score: rows.length === 0 ? null : combined.score,
      grounding_precision: grounding.precision,
      invented_urls: grounding.invented_urls.length,
      citation_coverage: grounding.coverage,
      judge_cost_usd: rows.some((r) => r.judge_cost_usd !== null) ? judgeCost : null,
      scored_at: nowIso(),
    },
  };
}

/** A score row as the API carries it. */
export function toCellScore(r: repo.ScoreRow): CellScore {
  return {
    position: r.position,
    source: r.source,
    type: r.type,
    status: r.status,
    pass: r.pass === null ? null : r.pass === 1,
    score: r.score,
    rating: r.rating,
    weight: r.weight,
    reason: r.reason,
    details: r.details === null ? null : JSON.parse(r.details),
    judge_model: r.judge_model,
    judge_input_tokens: r.judge_input_tokens,
    judge_output_tokens: r.judge_output_tokens,
    judge_cost_usd: r.judge_cost_usd,
  };
}

/**
 * Scores stored answers that belong to no run (the workshop's test) with deterministic assertions
 * only: no judge, no model call. The articles of every answer are read once for all of them, so a
 * list of answers over the same articles costs three queries, not three per answer.
 */
export async function scoreAnswers(
  ctx: AppContext,
  assertions: AssertionOf<DeterministicType>[],
  inputs: AnswerInput[],
): Promise<AnswerScoring[]> {
  if (inputs.length === 0) return [];
  const plan: Plan = {
    items: assertions.map((assertion, position) => ({ position, source: 'case', assertion })),
  };
  const ids = [...new Set(inputs.flatMap((i) => i.article_ids))];
  const byId = new Map(
    (await inBatches(ids, (b) => articlesByIds(ctx, b))).map((a) => [a.id, toScoreArticle(a)]),
  );
  const corpus = await citedCorpus(
    ctx,
    inputs.map((i) => i.answer),
  );
  const out: AnswerScoring[] = [];
  for (const input of inputs) {
    const articles = [...new Set(input.article_ids)].flatMap((id) => byId.get(id) ?? []);
    const sctx = contextOf(input, articles, corpus);
    const scored = await scoreInContext(ctx, plan, input, sctx);
    out.push({
      passed: scored.summary.passed === null ? null : scored.summary.passed === 1,
      score: scored.summary.score,
      scores: scored.rows.map(toCellScore),
      grounding: scored.grounding,
    });
  }
  return out;
}

/** Stores a cell's scores; call inside the transaction that stores its answer. */
export function saveScores(db: DB, cellId: number, scored: ScoredCell): Promise<void> {
  return repo.replaceScores(db, cellId, scored.summary, scored.rows);
}

/** The scoring a run's cells use: the suite version's, plus the run's own after a re-score. */
export async function runScoringOf(
  ctx: AppContext,
  runId: number,
): Promise<{ cases: EvalCase[]; suite: Scoring | null; run: Scoring | null }> {
  const row = await repo.runScoring(ctx.db, runId);
  if (!row) return { cases: [], suite: null, run: null };
  return {
    cases: JSON.parse(row.cases),
    suite: parseScoring(row.suite_scoring),
    run: parseScoring(row.run_scoring),
  };
}

/** Every judge model the plans name (undefined: the configured default judge). */
function judgeModels(plans: Plan[]): (string | undefined)[] {
  const models = new Set<string | undefined>();
  for (const p of plans)
    for (const i of p.items) if (i.assertion.type === 'llm-rubric') models.add(i.assertion.model);
  return [...models];
}

/**
 * Re-scores every answered cell of an ended run with the given assertions (and the case and suite
 * ones), without calling the answering model. Every score is computed first and all are written
 * in one transaction, so a failure leaves the old scores whole.
 */
export async function rescoreRun(ctx: AppContext, user: AuthUser, runId: number, input: RescoreRequest) {
  const run = await getRunRow(ctx, user, runId);
  if (isRunActive(run.status)) {
    throw conflict(`Run ${runId} is still ${run.status}; re-score it once it has ended`);
  }
  const stored = await runScoringOf(ctx, runId);
  let cases = stored.cases;
  let suite = stored.suite;
  let suiteVersion = run.suite_version;
  if (input.suite_version === 'current' && run.suite_id !== null) {
    const current = await repo.currentSuiteVersion(ctx.db, run.suite_id);
    if (current) {
      suiteVersion = current.version;
      const now: EvalCase[] = JSON.parse(current.cases);
      // A case is taken from the current version only where it still asks the same question.
      cases = cases.map((c, i) => (now[i]?.query === c.query ? now[i] : c));
      suite = parseScoring(current.scoring);
    }
  }
  const runScoring: Scoring = { assertions: input.assertions, threshold: input.threshold };
  const plans = cases.map((c) => planFor(c, suite, runScoring));
  for (const model of judgeModels(plans)) assertJudgeModel(ctx, model);

  const results: { id: number; scored: ScoredCell }[] = [];
  let after = 0;
  for (;;) {
    const page = await repo.answeredCells(ctx.db, runId, after, RESCORE_PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1].id;
    let next = 0;
    const worker = async () => {
      while (next < page.length) {
        const cell = page[next++];
        const c = cases[cell.case_index];
        const scored = await scoreAnswer(ctx, plans[cell.case_index], {
          query: c.query,
          reference: c.reference ?? null,
          answer: cell.answer ?? '',
          article_ids: JSON.parse(cell.article_ids ?? '[]'),
          execution_time_ms: cell.execution_time_ms,
          first_token_ms: cell.first_token_ms,
          cost_usd: cell.cost_usd,
        });
        results.push({ id: cell.id, scored });
      }
    };
    await Promise.all(Array.from({ length: RESCORE_CONCURRENCY }, worker));
  }
  const at = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    for (const r of results) await saveScores(trx, r.id, r.scored);
    // What the run's scores now rest on, shown with the run (`rescored`).
    await repo.setRunScoring(trx, runId, JSON.stringify({ ...runScoring, suite_version: suiteVersion }), at);
  });
  return results.length;
}

/** Each cell with its failed assertions and judges as "type: reason" lines (for reports). */
export async function withFailures(ctx: AppContext, cells: CellResponse[]): Promise<CellResponse[]> {
  const failures = new Map(cells.map((c) => [c.id, [] as string[]]));
  for (const r of await repo.failedScores(
    ctx.db,
    cells.map((c) => c.id),
  ))
    failures.get(r.cell_id)?.push(`${r.type}: ${r.reason}`);
  return cells.map((c) => ({ ...c, failures: failures.get(c.id) ?? [] }));
}
