import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import {
  type CellResponse,
  cellResponse,
  isRunActive,
  type RunResponse,
  runCounts,
  runStatus,
} from '../../../shared/evals';
import { evalKeys, runEventsUrl, useRun } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { getSse } from '../../api/sse';

/** How often, at most, a running run's per-variant figures are read again while cells finish. */
const AGGREGATES_REFRESH_MS = 2_000;

/**
 * The run, kept current: while it is queued or running its SSE stream updates the counts, spend and
 * ETA in the query cache and hands over finished cells; once it ends, GET …/runs/{id} again.
 */
export function useRunLive(id: number, onCell: (cell: CellResponse) => void) {
  const run = useRun(id);
  const queryClient = useQueryClient();
  const [eta, setEta] = useState<number | null>(null);
  const [streamError, setStreamError] = useState<string | null>(null);
  const live = run.data ? isRunActive(run.data.status) : false;

  useEffect(() => {
    if (!live) return;
    const abort = new AbortController();
    let refreshed = 0;
    const patch = (p: Partial<RunResponse>) =>
      queryClient.setQueryData<RunResponse>(evalKeys.run(id), (old) => (old ? { ...old, ...p } : old));
    getSse(
      runEventsUrl(id),
      (data) => {
        const cell = cellResponse.safeParse(data.cell);
        if (cell.success) {
          onCell(cell.data);
          // The per-variant figures are the server's: read them again now and then as cells finish.
          if (Date.now() - refreshed > AGGREGATES_REFRESH_MS) {
            refreshed = Date.now();
            // Exact: the run's cells live under its key too, and the matrix has them already.
            void queryClient.invalidateQueries({ queryKey: evalKeys.run(id), exact: true });
          }
        }
        const progress = data.progress as Record<string, unknown> | undefined;
        if (progress) {
          const counts = runCounts.safeParse(progress.counts);
          if (counts.success) patch({ counts: counts.data, spent_usd: Number(progress.spent_usd) || 0 });
          setEta(typeof progress.eta_seconds === 'number' ? progress.eta_seconds : null);
        }
        if (data.done === true) {
          const status = runStatus.safeParse(data.run_status);
          if (status.success) patch({ status: status.data });
          setEta(null);
          void queryClient.invalidateQueries({ queryKey: evalKeys.run(id) });
          void queryClient.invalidateQueries({ queryKey: evalKeys.cells(id) });
          void queryClient.invalidateQueries({ queryKey: evalKeys.runs });
        }
      },
      abort.signal,
    ).catch((err: unknown) => {
      if ((err as Error).name !== 'AbortError') setStreamError(errorMessage(err));
    });
    return () => abort.abort();
  }, [id, live, queryClient, onCell]);

  // Once an ended run's last held cells are skipped, the matrix reads its cells again.
  const held = run.data && !live ? run.data.counts.pending + run.data.counts.running : 0;
  const wasHeld = useRef(held);
  useEffect(() => {
    if (wasHeld.current > 0 && held === 0)
      void queryClient.invalidateQueries({ queryKey: evalKeys.cells(id) });
    wasHeld.current = held;
  }, [held, id, queryClient]);

  return { run, eta, streamError };
}
