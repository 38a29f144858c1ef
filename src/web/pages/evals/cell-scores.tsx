import type { CellScore } from '../../../shared/scoring';
import { formatCost, formatNumber, formatScore } from '../../lib/format';

const SOURCES: Record<CellScore['source'], string> = { case: 'case', suite: 'suite', run: 're-score' };

/** What a score row says in words: an error or a judge error is never a pass. */
export function scoreVerdict(s: CellScore): { label: string; tone: 'pass' | 'fail' | 'error' } {
  if (s.status === 'judge_error') return { label: 'judge error', tone: 'error' };
  if (s.status === 'error') return { label: 'error', tone: 'error' };
  if (s.pass === true) return { label: 'pass', tone: 'pass' };
  return { label: 'fail', tone: 'fail' };
}

/**
 * Every assertion and judge result of a cell, in the order they were checked. `showSource` names
 * where each came from (case, suite, re-score); a workshop test has only its own checks.
 */
export function CellScores({
  scores,
  answerCost,
  showSource = true,
}: {
  scores: CellScore[];
  answerCost: number | null;
  showSource?: boolean;
}) {
  const judged = scores.filter((s) => s.judge_model !== null);
  const judgeCost = judged.reduce((sum, s) => sum + (s.judge_cost_usd ?? 0), 0);
  if (scores.length === 0)
    return (
      <p className="muted" id="cell-scores-empty">
        This cell has no assertion or judge to score it.
      </p>
    );
  return (
    <>
      {/* In a narrow box (a phone, the workshop's side column) each row stacks as a labelled block. */}
      <div className="table-scroll stack-box">
        <table className="data-table score-table stack-table" id="cell-scores">
          <caption className="visually-hidden">Scores of this cell</caption>
          <thead>
            <tr>
              <th scope="col">Check</th>
              {showSource && <th scope="col">From</th>}
              <th scope="col">Result</th>
              <th scope="col">Score</th>
              <th scope="col">Weight</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {scores.map((s) => {
              const verdict = scoreVerdict(s);
              return (
                <tr key={s.position} className={`score-row score-${verdict.tone}`} data-type={s.type}>
                  <th scope="row">
                    <code>{s.type}</code>
                    {s.judge_model && (
                      <span className="score-judge small">
                        judge {s.judge_model} · {formatNumber(s.judge_input_tokens ?? 0)} in /{' '}
                        {formatNumber(s.judge_output_tokens ?? 0)} out tokens · {formatCost(s.judge_cost_usd)}
                      </span>
                    )}
                  </th>
                  {showSource && <td data-label="From">{SOURCES[s.source]}</td>}
                  <td data-label="Result">
                    <span className={`badge verdict-${verdict.tone}`}>{verdict.label}</span>
                    {s.rating !== null && <span className="small"> · {s.rating} of 5</span>}
                  </td>
                  <td data-label="Score">{formatScore(s.score)}</td>
                  <td data-label="Weight">{s.weight}</td>
                  <td className="score-reason" data-label="Reason">
                    {s.reason}
                    {s.details && Object.keys(s.details).length > 0 && (
                      <details className="small">
                        <summary>Details</summary>
                        <pre>{JSON.stringify(s.details, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {judged.length > 0 && (
        <p className="small muted" id="cell-judge-cost">
          Judging cost {formatCost(judgeCost)}, counted apart from the answer’s {formatCost(answerCost)}.
        </p>
      )}
    </>
  );
}
