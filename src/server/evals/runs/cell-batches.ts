import { type AppContext, nowIso } from '../../context';
import type { DB } from '../../db/database';
import { type ScoredCell, saveScores } from '../scoring/service';
import * as repo from './repository';

// A pool's writes, batched: the results its calls queue and the cells it asks for in one turn of
// the event loop are written in one transaction. When 50 calls answer within a few milliseconds
// of each other, storing them and claiming the next 50 cells is one commit (one fsync on SQLite)
// instead of a hundred, and the run's state is read once per batch instead of once per claim.
// Each result is still written only while its claim holds the lease (completeCell checks the
// token), and its scores and the money it cost land with it or not at all.

/** How long a SQLite batch waits for more results before its commit (bench/evals-concurrency.ts). */
const SQLITE_GATHER_MS = 3;

/** A claimed cell and the token of its lease, the only key that may write it back. */
export interface Claimed {
  id: number;
  case_index: number;
  variant_index: number;
  attempts: number;
  lease: string;
}

export interface Completion {
  cell: Claimed;
  result: repo.CellResult;
  /** Written with the result, only if the result is. */
  scored: ScoredCell | null;
  /** Added to the run's spend, only if the result is stored. */
  spent: number;
}

export interface CellBatches {
  /** Queues a result; resolves false when the lease had been lost (someone else took the cell). */
  complete(c: Completion): Promise<boolean>;
  /**
   * Asks for up to `n` cells to hold (to run now, or claimed ahead of the calls); fewer (or none)
   * when fewer are claimable, the run is no longer running, or it is over budget (the cells not
   * claimed are then skipped).
   */
  claim(n: number): Promise<Claimed[]>;
}

interface Queued<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function createCellBatches(
  ctx: AppContext,
  runId: number,
  o: {
    /** A fresh lease-token prefix per claim; each cell's token is the prefix and its id. */
    claimToken(): string;
    leaseUntil(): string;
    /** Once aborted, nothing more is claimed. */
    signal: AbortSignal;
    /** The run was found cancelled (by another process) while claiming. */
    onCancelled(): void;
  },
): CellBatches {
  let results: (Completion & Queued<boolean>)[] = [];
  let claims: ({ n: number } & Queued<Claimed[]>)[] = [];
  let scheduled = false;
  let writing = false;

  /** Writes results, then claims `n` cells, in the transaction `trx`. */
  async function apply(trx: DB, batch: Completion[], n: number) {
    const stored = new Map<Completion, boolean>();
    let spent = 0;
    // In id order, so two processes' batches lock rows in the same order.
    for (const c of [...batch].sort((a, b) => a.cell.id - b.cell.id)) {
      const ok = await repo.completeCell(trx, c.cell.id, c.cell.lease, c.result);
      // Spent once per stored result: a result written by a lease holder that lost it is dropped.
      if (ok && c.scored) await saveScores(trx, c.cell.id, c.scored);
      if (ok) spent += c.spent;
      stored.set(c, ok);
    }
    if (spent) await repo.addSpent(trx, runId, spent);
    let cells: Claimed[] = [];
    if (n > 0 && !o.signal.aborted) {
      const state = await repo.runState(trx, runId);
      if (state?.status === 'cancelled') o.onCancelled();
      else if (state?.status === 'running') {
        const at = nowIso();
        if (state.budget_usd !== null && state.spent_usd >= state.budget_usd) {
          await repo.skipPending(trx, runId, 'budget', at);
        } else {
          cells = await repo.claimCells(trx, ctx.dialect, runId, {
            tokenPrefix: o.claimToken(),
            now: at,
            leaseUntil: o.leaseUntil(),
            n,
          });
        }
      }
    }
    return { stored, cells };
  }

  const inTransaction = (batch: Completion[], n: number) =>
    ctx.db.transaction().execute((trx) => apply(trx, batch, n));

  function handOut(cells: Claimed[], waiting: ({ n: number } & Queued<Claimed[]>)[]) {
    let next = 0;
    for (const w of waiting) {
      w.resolve(cells.slice(next, next + w.n));
      next += w.n;
    }
  }

  async function write() {
    const batch = results;
    const waiting = claims;
    results = [];
    claims = [];
    const n = waiting.reduce((sum, w) => sum + w.n, 0);
    try {
      const { stored, cells } = await inTransaction(batch, n);
      for (const c of batch) c.resolve(stored.get(c) ?? false);
      handOut(cells, waiting);
      return;
    } catch (err) {
      if (batch.length + waiting.length === 1) {
        for (const c of batch) c.reject(err);
        for (const w of waiting) w.reject(err);
        return;
      }
    }
    // One bad row must not fail the others: each result alone, then the claims.
    for (const c of batch) {
      try {
        const { stored } = await inTransaction([c], 0);
        c.resolve(stored.get(c) ?? false);
      } catch (err) {
        c.reject(err);
      }
    }
    if (waiting.length > 0) {
      try {
        handOut((await inTransaction([], n)).cells, waiting);
      } catch (err) {
        for (const w of waiting) w.reject(err);
      }
    }
  }

  function schedule() {
    if (scheduled || writing) return;
    scheduled = true;
    const run = () => {
      scheduled = false;
      writing = true;
      void write().finally(() => {
        writing = false;
        if (results.length > 0 || claims.length > 0) schedule();
      });
    };
    // After the current turn of the event loop, so everything queued in it joins one batch. On
    // SQLite a commit holds the thread for its fsync, so nothing can queue up while one runs:
    // waiting a few milliseconds gathers the calls answering meanwhile into the same commit.
    if (ctx.dialect === 'sqlite') setTimeout(run, SQLITE_GATHER_MS);
    else setImmediate(run);
  }

  return {
    complete(c) {
      return new Promise((resolve, reject) => {
        results.push({ ...c, resolve, reject });
        schedule();
      });
    },
    claim(n) {
      return new Promise((resolve, reject) => {
        claims.push({ n, resolve, reject });
        schedule();
      });
    },
  };
}
