import type { PromptTextSummary as Summary } from '../../../shared/workshop';
import { formatCost, formatMs } from '../../lib/format';

/** The server's figures per prompt text the draft has tested, latest tested first. */
export function PromptTextSummary({ summaries }: { summaries: Summary[] }) {
  return (
    <div className="table-scroll">
      <table id="prompt-text-summary" className="compare-table">
        <caption>By prompt text tested</caption>
        <thead>
          <tr>
            <th scope="col">Prompt text</th>
            <th scope="col">Runs</th>
            <th scope="col">Mean rating</th>
            <th scope="col">Median time</th>
            <th scope="col">Mean cost</th>
          </tr>
        </thead>
        <tbody>
          {summaries.map((s, i) => (
            <tr key={s.sha256} data-sha256={s.sha256}>
              <th scope="row">
                Text {s.number}
                {i === 0 && <span className="muted small"> (latest tested)</span>}
              </th>
              <td>
                {s.runs}
                {s.failed > 0 && <span className="muted small"> ({s.failed} failed)</span>}
              </td>
              <td>{s.mean_rating === null ? '—' : `${s.mean_rating.toFixed(1)} (${s.rated} rated)`}</td>
              <td>{formatMs(s.median_ms)}</td>
              <td>{s.mean_cost_usd === null ? 'unknown' : formatCost(s.mean_cost_usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
