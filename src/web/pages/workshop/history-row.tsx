import type { TestResult } from '../../../shared/workshop';
import { formatDate, formatMs } from '../../lib/format';
import { NotesPreview } from './notes-preview';

/** One run in the History list: its compare tick (when there is something to compare) and the run. */
export function HistoryRow({
  test: t,
  comparable,
  picked,
  onToggle,
  onOpen,
}: {
  test: TestResult;
  comparable: boolean;
  picked: boolean;
  onToggle: () => void;
  onOpen: () => void;
}) {
  return (
    <li className="history-row">
      {comparable && (
        <label className="compare-pick">
          <input type="checkbox" checked={picked} onChange={onToggle} data-compare={t.test_id} />
          <span className="visually-hidden">
            Compare the run “{t.query}” of {formatDate(t.timestamp)}
          </span>
        </label>
      )}
      <button type="button" className="history-item" onClick={onOpen} data-test-id={t.test_id}>
        <span className="history-query">{t.query}</span>
        <span className="history-meta">
          <span>{formatDate(t.timestamp)}</span>
          <span>{t.topic}</span>
          <span>{t.article_count} articles</span>
          <span>{formatMs(t.execution_time_ms)}</span>
          {t.user_rating ? (
            <span className="history-rating">
              <span aria-hidden="true">{'★'.repeat(t.user_rating) + '☆'.repeat(5 - t.user_rating)}</span>
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
  );
}
