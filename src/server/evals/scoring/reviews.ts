import { createHash } from 'node:crypto';
import type { EvalCase } from '../../../shared/evals';
import type {
  CellDetailResponse,
  JudgeAgreement,
  ReviewQueueResponse,
  ReviewRequest,
} from '../../../shared/scoring';
import type { AuthUser } from '../../auth/types';
import { type AppContext, nowIso } from '../../context';
import { articleRefs } from '../../corpus/service';
import { notFound } from '../../errors';
import { cohensKappa, spearman } from '../agreement';
import { groundingReport } from '../assertions/citations';
import { getRunRow, toCellResponse } from '../runs/service';
import * as repo from './repository';
import { runScoringOf, scoreContext, toCellScore, toGrounding } from './service';

// Reading a cell in full, human reviews, the review queue and judge agreement. Every route goes
// through the run's owner check first: another user's run or cell answers 404.

const bool = (v: number | null) => (v === null ? null : v === 1);

async function ownCell(ctx: AppContext, user: AuthUser, runId: number, cellId: number) {
  const run = await getRunRow(ctx, user, runId);
  const cell = await repo.findCell(ctx.db, runId, cellId);
  if (!cell) throw notFound(`Cell ${cellId} of run ${runId}`);
  return { run, cell };
}

export async function getCell(
  ctx: AppContext,
  user: AuthUser,
  runId: number,
  cellId: number,
): Promise<CellDetailResponse> {
  const { run, cell } = await ownCell(ctx, user, runId, cellId);
  const { cases } = await runScoringOf(ctx, runId);
  const c: EvalCase | undefined = cases[cell.case_index];
  const articleIds: number[] = JSON.parse(cell.article_ids ?? '[]');
  const [scores, reviews, articles] = await Promise.all([
    repo.scoresOf(ctx.db, cellId),
    repo.reviewsOf(ctx.db, cellId),
    articleRefs(ctx, articleIds),
  ]);
  // Grounding marks are recomputed from the stored answer: they are a pure function of it and the
  // articles, and storing every citation's span for every cell would only duplicate them.
  const grounding =
    cell.status === 'ok' && cell.answer !== null
      ? toGrounding(
          groundingReport(
            cell.answer,
            await scoreContext(ctx, {
              query: c?.query ?? '',
              reference: c?.reference ?? null,
              answer: cell.answer,
              article_ids: articleIds,
              execution_time_ms: cell.execution_time_ms,
              first_token_ms: cell.first_token_ms,
              cost_usd: cell.cost_usd,
            }),
          ),
        )
      : null;
  return {
    ...toCellResponse(cell),
    run_id: runId,
    query: c?.query ?? '',
    topic: c?.topic ?? '',
    reference: c?.reference ?? null,
    prompt_label: run.variants[cell.variant_index]?.prompt_label ?? '',
    articles: articles.map((a) => ({
      id: a.id,
      title: a.title,
      url: a.url,
      source: a.source,
      published_at: a.published_at,
    })),
    scores: scores.map(toCellScore),
    grounding,
    reviews: reviews.map((r) => ({ ...r, pass: bool(r.pass) })),
  };
}

export async function putReview(
  ctx: AppContext,
  user: AuthUser,
  runId: number,
  cellId: number,
  input: ReviewRequest,
): Promise<CellDetailResponse> {
  await ownCell(ctx, user, runId, cellId);
  await repo.upsertReview(
    ctx.db,
    {
      cell_id: cellId,
      reviewer_id: user.id,
      pass: input.pass === undefined ? undefined : input.pass === null ? null : input.pass ? 1 : 0,
      rating: input.rating,
      notes: input.notes,
    },
    nowIso(),
  );
  return getCell(ctx, user, runId, cellId);
}

export async function deleteReview(ctx: AppContext, user: AuthUser, runId: number, cellId: number) {
  await ownCell(ctx, user, runId, cellId);
  if (!(await repo.deleteReview(ctx.db, cellId, user.id))) throw notFound(`Your review of cell ${cellId}`);
}

export async function reviewQueue(
  ctx: AppContext,
  user: AuthUser,
  runId: number,
  query: { disagreements: boolean; offset: number; limit: number },
): Promise<ReviewQueueResponse> {
  await getRunRow(ctx, user, runId);
  const { cases } = await runScoringOf(ctx, runId);
  const { total, cells } = await repo.reviewQueue(ctx.db, runId, query);
  return {
    total,
    cells: cells.map((c) => ({
      id: c.id,
      case_index: c.case_index,
      variant_index: c.variant_index,
      repetition: c.repetition,
      query: cases[c.case_index]?.query ?? '',
      passed: bool(c.passed),
      judge_pass: c.judge_pass === null ? null : Number(c.judge_pass) === 1,
      assertion_pass: c.assertion_pass === null ? null : Number(c.assertion_pass) === 1,
    })),
  };
}

/** Per judge (model and rubric), how its verdicts agree with human reviews of the same cells. */
export async function agreement(ctx: AppContext, user: AuthUser, runId: number): Promise<JudgeAgreement[]> {
  await getRunRow(ctx, user, runId);
  const judges = new Map<
    string,
    {
      label: string;
      model: string;
      scale: 'pass-fail' | '1-5';
      pass: [boolean, boolean][];
      rating: [number, number][];
      n: number;
    }
  >();
  for (const p of await repo.judgeHumanPairs(ctx.db, runId)) {
    const details = p.details === null ? {} : (JSON.parse(p.details) as { scale?: string; rubric?: string });
    const rubric = details.rubric ?? '';
    const scale = details.scale === '1-5' ? '1-5' : 'pass-fail';
    const key = `${p.judge_model}\u0000${scale}\u0000${createHash('sha256').update(rubric).digest('hex')}`;
    let j = judges.get(key);
    if (!j) {
      const short = rubric.length > 60 ? `${rubric.slice(0, 57)}…` : rubric;
      j = {
        label: `${p.judge_model ?? 'judge'}: ${short}`,
        model: p.judge_model ?? '',
        scale,
        pass: [],
        rating: [],
        n: 0,
      };
      judges.set(key, j);
    }
    j.n++;
    if (p.judge_pass !== null && p.human_pass !== null) j.pass.push([p.judge_pass === 1, p.human_pass === 1]);
    if (p.judge_rating !== null && p.human_rating !== null) j.rating.push([p.judge_rating, p.human_rating]);
  }
  return [...judges.values()].map((j) => {
    const k = cohensKappa(j.pass);
    const s = spearman(j.rating);
    return {
      judge: j.label,
      model: j.model,
      scale: j.scale,
      n: j.n,
      kappa: k.kappa,
      observed_agreement: k.observed_agreement,
      n_pass: k.n,
      spearman: s.rho,
      n_rating: s.n,
    };
  });
}
