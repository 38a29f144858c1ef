import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CellResponse, RunResponse } from '../shared/evals';
import { reportWriter, toCsv, toJunit } from './eval-output';

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

describe('eval output', () => {
  it('writes JUnit with a failure per errored cell, escaped, without control characters', () => {
    const xml = toJunit({
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

  it('drops every character XML 1.0 does not allow, so the file always parses', () => {
    const bad = '\u0000\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF\uDFFF\uD800';
    const xml = toJunit({
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

  it('writes a failed assertion as a JUnit failure with every reason', () => {
    const xml = toJunit({
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

  it('writes one CSV row per cell', () => {
    expect(toCsv({ run, cases, cells: [cell({})] }).split('\n')[1]).toBe(
      '0,"A <question> & ""quotes""\u0001?",0,p v1,offline:demo,0,ok,,1500,0,An answer',
    );
  });

  it('writes no CSV cell that a spreadsheet would run as a formula', () => {
    const csv = toCsv({
      run,
      cases: [{ query: '=HYPERLINK("http://x","y")', topic: 'T' }],
      cells: [cell({ answer: '@SUM(1+1)', error: '-1' })],
    });
    expect(csv.split('\n')[1]).toBe(
      '0,"\'=HYPERLINK(""http://x"",""y"")",0,p v1,offline:demo,0,ok,\'-1,1500,0,\'@SUM(1+1)',
    );
  });

  it.each(['out.json', 'out.csv', 'results.xml'])('knows the format of %s', (file) => {
    expect(typeof reportWriter(file)).toBe('function');
  });
  it('refuses other file names', () => {
    expect(() => reportWriter('out.txt')).toThrow(
      '--output must end in .json, .csv or .xml (JUnit), not "out.txt"',
    );
  });
});
