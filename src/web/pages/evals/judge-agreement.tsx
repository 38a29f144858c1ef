import type { RunResponse } from '../../../shared/evals';
import { errorMessage } from '../../api/http';
import { useAgreement } from '../../api/scoring';
import { Spinner } from '../../components/spinner';
import { kappaSentence, spearmanSentence } from '../../lib/agreement';
import { formatShare } from '../../lib/format';

const fixed = (x: number | null) => (x === null ? '—' : x.toFixed(2));

/** Per judge: how well it agrees with human reviews of the same cells, and how many cells that rests on. */
export function JudgeAgreement({ run }: { run: RunResponse }) {
  const agreement = useAgreement(run.id);
  if (agreement.isPending) return <Spinner label="Loading judge agreement" />;
  if (agreement.isError)
    return (
      <p role="alert" className="alert error">
        {errorMessage(agreement.error)}
      </p>
    );
  const { judges } = agreement.data;
  if (judges.length === 0)
    return (
      <p className="muted" id="agreement-empty">
        This run has no LLM judge, so there is nothing to compare with human reviews.
      </p>
    );
  return (
    <div className="table-scroll">
      <table className="data-table" id="agreement-table">
        <caption className="visually-hidden">Agreement of each judge with human reviews</caption>
        <thead>
          <tr>
            <th scope="col">Judge</th>
            <th scope="col">Scale</th>
            <th scope="col">Cohen’s kappa (pass/fail)</th>
            <th scope="col">Spearman (1–5)</th>
            <th scope="col">Observed agreement</th>
          </tr>
        </thead>
        <tbody>
          {judges.map((j) => (
            <tr key={j.judge}>
              <th scope="row">
                {j.judge}
                <span className="muted small"> · {j.model}</span>
              </th>
              <td>{j.scale}</td>
              <td>
                <strong>{fixed(j.kappa)}</strong> <span className="muted small">n = {j.n_pass}</span>
                <div className="small agreement-note">{kappaSentence(j.kappa, j.n_pass)}</div>
              </td>
              <td>
                {j.scale === '1-5' ? (
                  <>
                    <strong>{fixed(j.spearman)}</strong> <span className="muted small">n = {j.n_rating}</span>
                    <div className="small agreement-note">{spearmanSentence(j.spearman, j.n_rating)}</div>
                  </>
                ) : (
                  <span className="muted small">pass/fail judge</span>
                )}
              </td>
              <td>
                {formatShare(j.observed_agreement)} <span className="muted small">of {j.n} cells</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
