import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { type EvalCase, isRunActive, type RunVariant, runVariant } from '../../../shared/evals';
import type { TurnArticle } from '../../auspex/context-packing';
import { blankTurnResult } from '../../auspex/turn';
import type { TurnResult } from '../../auspex/types';
import { type AppContext, nowIso } from '../../context';
import { type TopicCorpusStats, topicCorpusStats } from '../../corpus/service';
import { executeCase } from '../execute';
import { callsJudge, type Plan, planFor } from '../scoring/plan';
import { runScoringOf, scoreAnswer } from '../scoring/service';
import { createCallSlots } from './call-slots';
import { type Claimed, createCellBatches } from './cell-batches';
import { cellSearch, type QueuedRetrieve, retrievalMemo, since } from './cell-retrieval';
import { createProviderLimiter, type ProviderLimiter } from './provider-limiter';
import * as repo from './repository';
import { versionCases } from './service';

// Works on every active run: a pool of workers per run claims cells from the database under a
// lease, runs each as one Auspex turn and writes the result back only while it holds the lease.
// A process that dies leaves leases that run out; any process (this one after a restart, or
// another on the same PostgreSQL database) then takes those cells again. Finished cells are never
// repeated: only pending cells and cells with a lapsed lease are claimed.

/** A cell refused for load this many times is stored as an error instead of tried again. */
const MAX_ATTEMPTS = 12;

export interface EvalRunner {
  /** Look for work now instead of at the next poll. */
  kick(): void;
  /** A run was cancelled: abort its calls in this process at once. */
  cancelled(runId: number): void;
  /** Stop claiming, abort in-flight calls and hand their cells back; resolves when all stopped. */
  stop(): Promise<void>;
}

interface Pool {
  controller: AbortController;
  done: Promise<void>;
}

interface Prepared {
  variants: RunVariant[];
  cases: EvalCase[];
  corpus: Map<string, TopicCorpusStats>;
  /** Per pinned variant: case index -> the article ids of the pinned run's cell. */
  pinned: Map<number, Map<number, number[]>>;
  /** Per case: the assertions and judges its answers are scored against. */
  plans: Plan[];
  /** How cells fetch their articles: remembered while a case's cells run when several share them. */
  retrieve: QueuedRetrieve;
}

/** The turn's times without what this process made it wait. */
function withoutWait(turn: TurnResult, waitedMs: number): TurnResult {
  const less = (ms: number) => Math.max(0, Math.round(ms - waitedMs));
  return {
    ...turn,
    first_token_ms: turn.first_token_ms === null ? null : less(turn.first_token_ms),
    execution_time_ms: less(turn.execution_time_ms),
  };
}

/** Why a pool stops when its run was cancelled (not shutting down, not a failed claim). */
class RunCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** A claimed cell while it holds one of the pool's places. */
interface Running extends Claimed {
  /** Gives the place back (once): the pool claims another cell in its place. */
  free(): void;
  /** Its model call has gone out (it took a call slot), so this claim used one of its attempts. */
  called: boolean;
}

/** The articles of `ids` in that order, when all were retrieved (a tool may have found others). */
function articlesOf(ids: number[], retrieved: TurnArticle[]): TurnArticle[] | undefined {
  const byId = new Map(retrieved.map((a) => [a.id, a]));
  const out = ids.flatMap((id) => byId.get(id) ?? []);
  return out.length === ids.length ? out : undefined;
}

const withoutNul = (text: string) => text.replaceAll('\u0000', '');

/** Waits, or stops waiting when the signal aborts. */
const sleep = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

export function startEvalRunner(
  ctx: AppContext,
  limiter: ProviderLimiter = createProviderLimiter(64),
): EvalRunner {
  const { leaseSeconds, pollMs } = ctx.config.evals;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pools = new Map<number, Pool>();
  let stopped = false;
  let claims = 0;
  let ticking: Promise<void> | null = null;

  const search = cellSearch(ctx);

  // What a run's cells need, read once per run and process: a pool ends whenever no cell is
  // claimable and the next poll starts another, and re-reading a 5,000-case suite, the corpus
  // figures and pinned article maps each time would be wasted. Dropped when the run ends.
  const prepared = new Map<number, Promise<Prepared>>();

  async function prepare(
    runId: number,
    state: { variants: string; suite_version_id: number; repetitions: number },
  ): Promise<Prepared> {
    const variants: RunVariant[] = runVariant.array().parse(JSON.parse(state.variants));
    const cases = await versionCases(ctx, state.suite_version_id);
    // The corpus as this process first saw it during the run: what each cell's fingerprint names.
    const corpus = await topicCorpusStats(ctx);
    const pinned = new Map<number, Map<number, number[]>>();
    for (const [i, v] of variants.entries()) {
      if (v.retrieval === 'pinned' && v.pinned_run_id !== null) {
        pinned.set(i, await repo.articlesPerCase(ctx.db, v.pinned_run_id));
      }
    }
    const { suite, run } = await runScoringOf(ctx, runId);
    // With one variant and one repetition no two cells share a retrieval: nothing to remember.
    const shared = variants.length > 1 || state.repetitions > 1;
    return {
      variants,
      cases,
      corpus,
      pinned,
      plans: cases.map((c) => planFor(c, suite, run)),
      retrieve: shared ? retrievalMemo(search) : search,
    };
  }

  const leaseUntil = () => new Date(Date.now() + leaseSeconds * 1000).toISOString();

  async function runPool(runId: number, controller: AbortController): Promise<void> {
    const state = await repo.runState(ctx.db, runId);
    if (!state || !isRunActive(state.status)) return;
    await repo.markRunning(ctx.db, runId, nowIso());
    let ready = prepared.get(runId);
    if (!ready) {
      ready = prepare(runId, state);
      prepared.set(runId, ready);
      // A failed read is tried again by the next pool, not kept.
      ready.catch(() => prepared.delete(runId));
    }
    const { variants, cases, corpus, pinned, plans, retrieve } = await ready;
    // Cell id -> the lease token of this claim: a token names one claim, never a whole process.
    const inFlight = new Map<number, string>();

    // Keep our leases alive while calls run, and notice a cancel made by another process.
    const heartbeat = setInterval(
      () => {
        void (async () => {
          await repo.renewLeases(ctx.db, [...inFlight.values()], leaseUntil());
          const now = await repo.runState(ctx.db, runId);
          if (now?.status === 'cancelled') controller.abort(new RunCancelled());
        })().catch((err) => ctx.log.error({ err, runId }, 'eval lease renewal failed'));
      },
      Math.max(500, (leaseSeconds * 1000) / 3),
    );

    // Results and claims go through batches: those queued in one turn of the event loop are one
    // transaction (cell-batches.ts). A claim asks only for the places free in the pool at that
    // moment, so a process never holds more cells than its calls and the ones claimed ahead.
    const batches = createCellBatches(ctx, runId, {
      claimToken: () => `${owner}:${++claims}:`,
      leaseUntil,
      signal: controller.signal,
      onCancelled: () => controller.abort(new RunCancelled()),
    });

    async function finish(
      cell: Running,
      turn: TurnResult,
      v: RunVariant,
      c: EvalCase,
      skipped?: string,
      retrieved: TurnArticle[] = [],
    ) {
      // Scored before it is stored, so an answer and its scores land together, exactly once.
      const scored =
        !skipped && turn.status === 'ok'
          ? await scoreAnswer(
              ctx,
              plans[cell.case_index],
              {
                query: c.query,
                reference: c.reference ?? null,
                answer: withoutNul(turn.response),
                article_ids: turn.article_ids,
                articles: articlesOf(turn.article_ids, retrieved),
                execution_time_ms: turn.execution_time_ms,
                first_token_ms: turn.first_token_ms,
                cost_usd: turn.cost_usd,
              },
              controller.signal,
            )
          : null;
      const stored = batches.complete({
        cell,
        result: {
          status: skipped ? 'skipped' : turn.status,
          skipped_reason: skipped ?? null,
          // PostgreSQL cannot store U+0000, and a model may write one.
          answer: withoutNul(turn.response),
          model: turn.model,
          article_ids: JSON.stringify(turn.article_ids),
          retrieval: JSON.stringify({
            mode: v.retrieval,
            limit: v.limit,
            agentic: v.agentic,
            pinned_run_id: v.pinned_run_id,
          }),
          corpus_fingerprint: corpus.get(c.topic)?.fingerprint ?? null,
          input_tokens: turn.input_tokens,
          output_tokens: turn.output_tokens,
          cost_usd: turn.cost_usd,
          first_token_ms: turn.first_token_ms,
          execution_time_ms: turn.execution_time_ms,
          error: turn.error === null ? null : withoutNul(turn.error),
          finished_at: nowIso(),
        },
        scored,
        // The budget counts what judging cost as well as the answer.
        spent: (turn.cost_usd ?? 0) + (scored?.summary.judge_cost_usd ?? 0),
      });
      // The place is free once the result is queued, so the next claim joins the same batch.
      cell.free();
      await stored;
    }

    /** Gives the cell back to be run again later, by anyone (skipped if the run was cancelled). */
    async function giveBack(cell: Running) {
      cell.free();
      await repo.releaseCell(ctx.db, cell.id, cell.lease, !cell.called);
    }

    async function runCell(cell: Running) {
      const v = variants[cell.variant_index];
      const c = cases[cell.case_index];
      const provider = v.model.split(':')[0];
      const articleIds = pinned.get(cell.variant_index)?.get(cell.case_index);
      if (v.retrieval === 'pinned' && !articleIds) {
        await finish(
          cell,
          blankTurnResult(v.model, `run ${v.pinned_run_id} has no answered cell for case ${cell.case_index}`),
          v,
          c,
        );
        return;
      }
      // The call slots are taken once the prompt is built. The provider's is given back as soon as
      // the answer has streamed; the run's too, unless a judge scores the answer: a judge's calls
      // count against the run's concurrency, so its slot is held until the cell is scored.
      const judged = callsJudge(plans[cell.case_index]);
      const call = { provider: () => {}, run: () => {} };
      // What this process made the cell wait for (its search queue, the call slots), which is not
      // the search's or the model's time and is taken out of the cell's times.
      let waitedMs = 0;
      let turn: TurnResult;
      // The articles the turn retrieved, so scoring does not read them again.
      let retrieved: TurnArticle[] = [];
      try {
        turn = await executeCase(ctx, {
          promptText: v.prompt,
          model: v.model,
          limit: v.limit,
          agentic: v.agentic,
          articleIds,
          case: c,
          retrieve: async (q) => {
            retrieved = await retrieve(
              q,
              (ms) => {
                waitedMs += ms;
              },
              controller.signal,
            );
            return retrieved;
          },
          beforeCall: async () => {
            const asked = performance.now();
            try {
              Object.assign(call, await callSlot(provider));
              cell.called = true;
            } finally {
              waitedMs += since(asked);
            }
          },
          signal: controller.signal,
        });
      } finally {
        call.provider();
        if (!judged) call.run();
      }
      try {
        await settle(cell, withoutWait(turn, waitedMs), v, c, provider, retrieved);
      } finally {
        call.run();
      }
    }

    async function settle(
      cell: Running,
      turn: TurnResult,
      v: RunVariant,
      c: EvalCase,
      provider: string,
      retrieved: TurnArticle[],
    ) {
      if (turn.error_kind === 'aborted' || controller.signal.aborted) {
        // Cancelled: the cell is skipped. Shutting down, or a claim failed: it goes back to be run
        // again (skipped after all if the run was cancelled meanwhile: releaseCell).
        if (controller.signal.reason instanceof RunCancelled) await finish(cell, turn, v, c, 'cancelled');
        else await giveBack(cell);
        return;
      }
      if (turn.error_kind === 'rate_limited' && cell.attempts < MAX_ATTEMPTS) {
        limiter.slowDown(provider, Math.min(30_000, 250 * 2 ** cell.attempts));
        await giveBack(cell);
        return;
      }
      if (turn.status === 'ok') limiter.succeeded(provider);
      await finish(cell, turn, v, c, undefined, retrieved);
    }

    // The pool: at most `concurrency` model calls at once (a judge's included: a judged cell keeps
    // its call slot until scored), and as many cells again claimed ahead of them, which search
    // and build their prompts while those calls run. When a wave of calls answers together, the
    // next wave starts at once instead of waiting for each cell's claim, search and prompt in turn
    // (bench/evals-concurrency.ts). A run with a budget claims none ahead, so no more calls start
    // after it is reached than before.
    const { concurrency } = state;
    const capacity = state.budget_usd === null ? concurrency * 2 : concurrency;
    const callSlot = createCallSlots({
      concurrency,
      limiter,
      signal: controller.signal,
      // A cancel seen by the status read stops the pool like any other.
      stillRunning: async () => {
        if ((await repo.runStatus(ctx.db, runId)) === 'cancelled') controller.abort(new RunCancelled());
      },
    });
    // Each cell held may listen to the pool's signal a few times over (its wait for a slot, its
    // call, its scoring): that many listeners are expected, not a leak.
    setMaxListeners(capacity * 4 + 10, controller.signal);
    let busy = 0;
    let asking = 0;
    /** A claim found fewer cells than it asked for: the pool finishes what it has, then ends. */
    let drained = false;
    let failure: unknown = null;
    let ended = () => {};
    const end = new Promise<void>((resolve) => {
      ended = resolve;
    });
    const endIfIdle = () => {
      if (inFlight.size === 0 && asking === 0 && (drained || controller.signal.aborted)) ended();
    };

    function fill() {
      const want = drained || controller.signal.aborted ? 0 : capacity - busy - asking;
      if (want <= 0) return endIfIdle();
      asking += want;
      batches.claim(want).then(
        (cells) => {
          asking -= want;
          if (cells.length < want) drained = true;
          for (const cell of cells) void start(cell);
          endIfIdle();
        },
        (err) => {
          // A claim that fails (a lost connection) stops the pool, so its leases are not left
          // unrenewed while the others go on; the next poll starts a fresh pool.
          asking -= want;
          failure ??= err;
          controller.abort(err);
          endIfIdle();
        },
      );
    }

    async function start(claimed: Claimed) {
      let held = true;
      const cell: Running = {
        ...claimed,
        free: () => {
          if (!held) return;
          held = false;
          busy--;
          fill();
        },
        called: false,
      };
      busy++;
      inFlight.set(cell.id, cell.lease);
      try {
        await runCell(cell);
      } catch (err) {
        ctx.log.error({ err, runId, cell: cell.id }, 'eval cell failed');
        // A cell that keeps failing to store is an error, not an endless retry.
        if (cell.attempts >= MAX_ATTEMPTS) {
          const failed = blankTurnResult(
            variants[cell.variant_index].model,
            'the result could not be stored',
          );
          await finish(cell, failed, variants[cell.variant_index], cases[cell.case_index]).catch(
            () => undefined,
          );
        } else {
          await repo.releaseCell(ctx.db, cell.id, cell.lease).catch(() => undefined);
        }
        await sleep(1000, controller.signal);
      } finally {
        inFlight.delete(cell.id);
        cell.free();
        endIfIdle();
      }
    }

    fill();
    await end;
    clearInterval(heartbeat);
    if (failure) throw failure;
    await repo.finishIfComplete(ctx.db, runId, nowIso());
    const after = await repo.runState(ctx.db, runId);
    if (!after || !isRunActive(after.status)) prepared.delete(runId);
  }

  // A process that died holding cells of a run cancelled meanwhile leaves them running: once their
  // leases lapse, any process skips them, as often as leases are renewed.
  let swept = 0;
  async function sweepAbandoned() {
    if (Date.now() - swept < Math.max(500, (leaseSeconds * 1000) / 3)) return;
    swept = Date.now();
    const n = await repo.skipAbandonedCells(ctx.db, nowIso());
    if (n > 0) ctx.log.info({ cells: n }, 'skipped cells of cancelled runs left by a stopped process');
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    await sweepAbandoned();
    const active = await repo.activeRunIds(ctx.db);
    // Runs ended elsewhere (another process finished them, or a cancel) leave no state behind.
    for (const runId of prepared.keys())
      if (!active.includes(runId) && !pools.has(runId)) prepared.delete(runId);
    for (const runId of active) {
      if (pools.has(runId) || stopped) continue;
      const controller = new AbortController();
      const done = runPool(runId, controller)
        .catch((err) => ctx.log.error({ err, runId }, 'eval run failed'))
        .finally(() => pools.delete(runId));
      pools.set(runId, { controller, done });
    }
  }

  const kick = () => {
    if (stopped || ticking) return;
    ticking = tick()
      .catch((err) => ctx.log.error({ err }, 'eval runner poll failed'))
      .finally(() => {
        ticking = null;
      });
  };
  const timer = setInterval(kick, pollMs);
  timer.unref();
  kick();

  return {
    kick,
    cancelled(runId) {
      pools.get(runId)?.controller.abort(new RunCancelled());
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ticking;
      for (const pool of pools.values()) pool.controller.abort(new Error('shutting down'));
      await Promise.all([...pools.values()].map((p) => p.done));
    },
  };
}
