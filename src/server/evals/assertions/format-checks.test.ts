import { describe, expect, it } from 'vitest';
import { big, context, HOST } from '../../../../test/scoring/fixtures';
import { type Row, run } from '../../../../test/scoring/run';

// Length, JSON, markdown structure, citation count, latency and cost: one table each with pass,
// fail, empty answer, unicode and a 200 kB answer.

const BIG = big();
const BIG_JSON = JSON.stringify({ city: 'Zürich', items: Array.from({ length: 20_000 }, (_, i) => i) });
const SCHEMA = {
  type: 'object',
  required: ['city'],
  properties: { city: { type: 'string' }, share: { type: 'number', maximum: 1 } },
};
const SHAPED =
  '## Summary\nRates held.\n\n- one point\n- another\n\n### Sources:\n- [Rates](https://news.example/a)\n';

const tables: [string, Row[]][] = [
  [
    'length',
    [
      {
        name: 'pass (words)',
        assertion: { type: 'length', unit: 'words', min: 3, max: 5 },
        answer: 'Rates held at four.',
        want: { pass: true, score: 1, reason: 'answer has 4 words, within 3–5', details: { words: 4 } },
      },
      {
        name: 'fail (words)',
        assertion: { type: 'length', unit: 'words', min: 3 },
        answer: 'Rates held.',
        want: { pass: false, score: 0, reason: 'answer has 2 words, fewer than 3', details: { words: 2 } },
      },
      {
        name: 'empty answer',
        assertion: { type: 'length', min: 1 },
        answer: '',
        want: {
          pass: false,
          score: 0,
          reason: 'answer has 0 characters, fewer than 1',
          details: { characters: 0 },
        },
      },
      {
        name: 'unicode: graphemes, not code units',
        assertion: { type: 'length', max: 8 },
        answer: 'Zu\u0308rich👍🏽東',
        want: {
          pass: true,
          score: 1,
          reason: 'answer has 8 characters, within at most 8',
          details: { characters: 8 },
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'length', max: 1000 },
        answer: BIG,
        want: {
          pass: false,
          score: 0,
          reason: `answer has ${BIG.length.toLocaleString('en')} characters, more than 1000`,
          details: { characters: BIG.length },
        },
      },
    ],
  ],
  [
    'is-json',
    [
      {
        name: 'pass',
        assertion: { type: 'is-json' },
        answer: ' {"a": [1, 2]}\n',
        want: { pass: true, score: 1, reason: 'answer is valid JSON' },
      },
      {
        name: 'pass: one fenced block',
        assertion: { type: 'is-json' },
        answer: '```json\n{"a": 1}\n```',
        want: { pass: true, score: 1, reason: 'answer is valid JSON' },
      },
      {
        name: 'fail: prose around it',
        assertion: { type: 'is-json' },
        answer: 'Here it is: {"a": 1}',
        want: {
          pass: false,
          score: 0,
          reason: expect.stringMatching(/^answer is not valid JSON: Unexpected token/),
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'is-json' },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer is not valid JSON: answer is empty' },
      },
      {
        name: 'unicode',
        assertion: { type: 'is-json' },
        answer: '{"city": "Zürich", "emoji": "😀", "名": "東京"}',
        want: { pass: true, score: 1, reason: 'answer is valid JSON' },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'is-json' },
        answer: BIG_JSON,
        want: { pass: true, score: 1, reason: 'answer is valid JSON' },
      },
    ],
  ],
  [
    'json-schema',
    [
      {
        name: 'pass',
        assertion: { type: 'json-schema', schema: SCHEMA },
        answer: '{"city": "Bern", "share": 0.12}',
        want: { pass: true, score: 1, reason: 'answer matches the JSON Schema' },
      },
      {
        name: 'fail: every error named',
        assertion: { type: 'json-schema', schema: SCHEMA },
        answer: '{"share": 2}',
        want: {
          pass: false,
          score: 0,
          reason:
            "answer does not match the JSON Schema: must have required property 'city'; /share must be <= 1",
          details: {
            errors: [
              { path: '', message: "must have required property 'city'" },
              { path: '/share', message: 'must be <= 1' },
            ],
          },
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'json-schema', schema: SCHEMA },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer is not valid JSON: answer is empty' },
      },
      {
        name: 'unicode, with a format',
        assertion: {
          type: 'json-schema',
          schema: {
            type: 'object',
            properties: { city: { type: 'string', maxLength: 6 }, at: { format: 'date' } },
          },
        },
        answer: '{"city": "Zürich", "at": "2026-03-04"}',
        want: { pass: true, score: 1, reason: 'answer matches the JSON Schema' },
      },
      {
        name: '200 kB answer',
        assertion: {
          type: 'json-schema',
          schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'integer' } } } },
        },
        answer: BIG_JSON,
        want: { pass: true, score: 1, reason: 'answer matches the JSON Schema' },
      },
    ],
  ],
  [
    'markdown-structure',
    [
      {
        name: 'pass: headings (any level, trailing colon) and a bullet list',
        assertion: { type: 'markdown-structure', headings: ['summary', 'Sources'], bullet_list: true },
        answer: SHAPED,
        want: { pass: true, score: 1, reason: 'answer has the required markdown structure' },
      },
      {
        name: 'fail: no table, no numbered list; score is the share met',
        assertion: { type: 'markdown-structure', headings: ['Summary'], table: true, numbered_list: true },
        answer: SHAPED,
        want: {
          pass: false,
          score: 1 / 3,
          reason: 'answer lacks a numbered list, a table',
          details: { missing: ['a numbered list', 'a table'], headings: ['Summary', 'Sources:'] },
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'markdown-structure', headings: ['Summary'], bullet_list: true },
        answer: '',
        want: {
          pass: false,
          score: 0,
          reason: 'answer lacks heading "Summary", a bullet list',
          details: { missing: ['heading "Summary"', 'a bullet list'], headings: [] },
        },
      },
      {
        name: 'unicode headings and a table',
        assertion: { type: 'markdown-structure', headings: ['Überblick', '東京'], table: true },
        answer:
          '# **ÜBERBLICK**\n\n## 東京 (3 Artikel)\n\n| Stadt | Anteil |\n|---|---|\n| Zürich | 12 % |\n',
        want: { pass: true, score: 1, reason: 'answer has the required markdown structure' },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'markdown-structure', headings: ['Findings'], numbered_list: true },
        answer: `${BIG}\n## Findings (3 of 8)\n\n1. first\n2. second\n`,
        want: { pass: true, score: 1, reason: 'answer has the required markdown structure' },
      },
    ],
  ],
  [
    'citations-min',
    [
      {
        name: 'pass',
        assertion: { type: 'citations-min', n: 2 },
        answer: `See [A](${HOST}/a) and ${HOST}/b.`,
        want: {
          pass: true,
          score: 1,
          reason: 'answer cites 2 distinct URLs, at least 2',
          details: { cited: 2 },
        },
      },
      {
        name: 'fail: the same URL twice counts once',
        assertion: { type: 'citations-min', n: 2 },
        answer: `See [A](${HOST}/a) and [again](${HOST}/a/#top).`,
        want: {
          pass: false,
          score: 0.5,
          reason: 'answer cites 1 distinct URL, fewer than 2',
          details: { cited: 1 },
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'citations-min', n: 1 },
        answer: '',
        want: {
          pass: false,
          score: 0,
          reason: 'answer cites 0 distinct URLs, fewer than 1',
          details: { cited: 0 },
        },
      },
      {
        name: 'unicode: an escaped and an unescaped ü are one URL',
        assertion: { type: 'citations-min', n: 2 },
        answer: `[Zürich](${HOST}/energy/wind-zürich) · [Zürich 🌬](${HOST}/energy/wind-z%C3%BCrich)`,
        want: {
          pass: false,
          score: 0.5,
          reason: 'answer cites 1 distinct URL, fewer than 2',
          details: { cited: 1 },
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'citations-min', n: 1 },
        answer: big(`[A](${HOST}/a)`),
        want: {
          pass: true,
          score: 1,
          reason: 'answer cites 1 distinct URL, at least 1',
          details: { cited: 1 },
        },
      },
    ],
  ],
  [
    'max-latency-ms',
    [
      {
        name: 'pass',
        assertion: { type: 'max-latency-ms', max: 2000 },
        answer: 'ok',
        want: {
          pass: true,
          score: 1,
          reason: 'execution time 1,200 ms is within 2,000 ms',
          details: { ms: 1200 },
        },
      },
      {
        name: 'fail',
        assertion: { type: 'max-latency-ms', max: 1000 },
        answer: 'ok',
        want: {
          pass: false,
          score: 0,
          reason: 'execution time 1,200 ms exceeds 1,000 ms',
          details: { ms: 1200 },
        },
      },
      {
        name: 'empty answer, time to first token',
        assertion: { type: 'max-latency-ms', max: 250, metric: 'first_token' },
        answer: '',
        want: {
          pass: false,
          score: 0,
          reason: 'time to first token 300 ms exceeds 250 ms',
          details: { ms: 300 },
        },
      },
      {
        name: 'unicode answer, no time recorded',
        assertion: { type: 'max-latency-ms', max: 1000 },
        answer: 'Zürich 😀',
        ctx: context({ execution_time_ms: null }),
        want: { pass: false, score: 0, reason: 'execution time was not recorded' },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'max-latency-ms', max: 1200 },
        answer: BIG,
        want: {
          pass: true,
          score: 1,
          reason: 'execution time 1,200 ms is within 1,200 ms',
          details: { ms: 1200 },
        },
      },
    ],
  ],
  [
    'max-cost-usd',
    [
      {
        name: 'pass',
        assertion: { type: 'max-cost-usd', max: 0.01 },
        answer: 'ok',
        want: { pass: true, score: 1, reason: 'cost $0.0042 is within $0.01', details: { cost_usd: 0.0042 } },
      },
      {
        name: 'fail',
        assertion: { type: 'max-cost-usd', max: 0.001 },
        answer: 'ok',
        want: { pass: false, score: 0, reason: 'cost $0.0042 exceeds $0.001', details: { cost_usd: 0.0042 } },
      },
      {
        name: 'empty answer, unknown price',
        assertion: { type: 'max-cost-usd', max: 1 },
        answer: '',
        ctx: context({ cost_usd: null }),
        want: { pass: false, score: 0, reason: 'cost is unknown (no price for the model)' },
      },
      {
        name: 'unicode answer',
        assertion: { type: 'max-cost-usd', max: 0.0042 },
        answer: '東京 😀',
        want: {
          pass: true,
          score: 1,
          reason: 'cost $0.0042 is within $0.0042',
          details: { cost_usd: 0.0042 },
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'max-cost-usd', max: 0.004 },
        answer: BIG,
        want: { pass: false, score: 0, reason: 'cost $0.0042 exceeds $0.004', details: { cost_usd: 0.0042 } },
      },
    ],
  ],
];

describe.each(tables)('%s', (_type, rows) => {
  it.each(rows)('$name', ({ assertion, answer, ctx, want }) => {
    expect(run(assertion, answer, ctx)).toEqual(want);
  });
});
