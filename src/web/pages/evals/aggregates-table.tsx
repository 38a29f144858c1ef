import type { RunResponse } from '../../../shared/evals';
import { formatCost, formatMs, formatNumber, formatScore, formatShare } from '../../lib/format';

/** Per-variant figures the server computed: cells, ok/error, cost, times, output length and scores. */
export function AggregatesTable({ run }: { run: RunResponse }) {
  return (
    // In a narrow box (a phone) each variant stacks as a block of labelled figures.
    <div className="table-scroll stack-box">
      <table className="data-table stack-table wide-labels" id="run-aggregates">
        <caption className="visually-hidden">Figures per variant</caption>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Cells</th>
            <th scope="col">OK</th>
            <th scope="col">Errors</th>
            <th scope="col">Cost</th>
            <th scope="col">Mean time</th>
            <th scope="col">Mean first token</th>
            <th scope="col">Mean output tokens</th>
            <th scope="col">Pass rate</th>
            <th scope="col">Mean score</th>
            <th scope="col">Grounding precision</th>
            <th scope="col">Invented URLs</th>
            <th scope="col">Citation coverage</th>
            <th scope="col">Judge cost</th>
          </tr>
        </thead>
        <tbody>
          {run.variants.map((v, i) => {
            const a = run.aggregates.find((x) => x.variant_index === i);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: a run's variants never change order
              <tr key={i}>
                <th scope="row">
                  V{i + 1} {v.prompt_label} · {v.model}
                </th>
                <td data-label="Cells">{formatNumber(a?.cells ?? 0)}</td>
                <td data-label="OK">{formatNumber(a?.ok ?? 0)}</td>
                <td data-label="Errors">{formatNumber(a?.error ?? 0)}</td>
                <td data-label="Cost">{formatCost(a?.cost_usd ?? 0)}</td>
                <td data-label="Mean time">{formatMs(a?.mean_execution_time_ms)}</td>
                <td data-label="Mean first token">{formatMs(a?.mean_first_token_ms)}</td>
                <td data-label="Mean output tokens">
                  {a?.mean_output_tokens == null ? '—' : formatNumber(Math.round(a.mean_output_tokens))}
                </td>
                <td data-label="Pass rate" className="agg-pass-rate">
                  {formatShare(a?.pass_rate)}
                  {a && a.scored > 0 && (
                    <span className="muted small">
                      {' '}
                      ({formatNumber(a.passed)} of {formatNumber(a.scored)})
                    </span>
                  )}
                </td>
                <td data-label="Mean score">{formatScore(a?.mean_score)}</td>
                <td data-label="Grounding precision">{formatShare(a?.grounding_precision)}</td>
                <td data-label="Invented URLs">{formatNumber(a?.invented_urls ?? 0)}</td>
                <td data-label="Citation coverage">{formatShare(a?.citation_coverage)}</td>
                <td data-label="Judge cost">{formatCost(a?.judge_cost_usd ?? 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
