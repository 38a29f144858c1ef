import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CellResponse, ReportFormat, RunResponse } from '../../../shared/evals';
import { type CellPages, type EvalReport, writeReport } from './report-formats';

/** The whole file, its cells read in pages of `pageSize`. */
async function report(format: ReportFormat, { cells, ...head }: EvalReport, pageSize = 1000) {
  const pages: CellPages = async function* (variant) {
    const own = variant === undefined ? cells : cells.filter((c) => c.variant_index === variant);
    for (let i = 0; i < own.length; i += pageSize) yield own.slice(i, i + pageSize);
  };
  let out = '';
  for await (const chunk of writeReport(format, head, pages)) out += chunk;
  return out;
}
const toJunit = (r: EvalReport) => report('junit', r);

const cell = (over: Partial<CellResponse>): CellResponse => ({
  id: 1,
  case_index: 0,
  variant_index: 0,
  repetition: 0,
  status: 'ok',
  skipped_reason: null,
  attempts: 1,
  answer: 'An answer',
  model: 'offline:demo',
  article_ids: [],
  corpus_fingerprint: null,
  input_tokens: null,
  output_tokens: null,
  cost_usd: 0,
  first_token_ms: 5,
  execution_time_ms: 1500,
  error: null,
  finished_at: '2026-12-02T00:00:00.000Z',
  passed: null,
  score: null,
  grounding_precision: null,
  invented_urls: null,
  citation_coverage: null,
  judge_cost_usd: null,
  ...over,
});
const run = {
  id: 7,
  repetitions: 1,
  variants: [{ prompt_label: 'p v1', model: 'offline:demo' }],
} as unknown as RunResponse;
const cases = [
  { query: 'A <question> & "quotes"\u0001?', topic: 'T' },
  { query: 'Second question here', topic: 'T' },
];

describe('run report formats', () => {
  it('writes JUnit with a failure per errored cell, escaped, without control characters', async () => {
    const xml = await toJunit({
      run,
      cases,
      cells: [cell({}), cell({ id: 2, case_index: 1, status: 'error', error: 'timeout <after 3 s>' })],
    });
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="run 7">',
        '  <testsuite name="1: p v1 · offline:demo" tests="2" failures="1" skipped="0" time="3.000">',
        '    <testcase classname="p v1 · offline:demo" name="case 1: A &lt;question&gt; &amp; &quot;quotes&quot;?" time="1.500"></testcase>',
        '    <testcase classname="p v1 · offline:demo" name="case 2: Second question here" time="1.500"><failure message="timeout &lt;after 3 s&gt;"/></testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('drops every character XML 1.0 does not allow, so the file always parses', async () => {
    const bad = '\u0000\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF\uDFFF\uD800';
    const xml = await toJunit({
      run,
      cases: [{ query: `Robots${bad} and 😀 emoji\t?`, topic: 'T' }],
      cells: [cell({ status: 'error', error: `failed${bad}x\uDC00\uD83D` })],
    });
    // No parser at hand checks characters (fast-xml-parser is lenient), so check XML 1.0's Char
    // production over the whole file, then that it is well-formed and reads back.
    const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
    expect(NOT_XML_CHAR.test(xml)).toBe(false);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const testcase = parsed.testsuites.testsuite.testcase;
    expect({ name: testcase['@_name'], failure: testcase.failure['@_message'] }).toEqual({
      name: 'case 1: Robots and 😀 emoji\t?',
      failure: 'failedx',
    });
  });

  it('writes a failed assertion as a JUnit failure with every reason', async () => {
    const xml = await toJunit({
      run,
      cases,
      cells: [
        cell({ passed: true, score: 1 }),
        cell({
          id: 2,
          case_index: 1,
          passed: false,
          score: 0.5,
          failures: [
            'icontains: answer does not contain "robot"',
            'citations-grounded: 1 of 2 cited URLs <invented>',
          ],
        }),
      ],
    });
    expect(xml.split('\n').slice(2, 6)).toEqual([
      '  <testsuite name="1: p v1 · offline:demo" tests="2" failures="1" skipped="0" time="3.000">',
      '    <testcase classname="p v1 · offline:demo" name="case 1: A &lt;question&gt; &amp; &quot;quotes&quot;?" time="1.500"></testcase>',
      '    <testcase classname="p v1 · offline:demo" name="case 2: Second question here" time="1.500"><failure message="icontains: answer does not contain &quot;robot&quot;; citations-grounded: 1 of 2 cited URLs &lt;invented&gt;">icontains: answer does not contain &quot;robot&quot;',
      'citations-grounded: 1 of 2 cited URLs &lt;invented&gt;</failure></testcase>',
    ]);
  });

  it('writes one CSV row per cell', async () => {
    expect((await report('csv', { run, cases, cells: [cell({})] })).split('\n')[1]).toBe(
      '0,"A <question> & ""quotes""\u0001?",0,p v1,offline:demo,0,ok,,1500,0,An answer',
    );
  });

  it('writes no CSV cell that a spreadsheet would run as a formula', async () => {
    const csv = await report('csv', {
      run,
      cases: [{ query: '=HYPERLINK("http://x","y")', topic: 'T' }],
      cells: [cell({ answer: '@SUM(1+1)', error: '-1' })],
    });
    expect(csv.split('\n')[1]).toBe(
      '0,"\'=HYPERLINK(""http://x"",""y"")",0,p v1,offline:demo,0,ok,\'-1,1500,0,\'@SUM(1+1)',
    );
  });

  // Two variants, two repetitions, an error, a failed assertion and a skipped cell.
  const many: EvalReport = {
    run: {
      ...run,
      repetitions: 2,
      variants: [...run.variants, { prompt_label: 'q v2', model: 'm' }],
    } as RunResponse,
    cases,
    cells: [0, 1].flatMap((c) =>
      [0, 1].flatMap((v) =>
        [0, 1].map((r) =>
          cell({
            id: c * 4 + v * 2 + r + 1,
            case_index: c,
            variant_index: v,
            repetition: r,
            ...(r === 1 && v === 0 ? { status: 'error', error: 'boom, "quoted"\nline' } : {}),
            ...(c === 1 && v === 1 && r === 0 ? { passed: false, failures: ['a', 'b'] } : {}),
            ...(c === 1 && v === 1 && r === 1 ? { status: 'skipped', skipped_reason: 'budget' } : {}),
          }),
        ),
      ),
    ),
  };

  it('writes JSON exactly as JSON.stringify of the whole report would, cells or none', async () => {
    expect(await report('json', many)).toBe(`${JSON.stringify(many, null, 2)}\n`);
    const none = { ...many, cells: [] };
    expect(await report('json', none)).toBe(`${JSON.stringify(none, null, 2)}\n`);
  });

  it.each(['json', 'csv', 'junit'] as const)(
    'writes the same %s read in pages of 3 as in one',
    async (format) => {
      expect(await report(format, many, 3)).toBe(await report(format, many));
    },
  );

  it('counts each JUnit suite over its own cells only', async () => {
    const suites = (await report('junit', many, 3)).split('\n').filter((l) => l.includes('<testsuite '));
    expect(suites).toEqual([
      '  <testsuite name="1: p v1 · offline:demo" tests="4" failures="2" skipped="0" time="6.000">',
      '  <testsuite name="2: q v2 · m" tests="4" failures="1" skipped="1" time="6.000">',
    ]);
  });
});
