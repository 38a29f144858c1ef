import type { CellGrounding } from '../../../shared/scoring';
import { type LinkMark, MARK_LABELS } from '../../lib/citations';
import { formatNumber, formatShare } from '../../lib/format';

export const citationItemId = (i: number) => `citation-mark-${i}`;

/** What the answer's links are marked with; each points at its entry in the list of citations. */
export function linkMarks(grounding: CellGrounding | null): LinkMark[] {
  // A footnote missing from the reference list has no URL and no link to mark.
  return (grounding?.citations ?? []).flatMap((c, i) =>
    c.url === null
      ? []
      : [
          {
            url: c.url,
            status: c.status,
            reason: c.reason,
            describedBy: citationItemId(i),
          },
        ],
  );
}

/** Grounding figures, then every citation, quote and date the checks looked at, in words. */
export function CellGroundingReport({ grounding }: { grounding: CellGrounding | null }) {
  if (!grounding)
    return (
      <p className="muted" id="cell-grounding">
        Citations were not checked for this answer.
      </p>
    );
  return (
    <div id="cell-grounding">
      <dl className="run-figures">
        <div>
          <dt>Grounding precision</dt>
          <dd id="grounding-precision">{formatShare(grounding.precision)}</dd>
        </div>
        <div>
          <dt>Invented URLs</dt>
          <dd id="grounding-invented">{formatNumber(grounding.invented_urls.length)}</dd>
        </div>
        <div>
          <dt>Citation coverage</dt>
          <dd id="grounding-coverage">{formatShare(grounding.coverage)}</dd>
        </div>
      </dl>
      <h4>Citations ({grounding.citations.length})</h4>
      {grounding.citations.length === 0 ? (
        <p className="muted small">The answer cites nothing.</p>
      ) : (
        <ol className="citation-list" id="citation-list">
          {grounding.citations.map((c, i) => (
            <li
              key={`${c.start}-${c.url}`}
              id={citationItemId(i)}
              className={`citation-item citation-${c.status}`}
            >
              <span className={`badge grounding-${c.status}`}>{MARK_LABELS[c.status]}</span>{' '}
              <code className="citation-url">{c.url}</code>{' '}
              <span className="muted small">
                (characters {formatNumber(c.start)}–{formatNumber(c.end)})
              </span>
              <div className="small">{c.reason}</div>
            </li>
          ))}
        </ol>
      )}
      {grounding.invented_urls.length > 0 && (
        <>
          <h4>Invented URLs</h4>
          <ul id="invented-urls">
            {grounding.invented_urls.map((u) => (
              <li key={u}>
                <code className="citation-url">{u}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Quotes ({grounding.quotes.length})</h4>
      {grounding.quotes.length === 0 ? (
        <p className="muted small">No quote of six words or more.</p>
      ) : (
        <ul className="check-list" id="quote-checks">
          {grounding.quotes.map((q, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the report's order is fixed
            <li key={i} className={q.verified ? 'check-ok' : 'check-bad'}>
              <span className={`badge ${q.verified ? 'grounding-grounded' : 'grounding-invented'}`}>
                {q.verified ? 'Verified' : 'Not found'}
              </span>{' '}
              “{q.text}”{q.url && <code className="citation-url"> {q.url}</code>}
              <div className="small">{q.reason}</div>
            </li>
          ))}
        </ul>
      )}
      <h4>Dates ({grounding.dates.length})</h4>
      {grounding.dates.length === 0 ? (
        <p className="muted small">No date next to a citation.</p>
      ) : (
        <ul className="check-list" id="date-checks">
          {grounding.dates.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the report's order is fixed
            <li key={i} className={d.matches ? 'check-ok' : 'check-bad'}>
              <span className={`badge ${d.matches ? 'grounding-grounded' : 'grounding-invented'}`}>
                {d.matches ? 'Matches' : 'Wrong date'}
              </span>{' '}
              {d.text} <code className="citation-url">{d.url}</code>
              <div className="small">
                {d.expected === null ? 'The article has no publication date.' : `Published ${d.expected}.`}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
