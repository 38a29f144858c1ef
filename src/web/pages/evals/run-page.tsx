import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { type CellResponse, isRunActive, type RunResponse } from '../../../shared/evals';
import { cancelRun, evalKeys, useSuite } from '../../api/evals';
import { ApiError, errorMessage } from '../../api/http';
import { useConfirm } from '../../components/modal';
import { Spinner } from '../../components/spinner';
import { TabPanel } from '../../components/tab-panel';
import { formatCost, formatDate, formatNumber, formatTimeLeft, plural } from '../../lib/format';
import { usePageTitle } from '../../lib/use-page-title';
import { AggregatesTable } from './aggregates-table';
import { CellDetail } from './cell-detail';
import { JudgeAgreement } from './judge-agreement';
import { RescoreForm } from './rescore-form';
import { cellKey, ResultsMatrix, useRunCells } from './results-matrix';
import { ReviewQueue } from './review-queue';
import { RunDownloads } from './run-downloads';
import { useRunLive } from './use-run-live';
import '../../styles/pages.css';
import '../../styles/evals.css';

// The run ended while the cancel dialog was open: nothing went wrong, there was nothing to cancel.
const ALREADY_ENDED = 'The run had already ended, so there was nothing to cancel.';

type RunTab = 'results' | 'review';
const TABS: { id: RunTab; label: string }[] = [
  { id: 'results', label: 'Results' },
  { id: 'review', label: 'Review' },
];

/** The ids of the cells that can be opened (finished ones), in the matrix's order. */
function openableOrder(cells: readonly CellResponse[], live: Map<string, CellResponse>): number[] {
  const byKey = new Map<string, CellResponse>();
  for (const c of cells) byKey.set(cellKey(c), c);
  for (const [k, c] of live) byKey.set(k, c);
  return [...byKey.values()]
    .filter((c) => c.status !== 'pending' && c.status !== 'running')
    .sort(
      (a, b) =>
        a.case_index - b.case_index || a.variant_index - b.variant_index || a.repetition - b.repetition,
    )
    .map((c) => c.id);
}

/** /evals/runs/:id: live progress, figures, the results matrix, the review queue and re-scoring. */
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
  const [notice, setNotice] = useState<string | null>(null);
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get('cell')) || null;
  const tab: RunTab = params.get('tab') === 'review' ? 'review' : 'results';
  const cells = useRunCells(run);
  // The address keeps the open cell and the tab, so a reload comes back to them.
  const setParam = (name: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === null) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true },
    );
  const tabRefs = useRef<Partial<Record<RunTab, HTMLButtonElement | null>>>({});
  function onTabKey(e: KeyboardEvent, current: RunTab) {
    const i = TABS.findIndex((t) => t.id === current);
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const next = TABS[(to + TABS.length) % TABS.length].id;
    setParam('tab', next === 'results' ? null : next);
    tabRefs.current[next]?.focus();
  }
  const suite = useSuite(run.suite_id);
  // The query texts are the suite's current cases only when the run used that version.
  const cases = run.suite_id && suite.data?.version === run.suite_version ? suite.data.cases : null;
  const { counts } = run;
  const finished = counts.ok + counts.error + counts.skipped;
  const active = isRunActive(run.status);
  // Cancel goes once the run ends, with the focus on it: the focus moves to what the click did
  // (the run's status, or the notice that it had already ended) instead of the page's top.
  const statusRef = useRef<HTMLSpanElement>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const cancelled = useRef(false);
  useEffect(() => {
    if (!active && cancelled.current) statusRef.current?.focus();
  }, [active]);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  async function cancel() {
    const ok = await confirm({
      title: 'Cancel this run?',
      body: <p>Calls in flight are stopped and no new ones start. Finished cells are kept.</p>,
      confirmLabel: 'Cancel run',
      cancelLabel: 'Keep running',
      danger: true,
    });
    if (!ok) return;
    setError(null);
    // What live progress has written since the dialog opened, not the run this click saw.
    const latest = queryClient.getQueryData<RunResponse>(evalKeys.run(run.id));
    if (latest && !isRunActive(latest.status)) {
      setNotice(ALREADY_ENDED);
      return;
    }
    try {
      const cancelledRun = await cancelRun(run.id);
      cancelled.current = true;
      queryClient.setQueryData(evalKeys.run(run.id), cancelledRun);
      void queryClient.invalidateQueries({ queryKey: evalKeys.runs });
    } catch (err) {
      // It ended just before the request arrived.
      if (err instanceof ApiError && err.status === 409) {
        void queryClient.invalidateQueries({ queryKey: evalKeys.run(run.id) });
        setNotice(ALREADY_ENDED);
      } else setError(errorMessage(err));
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
        {/* The status belongs to the title; the head spreads its items, so they go together. */}
        <div className="page-title">
          <h1>Run {run.id}</h1>
          <span className={`badge run-${run.status}`} id="run-status" ref={statusRef} tabIndex={-1}>
            {run.status}
          </span>
        </div>
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
          {/* A cancelled or over-budget run is finished too, but not answered: say how much. */}
          {counts.skipped > 0 && `, ${formatNumber(counts.skipped)} of them skipped`}
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
              <dd id="run-eta">{formatTimeLeft(eta, counts.pending + counts.running)}</dd>
            </div>
          )}
        </dl>
        {/* Once every cell has settled: a cancelled run's held cells are skipped within moments. */}
        {!active && counts.pending + counts.running === 0 && <RunDownloads runId={run.id} />}
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
        {notice && (
          <p role="status" className="alert success" id="run-notice" ref={noticeRef} tabIndex={-1}>
            {notice}
          </p>
        )}
      </section>
      <section aria-labelledby="aggregates-heading">
        <h2 id="aggregates-heading">Per variant</h2>
        <AggregatesTable run={run} />
      </section>
      <div className="tabs" role="tablist" aria-label="Run views">
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-button-${t.id}`}
            aria-controls={`tab-${t.id}`}
            aria-selected={tab === t.id}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setParam('tab', t.id === 'results' ? null : t.id)}
            onKeyDown={(e) => onTabKey(e, t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <TabPanel id="results" active={tab === 'results'}>
        <section aria-labelledby="matrix-heading">
          <h2 id="matrix-heading">Results</h2>
          <ResultsMatrix run={run} cases={cases} live={live} onOpen={(c) => setParam('cell', String(c.id))} />
        </section>
      </TabPanel>
      <TabPanel id="review" active={tab === 'review'}>
        {tab === 'review' && (
          <>
            <section aria-labelledby="queue-heading">
              <h2 id="queue-heading">Review queue</h2>
              <ReviewQueue run={run} onOpen={(id) => setParam('cell', String(id))} />
            </section>
            <section aria-labelledby="agreement-heading">
              <h2 id="agreement-heading">Judge agreement</h2>
              <JudgeAgreement run={run} />
            </section>
            <section aria-labelledby="rescore-heading">
              <h2 id="rescore-heading">Re-score</h2>
              <RescoreForm run={run} />
            </section>
          </>
        )}
      </TabPanel>
      <CellDetail
        run={run}
        cellId={openId}
        order={openId === null ? [] : openableOrder(cells.data ?? [], live)}
        onOpen={(id) => setParam('cell', String(id))}
        onClose={() => {
          const closed = openId;
          setParam('cell', null);
          // The matrix may redraw as the address changes: give focus back to the cell's own button.
          requestAnimationFrame(() =>
            document.querySelector<HTMLElement>(`[data-cell-id="${closed}"]`)?.focus(),
          );
        }}
      />
      {confirmDialog}
    </main>
  );
}
