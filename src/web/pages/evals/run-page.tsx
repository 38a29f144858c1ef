import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { CellResponse, RunResponse } from '../../../shared/evals';
import { cancelRun, evalKeys, useSuite } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { useConfirm } from '../../components/modal';
import { Spinner } from '../../components/spinner';
import { formatCost, formatDate, formatNumber, plural } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { AggregatesTable } from './aggregates-table';
import { CellDetail } from './cell-detail';
import { cellKey, ResultsMatrix } from './results-matrix';
import { useRunLive } from './use-run-live';
import '../../styles/pages.css';
import '../../styles/evals.css';

function formatEta(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** /evals/runs/:id: live progress while the run works, its figures and the results matrix. */
export function RunPage() {
  const id = Number(useParams().id);
  usePageTitle(`Run ${id}`);
  const live = useRef(new Map<string, CellResponse>());
  const [, setLiveVersion] = useState(0);
  const onCell = useCallback((cell: CellResponse) => {
    live.current.set(cellKey(cell), cell);
    setLiveVersion((v) => v + 1);
  }, []);
  const { run, eta, streamError } = useRunLive(id, onCell);

  if (run.isPending) return <Spinner label="Loading run" block />;
  if (run.isError)
    return (
      <main className="page">
        <p role="alert" className="alert error">
          {errorMessage(run.error)}
        </p>
        <Link to="/evals">All runs</Link>
      </main>
    );
  return <RunView run={run.data} eta={eta} streamError={streamError} live={live.current} />;
}

function RunView({
  run,
  eta,
  streamError,
  live,
}: {
  run: RunResponse;
  eta: number | null;
  streamError: string | null;
  live: Map<string, CellResponse>;
}) {
  const queryClient = useQueryClient();
  const [confirmDialog, confirm] = useConfirm();
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<CellResponse | null>(null);
  const suite = useSuite(run.suite_id);
  // The query texts are the suite's current cases only when the run used that version.
  const cases = run.suite_id && suite.data?.version === run.suite_version ? suite.data.cases : null;
  const { counts } = run;
  const finished = counts.ok + counts.error + counts.skipped;
  const active = run.status === 'queued' || run.status === 'running';

  async function cancel() {
    const ok = await confirm({
      title: 'Cancel this run?',
      body: <p>Calls in flight are stopped and no new ones start. Finished cells are kept.</p>,
      confirmLabel: 'Cancel run',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      queryClient.setQueryData(evalKeys.run(run.id), await cancelRun(run.id));
      void queryClient.invalidateQueries({ queryKey: evalKeys.runs });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <main className="page evals">
      <nav aria-label="Breadcrumb" className="small">
        <Link to="/evals">Evaluations</Link> ›{' '}
        {run.suite_id ? <Link to={`/evals/suites/${run.suite_id}`}>{run.suite_name}</Link> : 'deleted suite'}{' '}
        › Run {run.id}
      </nav>
      <div className="page-head">
        <h1>Run {run.id}</h1>
        <span className={`badge run-${run.status}`} id="run-status">
          {run.status}
        </span>
        {active && (
          <button type="button" className="btn btn-danger" id="cancel-run" onClick={() => void cancel()}>
            Cancel run
          </button>
        )}
      </div>
      <p className="muted">
        {run.suite_name ?? 'Deleted suite'} version {run.suite_version} ·{' '}
        {plural(run.variants.length, 'variant')} × {plural(run.repetitions, 'repetition')} · concurrency{' '}
        {run.concurrency} · started {formatDate(run.started_at)}
      </p>
      <section aria-labelledby="progress-heading" className="card run-progress">
        <h2 id="progress-heading">Progress</h2>
        <label htmlFor="run-progress-bar" className="field-label">
          {formatNumber(finished)} of {formatNumber(counts.total)} cells finished
        </label>
        <progress id="run-progress-bar" max={counts.total || 1} value={finished} />
        <dl className="run-figures" id="run-counts">
          <div>
            <dt>OK</dt>
            <dd id="count-ok">{formatNumber(counts.ok)}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd id="count-error">{formatNumber(counts.error)}</dd>
          </div>
          <div>
            <dt>Skipped</dt>
            <dd id="count-skipped">{formatNumber(counts.skipped)}</dd>
          </div>
          <div>
            <dt>Pending</dt>
            <dd id="count-pending">{formatNumber(counts.pending + counts.running)}</dd>
          </div>
          <div>
            <dt>Spent</dt>
            <dd id="run-spent">
              {formatCost(run.spent_usd)}
              {run.budget_usd !== null && ` of ${formatCost(run.budget_usd)}`}
            </dd>
          </div>
          <div>
            <dt>Estimate</dt>
            <dd>{formatCost(run.estimate.estimated_cost_usd)}</dd>
          </div>
          {active && (
            <div>
              <dt>Time left</dt>
              <dd id="run-eta">{formatEta(eta)}</dd>
            </div>
          )}
        </dl>
        {streamError && (
          <p role="alert" className="alert error">
            Live progress stopped: {streamError}. Reload to see the latest.
          </p>
        )}
        {error && (
          <p role="alert" className="alert error">
            {error}
          </p>
        )}
      </section>
      <section aria-labelledby="aggregates-heading">
        <h2 id="aggregates-heading">Per variant</h2>
        <AggregatesTable run={run} />
      </section>
      <section aria-labelledby="matrix-heading">
        <h2 id="matrix-heading">Results</h2>
        <ResultsMatrix run={run} cases={cases} live={live} onOpen={setOpen} />
      </section>
      <CellDetail
        run={run}
        cell={open}
        query={open ? (cases?.[open.case_index]?.query ?? null) : null}
        onClose={() => setOpen(null)}
      />
      {confirmDialog}
    </main>
  );
}
