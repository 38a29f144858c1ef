import { Link } from 'react-router';
import { useRuns } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { Spinner } from '../../components/spinner';
import { formatCost, formatDate } from '../../lib/format';

/** The user's runs, newest first; `suiteId` keeps those of one suite. */
export function RunList({ suiteId }: { suiteId?: number }) {
  const runs = useRuns();
  const shown = runs.data?.filter((r) => suiteId === undefined || r.suite_id === suiteId);
  if (runs.isPending) return <Spinner label="Loading runs" block />;
  if (runs.isError)
    return (
      <p role="alert" className="alert error">
        {errorMessage(runs.error)}
      </p>
    );
  if (!shown?.length) return <p className="empty">No runs yet.</p>;
  return (
    <ul className="item-list" id="runs-list">
      {shown.map((r) => (
        <li key={r.id} className="item-card" data-run-id={r.id}>
          <div className="item-main">
            <Link to={`/evals/runs/${r.id}`} className="item-title">
              Run {r.id}
            </Link>{' '}
            <span className={`badge run-${r.status}`}>{r.status}</span>
            <p className="item-desc">
              {r.suite_name ?? 'deleted suite'} v{r.suite_version} ·{' '}
              {r.variants.map((v) => `${v.prompt_label} × ${v.model}`).join(', ')}
            </p>
          </div>
          <div className="item-meta">
            <span>
              {r.counts.ok + r.counts.error + r.counts.skipped}/{r.counts.total} cells
              {r.counts.skipped > 0 && ` (${r.counts.skipped} skipped)`}
            </span>
            <span>{formatCost(r.spent_usd)}</span>
            <span>{formatDate(r.created_at)}</span>
          </div>
        </li>
      ))}
    </ul>
  );
}
