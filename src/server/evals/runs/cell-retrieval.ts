import type { TurnArticle } from '../../auspex/context-packing';
import { turnArticles } from '../../auspex/turn';
import type { RetrievalQuery } from '../../auspex/types';
import type { AppContext } from '../../context';
import { LlmError } from '../../llm/types';
import { createProviderLimiter } from './provider-limiter';

// How a run's cells fetch their articles: one search at a time per process on SQLite, remembered
// while a case's cells share it. Each cell hears how long it queued, which the runner takes out of
// its times (it is this process's wait, not the search's).

/**
 * A cell's retrieval, told how long this process queued it before the search began. Once `signal`
 * aborts (a cancel, a shutdown), a search still queued is refused instead of run.
 */
export type QueuedRetrieve = (
  q: RetrievalQuery,
  waited: (ms: number) => void,
  signal?: AbortSignal,
) => Promise<TurnArticle[]>;

/** Milliseconds since `start`, for the waits taken out of a cell's times. */
export const since = (start: number) => performance.now() - start;

/** Articles kept by a run's retrieval memo, at most: a few cases' worth at any concurrency. */
const MEMO_MAX_ARTICLES = 4_000;

/**
 * Retrieval remembered per (topic, message, limit, pinned ids): a case's variants with the same
 * limit and its repetitions search once. Cells are claimed in (case, variant, repetition) order,
 * so the entries in use are the last few cases'; the oldest go first, bounded by articles held.
 */
export function retrievalMemo(search: QueuedRetrieve): QueuedRetrieve {
  const memo = new Map<string, { articles: Promise<TurnArticle[]>; size: number }>();
  let held = 0;
  return (q, waited, signal) => {
    const key = JSON.stringify([q.topic, q.message, q.limit, q.articleIds ?? null]);
    const known = memo.get(key);
    if (known) {
      memo.delete(key);
      memo.set(key, known);
      return known.articles;
    }
    const entry = { articles: search(q, waited, signal), size: q.articleIds?.length ?? q.limit };
    memo.set(key, entry);
    held += entry.size;
    // A failed search is tried again by the next cell, not remembered.
    entry.articles.catch(() => {
      if (memo.get(key) === entry) {
        memo.delete(key);
        held -= entry.size;
      }
    });
    for (const [k, e] of memo) {
      if (held <= MEMO_MAX_ARTICLES || e === entry) break;
      memo.delete(k);
      held -= e.size;
    }
    return entry.articles;
  };
}

/**
 * Runs tasks one after another, each started in a later turn of the event loop than the last;
 * `waited` hears how long a task queued.
 */
function oneTurnEach() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>, waited: (ms: number) => void): Promise<T> => {
    const queued = performance.now();
    const run = tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        waited(since(queued));
        return task();
      });
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Why a queued search did not run: its pool stopped (the turn reads it as an aborted call). */
const stopped = () => new LlmError('The run stopped before this search started', 'aborted');

/** Searches a process runs at once on PostgreSQL: half its pool, so claims and stores still get in. */
export const PG_SEARCHES_AT_ONCE = 5;

/**
 * A cell's search. On SQLite, searches run one at a time, each in its own turn of the event loop:
 * SQLite answers on the server thread, and the searches of 50 cells claimed together would
 * otherwise hold it for their whole chain while the answers that start the next calls wait behind
 * them. PostgreSQL answers on its own processes, so there they run side by side, but at most
 * PG_SEARCHES_AT_ONCE: a pool claims up to twice its concurrency (128 cells), and their searches
 * would otherwise take every connection ahead of the transactions that store answers.
 */
export function cellSearch(
  ctx: AppContext,
  search: (ctx: AppContext, q: RetrievalQuery) => Promise<TurnArticle[]> = turnArticles,
): QueuedRetrieve {
  if (ctx.dialect !== 'sqlite') {
    const slots = createProviderLimiter(PG_SEARCHES_AT_ONCE);
    return async (q, waited, signal) => {
      const queued = performance.now();
      const release = await slots.acquire('search', signal).catch(() => {
        throw stopped();
      });
      waited(since(queued));
      try {
        return await search(ctx, q);
      } finally {
        release();
      }
    };
  }
  const lane = oneTurnEach();
  return (q, waited, signal) =>
    lane(() => {
      if (signal?.aborted) throw stopped();
      return search(ctx, q);
    }, waited);
}
