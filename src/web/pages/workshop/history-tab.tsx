import type { TestResult } from '../../../shared/workshop';
import { errorMessage } from '../../api/http';
import { useDraftTests } from '../../api/workshop';
import { Spinner } from '../../components/spinner';
import { formatDate, formatMs } from '../../lib/format';

/** Every test of the draft, newest first; choosing one opens it in the Test tab. */
export function HistoryTab({ draftId, onOpen }: { draftId: number; onOpen: (t: TestResult) => void }) {
  const tests = useDraftTests(draftId);
  if (tests.isPending) return <Spinner label="Loading test history" block />;
  if (tests.isError)
    return (
      <p role="alert" className="alert error">
        {errorMessage(tests.error)}
      </p>
    );
  const list = tests.data.test_results;
  return (
    <>
      {list.length === 0 && <p className="muted">No tests yet. Run one from the Test tab.</p>}
      <ol id="test-history-list" className="history-list">
        {list.map((t) => (
          <li key={t.test_id}>
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
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}
