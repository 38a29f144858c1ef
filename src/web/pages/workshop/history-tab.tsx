import { useRef, useState } from 'react';
import type { TestResult } from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { useDraftSummary, useDraftTests } from '../../api/workshop';
import { Spinner } from '../../components/spinner';
import { formatCost, formatDate, formatMs } from '../../lib/format';
import { NotesPreview } from './notes-preview';
import { TestCompare } from './test-compare';
import '../../styles/compare.css';

/**
 * Every test of the draft, newest first; choosing one opens it in the Test tab. Above the list,
 * the server's figures per prompt text tested; tick two runs to compare them side by side.
 */
export function HistoryTab({ draftId, onOpen }: { draftId: number; onOpen: (t: TestResult) => void }) {
  const tests = useDraftTests(draftId);
  const [picked, setPicked] = useState<string[]>([]);
  const hint = useRef<HTMLParagraphElement>(null);
  const summary = useDraftSummary(draftId);
  const summaries = summary.data?.prompt_texts ?? [];
  if (tests.isPending) return <Spinner label="Loading test history" block />;
  if (tests.isError)
    return (
      <p role="alert" className="alert error">
        {errorMessage(tests.error)}
      </p>
    );
  const all = tests.data.test_results;
  // Two picks, earlier one as A; a third pick replaces the older pick.
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const chosen = all
    .filter((t) => picked.includes(t.test_id))
    .sort((x, y) => x.timestamp.localeCompare(y.timestamp));
  return (
    <>
      {all.length === 0 && <p className="muted">No tests yet. Run one from the Test tab.</p>}
      {summaries.length > 0 && (
        <div className="table-scroll">
          <table id="prompt-text-summary" className="compare-table">
            <caption>By prompt text tested</caption>
            <thead>
              <tr>
                <th scope="col">Prompt text</th>
                <th scope="col">Runs</th>
                <th scope="col">Mean rating</th>
                <th scope="col">Median time</th>
                <th scope="col">Mean cost</th>
              </tr>
            </thead>
            <tbody>
              {summaries.map((s, i) => (
                <tr key={s.sha256} data-sha256={s.sha256}>
                  <th scope="row">
                    Text {s.number}
                    {i === 0 && <span className="muted small"> (latest tested)</span>}
                  </th>
                  <td>
                    {s.runs}
                    {s.failed > 0 && <span className="muted small"> ({s.failed} failed)</span>}
                  </td>
                  <td>{s.mean_rating === null ? '—' : `${s.mean_rating.toFixed(1)} (${s.rated} rated)`}</td>
                  <td>{formatMs(s.median_ms)}</td>
                  <td>{s.mean_cost_usd === null ? 'unknown' : formatCost(s.mean_cost_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {all.length > 1 && (
        // Polite live region: ticking the second run tells a screen reader the comparison opened below.
        <p className="muted small" id="compare-hint" ref={hint} tabIndex={-1} aria-live="polite">
          {chosen.length === 2
            ? 'Comparing the two ticked runs below.'
            : `Tick two runs to compare them (${chosen.length} of 2 ticked).`}
        </p>
      )}
      <ol id="test-history-list" className="history-list">
        {all.map((t) => (
          <li key={t.test_id} className="history-row">
            {all.length > 1 && (
              <label className="compare-pick">
                <input
                  type="checkbox"
                  checked={picked.includes(t.test_id)}
                  onChange={() => toggle(t.test_id)}
                  data-compare={t.test_id}
                />
                <span className="visually-hidden">
                  Compare the run “{t.query}” of {formatDate(t.timestamp)}
                </span>
              </label>
            )}
            <button type="button" className="history-item" onClick={() => onOpen(t)} data-test-id={t.test_id}>
              <span className="history-query">{t.query}</span>
              <span className="history-meta">
                <span>{formatDate(t.timestamp)}</span>
                <span>{t.topic}</span>
                <span>{t.article_count} articles</span>
                <span>{formatMs(t.execution_time_ms)}</span>
                {t.user_rating ? (
                  <span className="history-rating">
                    <span aria-hidden="true">
                      {'★'.repeat(t.user_rating) + '☆'.repeat(5 - t.user_rating)}
                    </span>
                    <span className="visually-hidden">rated {t.user_rating} of 5</span>
                  </span>
                ) : (
                  <span>not rated</span>
                )}
                {t.status === 'error' && <span className="badge status-testing">failed</span>}
              </span>
              <NotesPreview notes={t.notes} mode="inline" />
            </button>
          </li>
        ))}
      </ol>
      {chosen.length === 2 && (
        <TestCompare
          a={chosen[0]}
          b={chosen[1]}
          onClose={() => {
            setPicked([]);
            // The comparison goes away; land the keyboard where it started.
            hint.current?.focus();
          }}
        />
      )}
    </>
  );
}
