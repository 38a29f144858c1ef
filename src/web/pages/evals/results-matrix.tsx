import { experimental_streamedQuery as streamedQuery, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { CellResponse, EvalCase, RunResponse } from '../../../shared/evals';
import { evalKeys, fetchCells } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { Spinner } from '../../components/spinner';
import { formatScore, truncateText } from '../../lib/format';
import { cellPreview } from './skip-reason';

/** The first request is small so the matrix draws its first rows at once; the rest come in thousands. */
const FIRST_PAGE = 200;
const PAGE = 1000;
const ROW_PX = 72;
export const cellKey = (c: { case_index: number; variant_index: number; repetition: number }) =>
  `${c.case_index}:${c.variant_index}:${c.repetition}`;

/**
 * Every cell of the run, page after page (a 5,000 × 4 run is twenty requests). The data grows as
 * pages arrive, so the matrix draws its first rows without waiting for the last page; a refetch
 * keeps the cells shown until its last page is in.
 */
export function useRunCells(run: RunResponse) {
  return useQuery({
    queryKey: evalKeys.cells(run.id),
    queryFn: streamedQuery({
      streamFn: async function* () {
        let loaded = 0;
        for (let limit = FIRST_PAGE; ; limit = PAGE) {
          const page = await fetchCells(run.id, loaded, limit);
          loaded += page.cells.length;
          yield page.cells;
          if (page.cells.length < limit || loaded >= page.total) return;
        }
      },
      reducer: (all: CellResponse[], page: CellResponse[]) => all.concat(page),
      initialValue: [],
      refetchMode: 'replace',
    }),
  });
}

interface Props {
  run: RunResponse;
  /** The suite's cases when the run used its current version (for the query texts), else null. */
  cases: EvalCase[] | null;
  /** Cells finished since the page loaded (from the event stream), by cellKey. */
  live: Map<string, CellResponse>;
  onOpen: (cell: CellResponse) => void;
}

/** Cases × (variant, repetition): only the rows in view are in the DOM, so thousands scroll. */
export function ResultsMatrix({ run, cases, live, onOpen }: Props) {
  const cells = useRunCells(run);
  const box = useRef<HTMLDivElement>(null);
  const columns = run.variants.flatMap((v, vi) =>
    Array.from({ length: run.repetitions }, (_, r) => ({
      variant: vi,
      repetition: r,
      label: v.prompt_label,
      model: v.model,
    })),
  );
  const caseCount = columns.length ? Math.round(run.counts.total / columns.length) : 0;
  const byKey = new Map<string, CellResponse>();
  for (const c of cells.data ?? []) byKey.set(cellKey(c), c);
  for (const [k, c] of live) byKey.set(k, c);
  const rows = useVirtualizer({
    count: caseCount,
    getScrollElement: () => box.current,
    estimateSize: () => ROW_PX,
    overscan: 8,
  });
  const firstRows = rows.getVirtualItems().length > 0 && cells.isSuccess;
  useEffect(() => {
    // The results page's first render, on the performance timeline (bench/evals-large.ts reads it).
    if (firstRows && performance.getEntriesByName('matrix-first-cell').length === 0)
      performance.mark('matrix-first-cell');
  }, [firstRows]);
  const template = {
    gridTemplateColumns: `minmax(9rem, 16rem) repeat(${columns.length}, minmax(10rem, 1fr))`,
  };

  if (cells.isPending) return <Spinner label="Loading results" block />;
  if (cells.isError)
    return (
      <p role="alert" className="alert error">
        {errorMessage(cells.error)}
      </p>
    );
  return (
    <div ref={box} className="matrix" id="results-matrix">
      <table aria-label="Results: cases by variant" aria-rowcount={caseCount + 1}>
        <thead>
          <tr className="matrix-row matrix-head" aria-rowindex={1} style={template}>
            <th scope="col">Case</th>
            {columns.map((c) => (
              <th scope="col" key={`${c.variant}-${c.repetition}`}>
                V{c.variant + 1} {c.label} · {c.model}
                {run.repetitions > 1 ? ` · rep ${c.repetition + 1}` : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="matrix-body" style={{ height: rows.getTotalSize() }}>
          {rows.getVirtualItems().map((item) => {
            const i = item.index;
            const query = cases?.[i]?.query;
            return (
              <tr
                key={i}
                aria-rowindex={i + 2}
                className="matrix-row"
                style={{ ...template, height: ROW_PX, transform: `translateY(${item.start}px)` }}
              >
                <th scope="row" className="matrix-case" title={query}>
                  <strong>{i + 1}</strong> {query ?? ''}
                </th>
                {columns.map((col) => {
                  const cell = byKey.get(
                    cellKey({ case_index: i, variant_index: col.variant, repetition: col.repetition }),
                  );
                  const status = cell?.status ?? 'pending';
                  const preview = cell ? truncateText(cellPreview(cell), 120).text : '';
                  const verdict = cell?.passed == null ? '' : cell.passed ? 'passed' : 'failed';
                  return (
                    <td key={`${col.variant}-${col.repetition}`}>
                      <button
                        type="button"
                        className={`matrix-cell cell-${status}`}
                        disabled={!cell || status === 'pending' || status === 'running'}
                        data-cell-id={cell?.id}
                        aria-label={`Case ${i + 1}, variant ${col.variant + 1}${run.repetitions > 1 ? `, repetition ${col.repetition + 1}` : ''}: ${status}${verdict && `, ${verdict}, score ${formatScore(cell?.score)}`}`}
                        onClick={() => cell && onOpen(cell)}
                      >
                        <span className="matrix-marks">
                          <span className={`badge cell-badge cell-${status}`}>{status}</span>
                          {verdict && (
                            <span
                              className={`badge verdict-${cell?.passed ? 'pass' : 'fail'}`}
                              title={`Score ${formatScore(cell?.score)}`}
                              data-score={cell?.score ?? ''}
                            >
                              {cell?.passed ? '✓ pass' : '✗ fail'}
                            </span>
                          )}
                        </span>
                        <span className="matrix-preview">{preview}</span>
                      </button>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
