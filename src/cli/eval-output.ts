import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { CellResponse, EvalCase, RunResponse } from '../shared/evals';
import { quoteCell } from '../shared/spreadsheet-cells';

// What `prompt-workshop eval` writes: a summary table for people, and a file for machines (JSON,
// CSV, or JUnit XML for CI systems). Pure functions of the finished run and its cells.

export interface EvalReport {
  run: RunResponse;
  cases: EvalCase[];
  cells: CellResponse[];
}

const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
const usd = (v: number) => `$${v.toFixed(4)}`;

/** One line per variant: which prompt and model, how many answered or failed, time and cost. */
export function summaryTable({ run }: EvalReport): string {
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

export function toJson(report: EvalReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function toCsv({ run, cases, cells }: EvalReport): string {
  const header = [
    'case',
    'query',
    'variant',
    'prompt',
    'model',
    'repetition',
    'status',
    'error',
    'time_ms',
    'cost_usd',
    'answer',
  ];
  const rows = cells.map((c) => [
    c.case_index,
    cases[c.case_index]?.query ?? '',
    c.variant_index,
    run.variants[c.variant_index]?.prompt_label ?? '',
    c.model ?? run.variants[c.variant_index]?.model ?? '',
    c.repetition,
    c.status,
    c.error ?? c.skipped_reason ?? '',
    c.execution_time_ms ?? '',
    c.cost_usd ?? '',
    c.answer ?? '',
  ]);
  // Queries and answers come from users and models: no cell may open as a spreadsheet formula.
  return stringifyCsv([
    header,
    ...rows.map((row) => row.map((v) => (typeof v === 'string' ? quoteCell(v) : v))),
  ]);
}

// XML 1.0's Char production: tab, newline, carriage return, then U+0020–U+D7FF, U+E000–U+FFFD and
// U+10000–U+10FFFF. Everything else (other control characters, U+FFFE, U+FFFF, a surrogate that is
// not half of a pair) is not allowed even escaped, so it is dropped and the file always parses.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const xml = (s: string) =>
  s
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** A cell fails when it errs or when it was scored and did not pass its assertions. */
export const cellFailed = (c: CellResponse) => c.status === 'error' || c.passed === false;

function failureBody(c: CellResponse): string {
  if (c.status === 'error') return `<failure message="${xml(c.error ?? 'failed')}"/>`;
  const reasons = c.failures ?? [];
  const message = reasons.length > 0 ? reasons.join('; ') : 'the cell did not pass its assertions';
  return `<failure message="${xml(message)}">${xml(reasons.join('\n'))}</failure>`;
}

/**
 * JUnit XML: a test suite per variant, a test case per cell. A cell that errs or fails its
 * assertions is a failure (with every failed assertion's reason), a skipped one skipped.
 */
export function toJunit({ run, cases, cells }: EvalReport): string {
  const suites = run.variants.map((v, i) => {
    const own = cells.filter((c) => c.variant_index === i);
    const failures = own.filter(cellFailed).length;
    const skipped = own.filter((c) => c.status === 'skipped').length;
    const time = own.reduce((t, c) => t + (c.execution_time_ms ?? 0), 0) / 1000;
    const testcases = own.map((c) => {
      const name = `case ${c.case_index + 1}${run.repetitions > 1 ? ` #${c.repetition + 1}` : ''}: ${cases[c.case_index]?.query ?? ''}`;
      const body = cellFailed(c)
        ? failureBody(c)
        : c.status === 'skipped' || c.status === 'pending' || c.status === 'running'
          ? `<skipped message="${xml(c.skipped_reason ?? c.status)}"/>`
          : '';
      return `    <testcase classname="${xml(`${v.prompt_label} · ${v.model}`)}" name="${xml(name)}" time="${((c.execution_time_ms ?? 0) / 1000).toFixed(3)}">${body}</testcase>`;
    });
    return [
      `  <testsuite name="${xml(`${i + 1}: ${v.prompt_label} · ${v.model}`)}" tests="${own.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">`,
      ...testcases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`run ${run.id}`)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

const FORMATS: Record<string, (r: EvalReport) => string> = {
  '.json': toJson,
  '.csv': toCsv,
  '.xml': toJunit,
};

/** The writer for an --output file name; throws when its extension is none of ours. */
export function reportWriter(file: string): (r: EvalReport) => string {
  const writer = FORMATS[file.slice(file.lastIndexOf('.'))];
  if (!writer) throw new Error(`--output must end in .json, .csv or .xml (JUnit), not "${file}"`);
  return writer;
}
