import { describe, expect, it } from 'vitest';
import { big } from '../../../../test/scoring/fixtures';
import { type Row, run } from '../../../../test/scoring/run';

// The string checks, one table each: pass, fail, empty answer, unicode, a 200 kB answer.

const BIG = big(' and inflation eased to 2.9 percent.');
const decomposed = 'Zu\u0308rich'; // "Zürich" with a combining diaeresis

const tables: [string, Row[]][] = [
  [
    'contains',
    [
      {
        name: 'pass',
        assertion: { type: 'contains', value: 'inflation' },
        answer: 'Rates held; inflation eased.',
        want: { pass: true, score: 1, reason: 'answer contains "inflation"' },
      },
      {
        name: 'fail (case matters)',
        assertion: { type: 'contains', value: 'inflation' },
        answer: 'Inflation eased.',
        want: { pass: false, score: 0, reason: 'answer does not contain "inflation"' },
      },
      {
        name: 'empty answer',
        assertion: { type: 'contains', value: 'inflation' },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer does not contain "inflation"' },
      },
      {
        name: 'unicode: composed value, decomposed answer',
        assertion: { type: 'contains', value: 'Zürich' },
        answer: `The ${decomposed} utility 💡 signed.`,
        want: { pass: true, score: 1, reason: 'answer contains "Zürich"' },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'contains', value: '2.9 percent' },
        answer: BIG,
        want: { pass: true, score: 1, reason: 'answer contains "2.9 percent"' },
      },
    ],
  ],
  [
    'icontains',
    [
      {
        name: 'pass',
        assertion: { type: 'icontains', value: 'INFLATION' },
        answer: 'Inflation eased.',
        want: { pass: true, score: 1, reason: 'answer contains "INFLATION" (ignoring case)' },
      },
      {
        name: 'fail',
        assertion: { type: 'icontains', value: 'deflation' },
        answer: 'Inflation eased.',
        want: { pass: false, score: 0, reason: 'answer does not contain "deflation" (ignoring case)' },
      },
      {
        name: 'empty answer',
        assertion: { type: 'icontains', value: 'x' },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer does not contain "x" (ignoring case)' },
      },
      {
        name: 'unicode: ZÜRICH against a decomposed zürich',
        assertion: { type: 'icontains', value: 'ZÜRICH 🚀' },
        answer: `the ${decomposed.toLowerCase()} 🚀 launch`,
        want: { pass: true, score: 1, reason: 'answer contains "ZÜRICH 🚀" (ignoring case)' },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'icontains', value: 'INFLATION EASED' },
        answer: BIG,
        want: { pass: true, score: 1, reason: 'answer contains "INFLATION EASED" (ignoring case)' },
      },
    ],
  ],
  [
    'contains-any',
    [
      {
        name: 'pass',
        assertion: { type: 'contains-any', values: ['rate cut', 'rate hike'] },
        answer: 'A rate hike came.',
        want: {
          pass: true,
          score: 1,
          reason: 'answer contains "rate hike"',
          details: { found: ['rate hike'] },
        },
      },
      {
        name: 'fail',
        assertion: { type: 'contains-any', values: ['rate cut', 'rate hike'] },
        answer: 'Rates held.',
        want: {
          pass: false,
          score: 0,
          reason: 'answer contains none of the 2 values',
          details: { found: [] },
        },
      },
      {
        name: 'empty answer, one value',
        assertion: { type: 'contains-any', values: ['held'] },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer contains none of "held"', details: { found: [] } },
      },
      {
        name: 'unicode, ignore_case',
        assertion: { type: 'contains-any', values: ['ÉTÉ', '半導体'], ignore_case: true },
        answer: 'Un été chaud; 東京の半導体工場',
        want: {
          pass: true,
          score: 1,
          reason: 'answer contains "ÉTÉ"',
          details: { found: ['ÉTÉ', '半導体'] },
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'contains-any', values: ['deflation', '2.9 percent'] },
        answer: BIG,
        want: {
          pass: true,
          score: 1,
          reason: 'answer contains "2.9 percent"',
          details: { found: ['2.9 percent'] },
        },
      },
    ],
  ],
  [
    'contains-all',
    [
      {
        name: 'pass',
        assertion: { type: 'contains-all', values: ['rates', 'inflation'] },
        answer: 'rates held and inflation eased',
        want: { pass: true, score: 1, reason: 'answer contains all 2 values', details: { missing: [] } },
      },
      {
        name: 'fail: two of three, score 2/3',
        assertion: { type: 'contains-all', values: ['rates', 'inflation', 'jobs'] },
        answer: 'rates held and inflation eased',
        want: {
          pass: false,
          score: 2 / 3,
          reason: 'answer does not contain "jobs"',
          details: { missing: ['jobs'] },
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'contains-all', values: ['rates', 'inflation', 'jobs'] },
        answer: '',
        want: {
          pass: false,
          score: 0,
          reason: 'answer does not contain "rates" and 2 more',
          details: { missing: ['rates', 'inflation', 'jobs'] },
        },
      },
      {
        name: 'unicode',
        assertion: { type: 'contains-all', values: ['Zürich', '😀', '東京'] },
        answer: `${decomposed} 😀 東京`,
        want: { pass: true, score: 1, reason: 'answer contains all 3 values', details: { missing: [] } },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'contains-all', values: ['quarterly report', '2.9 percent'] },
        answer: BIG,
        want: { pass: true, score: 1, reason: 'answer contains all 2 values', details: { missing: [] } },
      },
    ],
  ],
  [
    'equals',
    [
      {
        name: 'pass, surrounding whitespace ignored',
        assertion: { type: 'equals', value: 'Yes' },
        answer: '  Yes\n',
        want: { pass: true, score: 1, reason: 'answer equals "Yes"' },
      },
      {
        name: 'fail',
        assertion: { type: 'equals', value: 'Yes' },
        answer: 'Yes.',
        want: { pass: false, score: 0, reason: 'answer does not equal "Yes"' },
      },
      {
        name: 'empty answer',
        assertion: { type: 'equals', value: 'Yes' },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer does not equal "Yes"' },
      },
      {
        name: 'unicode: NFC',
        assertion: { type: 'equals', value: 'Ça va ✓ Zürich' },
        answer: `C\u0327a va ✓ ${decomposed}`,
        want: { pass: true, score: 1, reason: 'answer equals "Ça va ✓ Zürich"' },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'equals', value: 'The quarterly report' },
        answer: BIG,
        want: { pass: false, score: 0, reason: 'answer does not equal "The quarterly report"' },
      },
    ],
  ],
  [
    'starts-with',
    [
      {
        name: 'pass, leading whitespace ignored',
        assertion: { type: 'starts-with', value: '**TL;DR:**' },
        answer: '\n**TL;DR:** rates held',
        want: { pass: true, score: 1, reason: 'answer starts with "**TL;DR:**"' },
      },
      {
        name: 'fail',
        assertion: { type: 'starts-with', value: '**TL;DR:**' },
        answer: 'Rates held. **TL;DR:**',
        want: { pass: false, score: 0, reason: 'answer does not start with "**TL;DR:**"' },
      },
      {
        name: 'empty answer',
        assertion: { type: 'starts-with', value: 'A' },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer does not start with "A"' },
      },
      {
        name: 'unicode',
        assertion: { type: 'starts-with', value: '東京' },
        answer: '東京の半導体工場が稼働',
        want: { pass: true, score: 1, reason: 'answer starts with "東京"' },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'starts-with', value: 'The quarterly report covered' },
        answer: BIG,
        want: { pass: true, score: 1, reason: 'answer starts with "The quarterly report covered"' },
      },
    ],
  ],
  [
    'regex',
    [
      {
        name: 'pass',
        assertion: { type: 'regex', pattern: String.raw`\b\d+(\.\d+)? percent\b` },
        answer: 'The rate stayed at 4 percent.',
        want: {
          pass: true,
          score: 1,
          reason: String.raw`answer matches /\b\d+(\.\d+)? percent\b/ at "4 percent"`,
          details: { index: 19, text: '4 percent' },
        },
      },
      {
        name: 'fail',
        assertion: { type: 'regex', pattern: '^Yes$', flags: 'i' },
        answer: 'yes.',
        want: { pass: false, score: 0, reason: 'answer does not match /^Yes$/i' },
      },
      {
        name: 'empty answer',
        assertion: { type: 'regex', pattern: '.' },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer does not match /./' },
      },
      {
        name: 'unicode property escapes',
        assertion: { type: 'regex', pattern: String.raw`\p{Script=Han}+`, flags: 'u' },
        answer: 'Plant: 東京の工場',
        want: {
          pass: true,
          score: 1,
          reason: String.raw`answer matches /\p{Script=Han}+/u at "東京"`,
          details: { index: 7, text: '東京' },
        },
      },
      {
        name: '200 kB answer, anchored at the end',
        assertion: { type: 'regex', pattern: String.raw`2\.9 percent\.$` },
        answer: BIG,
        want: {
          pass: true,
          score: 1,
          reason: String.raw`answer matches /2\.9 percent\.$/ at "2.9 percent."`,
          details: { index: BIG.length - 12, text: '2.9 percent.' },
        },
      },
    ],
  ],
];

describe.each(tables)('%s', (_type, rows) => {
  it.each(rows)('$name', ({ assertion, answer, ctx, want }) => {
    expect(run(assertion, answer, ctx)).toEqual(want);
  });
});
