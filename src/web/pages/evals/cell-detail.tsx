import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { UserResponse } from '../../../shared/auth';
import type { RunResponse } from '../../../shared/evals';
import type { CellDetailResponse } from '../../../shared/scoring';
import { useMe } from '../../api/auth';
import { errorMessage } from '../../api/http';
import { useCellDetail } from '../../api/scoring';
import { CitedMarkdown } from '../../components/cited-markdown';
import { Modal } from '../../components/modal';
import { Spinner } from '../../components/spinner';
import { formatCost, formatMs, formatNumber, formatScore, formatShare } from '../../lib/format';
import { CellBar } from './cell-bar';
import { CellGroundingReport, linkMarks } from './cell-grounding';
import { CellReview } from './cell-review';
import { CellScores } from './cell-scores';
import { skipSentence } from './skip-reason';
import { useReview } from './use-review';

interface Props {
  run: RunResponse;
  /** The open cell, or null when the view is closed. */
  cellId: number | null;
  /** Every cell that can be opened, in the matrix's order: what j and k step through. */
  order: readonly number[];
  onOpen: (cellId: number) => void;
  onClose: () => void;
}

/** Keys typed here are text, not shortcuts. */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )
    return true;
  return (
    target instanceof HTMLInputElement &&
    !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(target.type)
  );
}

/** One cell in full: its answer with every citation marked, its scores and the human review. */
export function CellDetail({ run, cellId, order, onOpen, onClose }: Props) {
  // Notes typed and not stored yet, kept across cells so a failed save loses nothing.
  const drafts = useRef(new Map<number, string>());
  return (
    <Modal open={cellId !== null} onClose={onClose} labelledBy="cell-title" id="cell-dialog">
      {cellId !== null && (
        <div className="cell-detail">
          {/* Outside the keyed view, so the bar's buttons (and the focus on them) stay from cell to cell. */}
          <CellBar run={run} cellId={cellId} order={order} onOpen={onOpen} onClose={onClose} />
          <CellView
            key={cellId}
            run={run}
            cellId={cellId}
            order={order}
            onOpen={onOpen}
            onClose={onClose}
            drafts={drafts.current}
          />
        </div>
      )}
    </Modal>
  );
}

function CellView({
  run,
  cellId,
  order,
  onOpen,
  onClose,
  drafts,
}: Omit<Props, 'cellId'> & { cellId: number; drafts: Map<number, string> }) {
  const detail = useCellDetail(run.id, cellId);
  const me = useMe().data?.user;
  const review = useReview(run.id, cellId, me, drafts);
  const at = order.indexOf(cellId);
  const prev = at > 0 ? order[at - 1] : null;
  const next = at >= 0 && at < order.length - 1 ? order[at + 1] : null;

  const keys = useRef({ prev, next, onOpen, save: review.save });
  keys.current = { prev, next, onOpen, save: review.save };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTextField(e.target)) return;
      const k = keys.current;
      if (e.key === 'j' && k.next !== null) k.onOpen(k.next);
      else if (e.key === 'k' && k.prev !== null) k.onOpen(k.prev);
      else if (e.key === 'p' && !e.repeat) k.save({ pass: true });
      else if (e.key === 'f' && !e.repeat) k.save({ pass: false });
      else if (/^[1-5]$/.test(e.key) && !e.repeat) k.save({ rating: Number(e.key) });
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      {detail.isPending && <Spinner label="Loading cell" block />}
      {detail.isError && (
        <p role="alert" className="alert error" id="cell-load-error">
          {errorMessage(detail.error)}
        </p>
      )}
      {detail.data && <CellContent run={run} cell={detail.data} me={me} review={review} drafts={drafts} />}
      <p className="muted small" id="cell-shortcuts">
        Shortcuts (outside text boxes): <kbd>j</kbd> / <kbd>k</kbd> next / previous cell, <kbd>p</kbd> pass,{' '}
        <kbd>f</kbd> fail, <kbd>1</kbd>–<kbd>5</kbd> rating, <kbd>Esc</kbd> close.
      </p>
      <div className="modal-actions">
        <button type="button" className="btn" id="cell-close" onClick={onClose}>
          Close
        </button>
      </div>
    </>
  );
}

function CellContent({
  run,
  cell,
  me,
  review,
  drafts,
}: {
  run: RunResponse;
  cell: CellDetailResponse;
  me: UserResponse | undefined;
  review: ReturnType<typeof useReview>;
  drafts: Map<number, string>;
}) {
  const variant = run.variants[cell.variant_index];
  return (
    <>
      <p className="muted small">
        {cell.prompt_label || variant?.prompt_label} · {cell.model ?? variant?.model} ·{' '}
        <span className={`badge cell-${cell.status}`}>{cell.status}</span> ·{' '}
        {formatMs(cell.execution_time_ms)} · first token {formatMs(cell.first_token_ms)} ·{' '}
        {formatNumber(cell.input_tokens ?? 0)} in / {formatNumber(cell.output_tokens ?? 0)} out tokens ·
        answer {formatCost(cell.cost_usd)}
      </p>
      <p id="cell-verdict">
        {cell.passed === null ? (
          <span className="badge">not scored</span>
        ) : (
          <span className={`badge verdict-${cell.passed ? 'pass' : 'fail'}`}>
            {cell.passed ? 'passed' : 'failed'}
          </span>
        )}{' '}
        <span className="small">
          score {formatScore(cell.score)} · grounding {formatShare(cell.grounding_precision)} · coverage{' '}
          {formatShare(cell.citation_coverage)}
        </span>
      </p>
      <p>
        <strong>Query:</strong> {cell.query} <span className="muted small">({cell.topic})</span>
      </p>
      {/* The review follows the answer; the articles sit beside both, or below them on a phone. */}
      <div className="cell-columns">
        <section aria-labelledby="cell-answer-heading" className="cell-answer-column">
          <h3 id="cell-answer-heading">Answer</h3>
          {/* A skipped cell's error is only what its aborted call reported: the reason says it. */}
          {cell.status === 'skipped' ? (
            <p className="alert info" id="cell-skipped">
              {skipSentence(cell.skipped_reason ?? 'no reason given')}
            </p>
          ) : (
            cell.error && (
              <p className="alert error" id="cell-error">
                {cell.error}
              </p>
            )
          )}
          {cell.answer !== null && (cell.status !== 'skipped' || cell.answer !== '') && (
            <CitedMarkdown
              id="cell-answer"
              text={cell.answer}
              articleIds={cell.article_ids}
              question={cell.query}
              marks={linkMarks(cell.grounding)}
            />
          )}
          {cell.reference && (
            <details className="cell-reference">
              <summary>Reference answer</summary>
              <p className="prewrap">{cell.reference}</p>
            </details>
          )}
        </section>
        <CellReview cell={cell} me={me} review={review} drafts={drafts} />
        <section aria-labelledby="cell-articles-heading" className="cell-articles-column">
          <h3 id="cell-articles-heading">Articles ({cell.articles.length})</h3>
          <ol className="cell-articles" id="cell-articles">
            {cell.articles.map((a) => (
              <li key={a.id}>
                <Link to={`/articles/${a.id}`}>{a.title}</Link>
                <span className="muted small">
                  {' '}
                  · {a.source}
                  {a.published_at && ` · ${a.published_at.slice(0, 10)}`}
                </span>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <section aria-labelledby="cell-scores-heading">
        <h3 id="cell-scores-heading">Scores</h3>
        <CellScores scores={cell.scores} answerCost={cell.cost_usd} />
      </section>
      <section aria-labelledby="cell-grounding-heading">
        <h3 id="cell-grounding-heading">Citation grounding</h3>
        <CellGroundingReport grounding={cell.grounding} />
      </section>
    </>
  );
}
