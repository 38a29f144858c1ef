import { useEffect, useRef, useState } from 'react';
import type { UserResponse } from '../../../shared/auth';
import type { CellDetailResponse } from '../../../shared/scoring';
import { StarRating } from '../../components/star-rating';
import { formatDate } from '../../lib/format';
import type { useReview } from './use-review';

interface Props {
  cell: CellDetailResponse;
  me: UserResponse | undefined;
  review: ReturnType<typeof useReview>;
  /** Notes typed but not yet stored, by cell id: they outlive a failed save and moving to another cell
   * (useReview drops a draft once the server has stored it). */
  drafts: Map<number, string>;
}

/** The signed-in user's pass/fail, 1–5 rating and notes for one cell, and everyone else's reviews. */
export function CellReview({ cell, me, review, drafts }: Props) {
  const mine = me ? cell.reviews.find((r) => r.reviewer_id === me.id) : undefined;
  const others = cell.reviews.filter((r) => r.reviewer_id !== me?.id);
  const stored = mine?.notes ?? '';
  const [notes, setNotes] = useState(() => drafts.get(cell.id) ?? stored);
  const latest = useRef({ notes, stored, save: review.save });
  latest.current = { notes, stored, save: review.save };

  const saveNotes = () => {
    if (notes !== stored) review.save({ notes });
  };

  // Leaving the cell (j/k, Close, Escape) with notes typed and not saved: save them on the way out.
  useEffect(
    () => () => {
      const { notes: typed, stored: held, save } = latest.current;
      if (typed !== held) save({ notes: typed });
    },
    [],
  );

  const unsaved = notes !== stored;
  return (
    <section aria-labelledby="cell-review-heading" className="cell-review card">
      <h3 id="cell-review-heading">Your review</h3>
      <div className="review-row">
        <fieldset className="review-verdict">
          <legend className="field-label">Verdict</legend>
          <button
            type="button"
            id="review-pass"
            className={mine?.pass === true ? 'btn verdict-pass on' : 'btn verdict-pass'}
            aria-pressed={mine?.pass === true}
            onClick={() => review.save({ pass: mine?.pass === true ? null : true })}
          >
            ✓ Pass <kbd>p</kbd>
          </button>
          <button
            type="button"
            id="review-fail"
            className={mine?.pass === false ? 'btn verdict-fail on' : 'btn verdict-fail'}
            aria-pressed={mine?.pass === false}
            onClick={() => review.save({ pass: mine?.pass === false ? null : false })}
          >
            ✗ Fail <kbd>f</kbd>
          </button>
        </fieldset>
        <fieldset className="review-rating" id="review-rating">
          <legend className="field-label">
            Rating <kbd>1</kbd>–<kbd>5</kbd>
          </legend>
          <StarRating value={mine?.rating ?? null} onChange={(rating) => review.save({ rating })} />
        </fieldset>
      </div>
      <div className="field">
        <label htmlFor="review-notes">Notes</label>
        <textarea
          id="review-notes"
          rows={3}
          maxLength={5000}
          value={notes}
          onChange={(e) => {
            setNotes(e.target.value);
            drafts.set(cell.id, e.target.value);
          }}
          onBlur={saveNotes}
        />
        <div className="review-notes-actions">
          <button
            type="button"
            className="btn"
            id="review-save-notes"
            disabled={!unsaved}
            onClick={saveNotes}
          >
            Save notes
          </button>
          <span className="muted small" id="review-state" aria-live="polite">
            {review.pending
              ? 'Saving…'
              : unsaved
                ? 'Not saved yet (saved when you leave the box)'
                : mine
                  ? `Saved ${formatDate(mine.updated_at)}`
                  : 'Not reviewed yet'}
          </span>
        </div>
      </div>
      {review.error && (
        <p role="alert" className="alert error" id="review-error">
          {review.error}
        </p>
      )}
      <h4>Other reviewers</h4>
      {others.length === 0 ? (
        <p className="muted small" id="other-reviews">
          Nobody else has reviewed this cell.
        </p>
      ) : (
        <ul className="other-reviews" id="other-reviews">
          {others.map((r) => (
            <li key={r.reviewer_id}>
              <strong>{r.reviewer}</strong>: {r.pass === null ? 'no verdict' : r.pass ? 'pass' : 'fail'}
              {r.rating !== null && ` · ${r.rating} of 5`}
              <span className="muted small"> · {formatDate(r.updated_at)}</span>
              {r.notes && <p className="review-notes-text">{r.notes}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
