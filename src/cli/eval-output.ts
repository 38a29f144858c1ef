import type { EvalReport } from '../server/evals/runs/report-formats';
import type { ReportFormat } from '../shared/evals';

// What `prompt-workshop eval` prints for people: a line per variant. The file for machines is the
// server's export of the run (server/evals/runs/report-formats.ts).

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
const usd = (v: number) => `$${v.toFixed(4)}`;

/** One line per variant: which prompt and model, how many answered or failed, time and cost. */
export function summaryTable({ run }: Pick<EvalReport, 'run'>): string {
  const rows = [['#', 'prompt', 'model', 'ok', 'errors', 'passed', 'grounded', 'mean time', 'cost']];
  for (const [i, v] of run.variants.entries()) {
    const a = run.aggregates.find((x) => x.variant_index === i);
    rows.push([
      String(i + 1),
      v.prompt_label,
      v.model,
      String(a?.ok ?? 0),
      String(a?.error ?? 0),
      a && a.scored > 0 ? `${a.passed}/${a.scored}` : '—',
      a?.grounding_precision == null ? '—' : `${Math.round(a.grounding_precision * 100)} %`,
      ms(a?.mean_execution_time_ms ?? null),
      usd(a?.cost_usd ?? 0),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  const { counts } = run;
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    `run ${run.id} ${run.status}: ${counts.ok} ok, ${counts.error} errors, ${counts.skipped} skipped of ${counts.total}; spent ${usd(run.spent_usd)}`,
  ].join('\n');
}

/** The format of an --output file name; throws when its extension is none of ours. */
export function reportFormatOf(file: string): ReportFormat {
  const format = ({ '.json': 'json', '.csv': 'csv', '.xml': 'junit' } as const)[
    file.slice(file.lastIndexOf('.')) as '.json'
  ];
  if (!format) throw new Error(`--output must end in .json, .csv or .xml (JUnit), not "${file}"`);
  return format;
}
