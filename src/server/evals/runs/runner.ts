import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { type EvalCase, type RunVariant, runVariant } from '../../../shared/evals';
import { blankTurnResult } from '../../auspex/turn';
import type { TurnResult } from '../../auspex/types';
import { type AppContext, nowIso } from '../../context';
import { topicCorpusStats } from '../../corpus/service';
import { executeCase } from '../execute';
import { createProviderLimiter, type ProviderLimiter } from './provider-limiter';
import * as repo from './repository';

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

interface Claimed {
  id: number;
  case_index: number;
  variant_index: number;
  attempts: number;
  /** This claim's lease token, the only key that may write the cell back. */
  lease: string;
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

  const leaseUntil = () => new Date(Date.now() + leaseSeconds * 1000).toISOString();

  async function runPool(runId: number, controller: AbortController): Promise<void> {
    const state = await repo.runState(ctx.db, runId);
    if (!state || !['queued', 'running'].includes(state.status)) return;
    await repo.markRunning(ctx.db, runId, nowIso());
    const variants: RunVariant[] = runVariant.array().parse(JSON.parse(state.variants));
    const version = await repo.suiteVersionCases(ctx.db, state.suite_version_id);
    const cases: EvalCase[] = JSON.parse(version?.cases ?? '[]');
    const corpus = await topicCorpusStats(ctx);
    const pinned = new Map<number, Map<number, number[]>>();
    for (const [i, v] of variants.entries()) {
      if (v.retrieval === 'pinned' && v.pinned_run_id !== null) {
        pinned.set(i, await repo.articlesPerCase(ctx.db, v.pinned_run_id));
      }
    }
    // Cell id -> the lease token of this claim: a token names one claim, never a whole process.
    const inFlight = new Map<number, string>();

    // Keep our leases alive while calls run, and notice a cancel made by another process.
    const heartbeat = setInterval(
      () => {
        void (async () => {
          await repo.renewLeases(ctx.db, [...inFlight.values()], leaseUntil());
          const now = await repo.runState(ctx.db, runId);
          if (now?.status === 'cancelled') controller.abort(new Error('cancelled'));
        })().catch((err) => ctx.log.error({ err, runId }, 'eval lease renewal failed'));
      },
      Math.max(500, (leaseSeconds * 1000) / 3),
    );

    async function finish(cell: Claimed, turn: TurnResult, v: RunVariant, c: EvalCase, skipped?: string) {
      const at = nowIso();
      await ctx.db.transaction().execute(async (trx) => {
        const stored = await repo.completeCell(trx, cell.id, cell.lease, {
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
          finished_at: at,
        });
        // Spent once per stored result: a result written by a lease holder that lost it is dropped.
        if (stored && turn.cost_usd) await repo.addSpent(trx, runId, turn.cost_usd);
      });
    }

    async function runCell(cell: Claimed) {
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
      let release: () => void;
      try {
        release = await limiter.acquire(provider, controller.signal);
      } catch {
        await repo.releaseCell(ctx.db, cell.id, cell.lease);
        return;
      }
      let turn: TurnResult;
      try {
        turn = await executeCase(ctx, {
          promptText: v.prompt,
          model: v.model,
          limit: v.limit,
          agentic: v.agentic,
          articleIds,
          case: c,
          signal: controller.signal,
        });
      } finally {
        release();
      }
      if (turn.error_kind === 'aborted' || controller.signal.aborted) {
        // Cancelled: the cell is skipped. Shutting down: it goes back to be run again.
        if (stopped) await repo.releaseCell(ctx.db, cell.id, cell.lease);
        else await finish(cell, turn, v, c, 'cancelled');
        return;
      }
      if (turn.error_kind === 'rate_limited' && cell.attempts < MAX_ATTEMPTS) {
        limiter.slowDown(provider, Math.min(30_000, 250 * 2 ** cell.attempts));
        await repo.releaseCell(ctx.db, cell.id, cell.lease);
        return;
      }
      if (turn.status === 'ok') limiter.succeeded(provider);
      await finish(cell, turn, v, c);
    }

    async function worker() {
      while (!controller.signal.aborted) {
        const now = await repo.runState(ctx.db, runId);
        if (now?.status !== 'running') return;
        if (now.budget_usd !== null && now.spent_usd >= now.budget_usd) {
          await repo.skipPending(ctx.db, runId, 'budget', nowIso());
          return;
        }
        const lease = `${owner}:${++claims}`;
        const [claimed] = await repo.claimCells(ctx.db, ctx.dialect, runId, {
          owner: lease,
          now: nowIso(),
          leaseUntil: leaseUntil(),
          n: 1,
        });
        if (!claimed) return;
        const cell = { ...claimed, lease };
        inFlight.set(cell.id, lease);
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
            await repo.releaseCell(ctx.db, cell.id, lease).catch(() => undefined);
          }
          await sleep(1000, controller.signal);
        } finally {
          inFlight.delete(cell.id);
        }
      }
    }

    // One worker failing (a lost connection) stops the pool, so its leases are not left unrenewed
    // while the others go on; the next poll starts a fresh pool.
    const results = await Promise.allSettled(
      Array.from({ length: state.concurrency }, () =>
        worker().catch((err) => {
          controller.abort(err);
          throw err;
        }),
      ),
    );
    clearInterval(heartbeat);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    await repo.finishIfComplete(ctx.db, runId, nowIso());
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    for (const runId of await repo.activeRunIds(ctx.db)) {
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
      pools.get(runId)?.controller.abort(new Error('cancelled'));
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
