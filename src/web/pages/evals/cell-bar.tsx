import { useEffect, useRef } from 'react';
import type { RunResponse } from '../../../shared/evals';
import type { CellDetailResponse } from '../../../shared/scoring';
import { useCellDetail } from '../../api/scoring';
import { formatNumber } from '../../lib/format';

interface Props {
  run: RunResponse;
  cellId: number;
  /** Every cell that can be opened, in the matrix's order: what Previous and Next step through. */
  order: readonly number[];
  onOpen: (cellId: number) => void;
  onClose: () => void;
}

/** "Case 2 · variant 1", with the repetition when the run has several. */
function cellTitle(run: RunResponse, cell: CellDetailResponse): string {
  const rep = run.repetitions > 1 ? ` · repetition ${cell.repetition + 1}` : '';
  return `Case ${cell.case_index + 1} · variant ${cell.variant_index + 1}${rep}`;
}

/** The cell dialog's top bar: the cell's title, Previous and Next, and ×. */
export function CellBar({ run, cellId, order, onOpen, onClose }: Props) {
  const detail = useCellDetail(run.id, cellId);
  const at = order.indexOf(cellId);
  const prev = at > 0 ? order[at - 1] : null;
  const next = at >= 0 && at < order.length - 1 ? order[at + 1] : null;
  // Stepping onto the first or last cell disables the button pressed: the focus goes to the other.
  const prevButton = useRef<HTMLButtonElement>(null);
  const nextButton = useRef<HTMLButtonElement>(null);
  const stepped = useRef<'prev' | 'next' | null>(null);
  useEffect(() => {
    if (stepped.current === 'next' && next === null) prevButton.current?.focus();
    if (stepped.current === 'prev' && prev === null) nextButton.current?.focus();
    // One press, one move: a later step by key leaves the focus where it is.
    stepped.current = null;
  }, [prev, next]);
  // The bar stays at the top as the cell scrolls: on a phone, with no Esc key, × is the way out.
  // It wraps inside the dialog's width, so the title and × never leave the screen.
  return (
    <div className="cell-nav">
      <h2 id="cell-title">{detail.data ? cellTitle(run, detail.data) : 'Loading cell…'}</h2>
      <div className="cell-steps">
        <button
          type="button"
          className="btn"
          id="cell-prev"
          ref={prevButton}
          disabled={prev === null}
          onClick={() => {
            stepped.current = 'prev';
            if (prev !== null) onOpen(prev);
          }}
        >
          ← Previous <kbd>k</kbd>
        </button>
        <span className="muted small" id="cell-position">
          {at >= 0 ? `Cell ${formatNumber(at + 1)} of ${formatNumber(order.length)}` : ''}
        </span>
        <button
          type="button"
          className="btn"
          id="cell-next"
          ref={nextButton}
          disabled={next === null}
          onClick={() => {
            stepped.current = 'next';
            if (next !== null) onOpen(next);
          }}
        >
          Next <kbd>j</kbd> →
        </button>
      </div>
      <button
        type="button"
        className="btn cell-close-top"
        id="cell-close-top"
        aria-label="Close"
        onClick={onClose}
      >
        ×
      </button>
    </div>
  );
}
