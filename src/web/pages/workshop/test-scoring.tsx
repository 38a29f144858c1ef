import type { TestResult } from '../../../shared/workshop';
import { formatScore, formatShare } from '../../lib/format';
import { CellGroundingReport } from '../evals/cell-grounding';
import { CellScores } from '../evals/cell-scores';
// The score table and the grounding marks are styled there, and this page does not load it otherwise.
import '../../styles/evals.css';

/** A test's answer scored like an evaluation cell: the verdict, every check, and its citations. */
export function TestScoring({ test }: { test: TestResult }) {
  const { scoring } = test;
  if (!scoring)
    return (
      <p className="muted small" id="test-scoring">
        Not scored: the test failed.
      </p>
    );
  return (
    <section className="test-scoring" id="test-scoring" aria-labelledby="test-scoring-heading">
      <h3 id="test-scoring-heading">Checks</h3>
      <p id="test-verdict">
        {scoring.passed === null ? (
          <span className="badge">not scored</span>
        ) : (
          <span className={`badge verdict-${scoring.passed ? 'pass' : 'fail'}`}>
            {scoring.passed ? 'passed' : 'failed'}
          </span>
        )}{' '}
        <span className="small">
          score {formatScore(scoring.score)} · grounding {formatShare(scoring.grounding.precision)} · coverage{' '}
          {formatShare(scoring.grounding.coverage)}
        </span>
        {test.response_length > test.response.length && (
          <span className="muted small"> · only the stored first {test.response.length} characters</span>
        )}
      </p>
      <CellScores scores={scoring.scores} answerCost={test.cost_usd} showSource={false} />
      <h3>Citation grounding</h3>
      <CellGroundingReport grounding={scoring.grounding} />
    </section>
  );
}
