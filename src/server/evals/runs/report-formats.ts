import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { CellResponse, EvalCase, ReportFormat, RunResponse } from '../../../shared/evals';
import { quoteCell } from '../../../shared/spreadsheet-cells';

// The files GET …/runs/{id}/export serves (and `prompt-workshop eval --output` writes): JSON, CSV,
// or JUnit XML for CI systems. Each is written from pages of cells, so a 400,000-cell run streams
// without being held. Pure functions of the run, its cases and its cells.

/** What a report is about: the run, and the cases of the suite version it ran. */
export interface ReportHead {
  run: RunResponse;
  cases: EvalCase[];
}

export interface EvalReport extends ReportHead {
  cells: CellResponse[];
}

/**
 * The cells of a report, page by page, in the order of GET …/cells (case, variant, repetition);
 * with a variant, only that variant's. Called more than once when a format needs two passes.
 */
export type CellPages = (variant?: number) => AsyncIterable<CellResponse[]>;

/** Writes a report in `format` as it reads the pages of its cells. */
export async function* writeReport(format: ReportFormat, head: ReportHead, pages: CellPages) {
  if (format === 'json') yield* jsonReport(head, pages);
  else if (format === 'csv') yield* csvReport(head, pages);
  else yield* junitReport(head, pages);
}

// JSON.stringify(report, null, 2), written a cell at a time: a value nested `depth` levels deep is
// indented as JSON.stringify would indent it there (strings hold no raw newline, so this is exact).
const nested = (value: unknown, depth: number) =>
  JSON.stringify(value, null, 2).replaceAll('\n', `\n${'  '.repeat(depth)}`);

async function* jsonReport({ run, cases }: ReportHead, pages: CellPages) {
  yield `{\n  "run": ${nested(run, 1)},\n  "cases": ${nested(cases, 1)},\n  "cells": [`;
  let first = true;
  for await (const page of pages()) {
    for (const c of page) {
      yield `${first ? '' : ','}\n    ${nested(c, 2)}`;
      first = false;
    }
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}

const CSV_HEADER = [
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

async function* csvReport({ run, cases }: ReportHead, pages: CellPages) {
  yield stringifyCsv([CSV_HEADER]);
  for await (const page of pages()) {
    if (page.length === 0) continue;
    yield stringifyCsv(page.map(csvRow(run, cases)));
  }
}

/** A cell's row. Queries and answers come from users and models: no cell may open as a formula. */
const csvRow =
  (run: RunResponse, cases: EvalCase[]) =>
  (c: CellResponse): (string | number)[] =>
    [
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
    ].map((v) => (typeof v === 'string' ? quoteCell(v) : v));

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

function junitCase({ run, cases }: ReportHead, c: CellResponse): string {
  const v = run.variants[c.variant_index];
  const name = `case ${c.case_index + 1}${run.repetitions > 1 ? ` #${c.repetition + 1}` : ''}: ${cases[c.case_index]?.query ?? ''}`;
  const body = cellFailed(c)
    ? failureBody(c)
    : c.status === 'skipped' || c.status === 'pending' || c.status === 'running'
      ? `<skipped message="${xml(c.skipped_reason ?? c.status)}"/>`
      : '';
  return `    <testcase classname="${xml(`${v.prompt_label} · ${v.model}`)}" name="${xml(name)}" time="${((c.execution_time_ms ?? 0) / 1000).toFixed(3)}">${body}</testcase>\n`;
}

/**
 * JUnit XML: a test suite per variant, a test case per cell. A cell that errs or fails its
 * assertions is a failure (with every failed assertion's reason), a skipped one skipped. A suite's
 * counts come first in its tag, so each variant's cells are read twice: counted, then written.
 */
async function* junitReport(head: ReportHead, pages: CellPages) {
  const { run } = head;
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`run ${run.id}`)}">\n`;
  for (const [i, v] of run.variants.entries()) {
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    let ms = 0;
    for await (const page of pages(i)) {
      for (const c of page) {
        tests++;
        if (cellFailed(c)) failures++;
        if (c.status === 'skipped') skipped++;
        ms += c.execution_time_ms ?? 0;
      }
    }
    yield `  <testsuite name="${xml(`${i + 1}: ${v.prompt_label} · ${v.model}`)}" tests="${tests}" failures="${failures}" skipped="${skipped}" time="${(ms / 1000).toFixed(3)}">\n`;
    for await (const page of pages(i)) for (const c of page) yield junitCase(head, c);
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}
