import { useState } from 'react';
import type { RunResponse } from '../../../shared/evals';
import { errorMessage } from '../../api/http';
import { useReviewQueue } from '../../api/scoring';
import { Spinner } from '../../components/spinner';
import { formatNumber, plural } from '../../lib/format';

const PAGE = 50;

const verdict = (pass: boolean | null) => (pass === null ? '—' : pass ? 'pass' : 'fail');

/** Cells nobody has reviewed yet, optionally only those where a judge and an assertion disagree. */
export function ReviewQueue({ run, onOpen }: { run: RunResponse; onOpen: (cellId: number) => void }) {
  const [disagreements, setDisagreements] = useState(false);
  const [offset, setOffset] = useState(0);
  const queue = useReviewQueue(run.id, disagreements, offset, PAGE);
  const total = queue.data?.total ?? 0;
  return (
    <div id="review-queue">
      <label className="check-field">
        <input
          type="checkbox"
          id="queue-disagreements"
          checked={disagreements}
          onChange={(e) => {
            setDisagreements(e.target.checked);
            setOffset(0);
          }}
        />{' '}
        Only where a judge and an assertion disagree
      </label>
      {queue.isPending && <Spinner label="Loading the review queue" />}
      {queue.isError && (
        <p role="alert" className="alert error">
          {errorMessage(queue.error)}
        </p>
      )}
      {queue.data && (
        <>
          <p className="muted small" id="queue-total" aria-live="polite">
            {total === 0
              ? disagreements
                ? 'No unreviewed cell where a judge and an assertion disagree.'
                : 'Every cell has a human review.'
              : `${plural(total, 'cell')} to review`}
          </p>
          {queue.data.cells.length > 0 && (
            // On a phone each cell stacks as a block; a long query keeps to three lines (all of it on hover).
            <div className="table-scroll stack-box">
              <table className="data-table stack-table" id="queue-table">
                <caption className="visually-hidden">Cells to review</caption>
                <thead>
                  <tr>
                    <th scope="col">Cell</th>
                    <th scope="col">Query</th>
                    <th scope="col">Passed</th>
                    <th scope="col">Judge</th>
                    <th scope="col">Assertions</th>
                  </tr>
                </thead>
                <tbody>
                  {queue.data.cells.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <button type="button" className="btn-link queue-open" onClick={() => onOpen(c.id)}>
                          Case {c.case_index + 1} · V{c.variant_index + 1}
                          {run.repetitions > 1 ? ` · rep ${c.repetition + 1}` : ''}
                        </button>
                      </th>
                      <td className="queue-query" data-label="Query">
                        <span className="clamp-3" title={c.query}>
                          {c.query}
                        </span>
                      </td>
                      <td data-label="Passed">{verdict(c.passed)}</td>
                      <td data-label="Judge">{verdict(c.judge_pass)}</td>
                      <td data-label="Assertions">{verdict(c.assertion_pass)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {total > PAGE && (
            <div className="pager">
              <button
                type="button"
                className="btn"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Previous page
              </button>
              <span className="muted small">
                {formatNumber(offset + 1)}–{formatNumber(Math.min(total, offset + PAGE))} of{' '}
                {formatNumber(total)}
              </span>
              <button
                type="button"
                className="btn"
                disabled={offset + PAGE >= total}
                onClick={() => setOffset(offset + PAGE)}
              >
                Next page
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
