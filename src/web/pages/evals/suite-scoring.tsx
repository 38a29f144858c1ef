import { type FormEvent, useState } from 'react';
import { type SuiteResponse, suiteScoring } from '../../../shared/evals';
import { updateSuite } from '../../api/evals';
import { errorMessage } from '../../api/http';
import { plural } from '../../lib/format';
import { AssertionsField } from './assertions-field';
import { parseScoringForm } from './assertions-json';
import { ThresholdField } from './threshold-field';

/** The assertions every case of the suite gets, and the pass threshold; saving makes a new version. */
export function SuiteScoring({
  suite,
  onSaved,
}: {
  suite: SuiteResponse;
  onSaved: (next: SuiteResponse) => void;
}) {
  const [assertions, setAssertions] = useState(() => JSON.stringify(suite.scoring.assertions, null, 2));
  const [threshold, setThreshold] = useState(suite.scoring.threshold?.toString() ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = parseScoringForm(suiteScoring, assertions, threshold);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      onSaved(await updateSuite(suite.id, { scoring: parsed.value }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const count = suite.scoring.assertions.length;
  return (
    <section aria-labelledby="suite-scoring-heading">
      <h2 id="suite-scoring-heading">Scoring for every case</h2>
      <form id="suite-scoring-form" className="card" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted small" id="suite-scoring-summary">
          {count === 0 ? 'No suite-level assertion.' : `${plural(count, 'suite-level assertion')}.`}{' '}
          {suite.scoring.threshold === undefined
            ? 'A case passes when all its assertions pass.'
            : `A case passes when its weighted score reaches ${suite.scoring.threshold}.`}
        </p>
        <AssertionsField
          id="suite-assertions"
          label="Assertions applied to every case (JSON array)"
          rows={6}
          value={assertions}
          onChange={setAssertions}
          invalid={error !== null}
        />
        <ThresholdField id="suite-threshold" value={threshold} onChange={setThreshold} />
        {error && (
          <p role="alert" className="alert error" id="suite-scoring-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" id="save-suite-scoring" disabled={busy}>
          Save scoring as a new version
        </button>
      </form>
    </section>
  );
}
