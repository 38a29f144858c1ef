import { useId, useRef } from 'react';

const STARS = [1, 2, 3, 4, 5];

/**
 * A 1–5 rating made of native radio buttons: one Tab stop, arrow keys move the choice, and the
 * stars are their labels, so a click anywhere on a star chooses it.
 */
export function StarRating({
  value,
  onChange,
}: {
  value: number | null;
  onChange: (rating: number | null) => void;
}) {
  const name = useId();
  const group = useRef<HTMLDivElement>(null);
  return (
    <div className="rating-row">
      <div className="rating-stars" ref={group}>
        {STARS.map((n) => {
          const on = value !== null && n <= value;
          return (
            <label key={n} className={on ? 'star on' : 'star'} data-rating={n}>
              <input
                type="radio"
                className="visually-hidden"
                name={name}
                value={n}
                checked={value === n}
                onChange={() => onChange(n)}
              />
              <span aria-hidden="true">{on ? '★' : '☆'}</span>
              <span className="visually-hidden">
                {n} star{n === 1 ? '' : 's'}
              </span>
            </label>
          );
        })}
      </div>
      <span className="muted small">{value ? `${value} of 5` : 'not rated'}</span>
      {value !== null && (
        <button
          type="button"
          className="btn-link small"
          onClick={() => {
            onChange(null);
            // The button goes away with the rating; keep the keyboard in the stars.
            group.current?.querySelector('input')?.focus();
          }}
        >
          Clear
        </button>
      )}
    </div>
  );
}
