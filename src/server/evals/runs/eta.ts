import { isRunActive, type RunCounts } from '../../../shared/evals';

/**
 * Seconds left at the pace so far, counted down from the last cell that finished: cells finish in
 * waves, and a pace taken over the time since the start alone would climb between them. Null
 * before the first cell finished and once the run ended; 0 when it is late against that pace.
 */
export function eta(
  status: string,
  startedAt: string | null,
  counts: RunCounts,
  lastFinishedAt: string | null,
  now = Date.now(),
): number | null {
  const left = counts.pending + counts.running;
  const finished = counts.total - left;
  if (!isRunActive(status) || !startedAt || finished === 0) return null;
  const started = Date.parse(startedAt);
  const last = lastFinishedAt === null ? now : Math.min(now, Date.parse(lastFinishedAt));
  const perCell = Math.max(0, last - started) / finished;
  return Math.max(0, Math.round((perCell * left - (now - last)) / 1000));
}
