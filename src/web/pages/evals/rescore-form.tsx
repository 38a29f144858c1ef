import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isRunActive, type RunResponse } from '../../../shared/evals';
import { rescoreRequest } from '../../../shared/scoring';
import { evalKeys } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { rescoreRun } from '../../api/scoring';
import { formatDate, plural } from '../../lib/format';
import { AssertionsField } from './assertions-field';
import { parseScoringForm } from './assertions-json';
import { ThresholdField } from './threshold-field';

const EXAMPLE = '[{ "type": "icontains", "value": "adoption" }]';

/** Scores the stored answers again with assertions for every case, without calling the model again. */
export function RescoreForm({ run }: { run: RunResponse }) {
  const queryClient = useQueryClient();
  const [assertions, setAssertions] = useState('[]');
  const [threshold, setThreshold] = useState('');
  const [suiteVersion, setSuiteVersion] = useState<'run' | 'current'>('run');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const active = isRunActive(run.status);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const parsed = parseScoringForm(rescoreRequest, assertions, threshold, { suite_version: suiteVersion });
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const { rescored_cells, ...next } = await rescoreRun(run.id, parsed.value);
      queryClient.setQueryData(evalKeys.run(run.id), next);
      // The cells, every open cell view, the review queue and judge agreement hang under the run's key.
      await queryClient.invalidateQueries({
        queryKey: evalKeys.run(run.id),
        predicate: (q) => q.queryKey.length > evalKeys.run(run.id).length,
      });
      setNotice(`Re-scored ${plural(rescored_cells, 'cell')}.`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id="rescore-form" className="card" onSubmit={(e) => void submit(e)} noValidate>
      <p className="muted small">
        Checks the stored answers again; the answering model is not called. The assertions below apply to
        every case, on top of the case’s and the suite’s own.
      </p>
      {run.rescored && (
        <p className="muted small" id="rescored-summary">
          Last re-scored {formatDate(run.rescored.at)} against suite version {run.rescored.suite_version}
          {run.rescored.assertions.length > 0
            ? `, with ${plural(run.rescored.assertions.length, 'assertion')} for every case`
            : ''}
          .
        </p>
      )}
      <AssertionsField
        id="rescore-assertions"
        label="Assertions for every case (JSON array)"
        rows={5}
        value={assertions}
        onChange={setAssertions}
        invalid={error !== null}
        hint={
          <>
            For example <code>{EXAMPLE}</code>
          </>
        }
      />
      <div className="field-row">
        <ThresholdField id="rescore-threshold" value={threshold} onChange={setThreshold} />
        <fieldset className="field">
          <legend className="field-label">Case and suite assertions from</legend>
          <label className="check-field">
            <input
              type="radio"
              name="rescore-suite-version"
              value="run"
              checked={suiteVersion === 'run'}
              onChange={() => setSuiteVersion('run')}
            />{' '}
            the suite version this run used (v{run.suite_version})
          </label>
          <label className="check-field">
            <input
              type="radio"
              name="rescore-suite-version"
              value="current"
              checked={suiteVersion === 'current'}
              onChange={() => setSuiteVersion('current')}
            />{' '}
            the suite’s current version
          </label>
        </fieldset>
      </div>
      {error && (
        <p role="alert" className="alert error" id="rescore-error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="alert success" id="rescore-notice">
          {notice}
        </p>
      )}
      <button type="submit" className="btn btn-primary" id="rescore-submit" disabled={busy || active}>
        {busy ? 'Re-scoring…' : 'Re-score'}
      </button>
      {active && <span className="muted small"> The run must finish first.</span>}
    </form>
  );
}
