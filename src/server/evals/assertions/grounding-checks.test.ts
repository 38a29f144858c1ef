import { describe, expect, it } from 'vitest';
import { big, context, HOST } from '../../../../test/scoring/fixtures';
import { type Row, run } from '../../../../test/scoring/run';

// The grounding assertion types, one table each: pass, fail, empty answer, unicode, 200 kB.

const RATES = `[Rates](${HOST}/markets/rates-hold)`;
const WIND = `[Wind](${HOST}/energy/wind-z%C3%BCrich)`;
const YIELDS = `[Yields](${HOST}/markets/bond-yields)`;
const FAKE = '[Fake](https://fake.example/x)';
/** ~200 kB of cited paragraphs. */
const BIG_CITED = Array.from({ length: 2500 }, (_, i) => `Point ${i} on rates ${RATES}.`).join('\n\n');

const tables: [string, Row[]][] = [
  [
    'citations-grounded',
    [
      {
        name: 'pass',
        assertion: { type: 'citations-grounded' },
        answer: `Rates held ${RATES}; wind ${WIND}.`,
        want: {
          pass: true,
          score: 1,
          reason: '2 of 2 citations grounded',
          details: expect.objectContaining({ precision: 1, invented_urls: [] }),
        },
      },
      {
        name: 'fail: one unretrieved, one invented',
        assertion: { type: 'citations-grounded' },
        answer: `Rates ${RATES}, yields ${YIELDS}, fake ${FAKE}.`,
        want: {
          pass: false,
          score: 1 / 3,
          reason: '1 of 3 citations grounded (1 invented, 1 not retrieved for this answer), below 1',
          details: expect.objectContaining({ precision: 1 / 3, invented_urls: ['https://fake.example/x'] }),
        },
      },
      {
        name: 'allow_unretrieved and min_precision',
        assertion: { type: 'citations-grounded', allow_unretrieved: true, min_precision: 0.6 },
        answer: `Rates ${RATES}, yields ${YIELDS}, fake ${FAKE}.`,
        want: {
          pass: true,
          score: 2 / 3,
          reason: '2 of 3 citations grounded (1 invented, 1 not retrieved for this answer (allowed))',
          details: expect.objectContaining({ precision: 2 / 3 }),
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'citations-grounded' },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer cites no articles' },
      },
      {
        name: 'unicode URL, escaped in the corpus, raw in the answer',
        assertion: { type: 'citations-grounded' },
        answer: `Die Zürcher ewz [Wind 🌬](${HOST}/energy/wind-zürich).`,
        want: {
          pass: true,
          score: 1,
          reason: '1 of 1 citations grounded',
          details: expect.objectContaining({ precision: 1 }),
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'citations-grounded' },
        answer: `${BIG_CITED}\n\nAnd ${FAKE}.`,
        want: {
          pass: false,
          score: 2500 / 2501,
          reason: '2500 of 2501 citations grounded (1 invented), below 1',
          details: expect.objectContaining({ invented_urls: ['https://fake.example/x'] }),
        },
      },
    ],
  ],
  [
    'citation-coverage',
    [
      {
        name: 'pass',
        assertion: { type: 'citation-coverage', min: 0.5 },
        answer: `## Findings\n\nRates held ${RATES}.\n\n- wind ${WIND}\n- no source here`,
        want: {
          pass: true,
          score: 2 / 3,
          reason: '2 of 3 paragraphs and bullet points cite (67 %)',
          details: { coverage: 2 / 3, total: 3, cited: 2 },
        },
      },
      {
        name: 'fail',
        assertion: { type: 'citation-coverage', min: 0.8 },
        answer: `Rates held ${RATES}.\n\nNo source.\n\n- none\n- none either`,
        want: {
          pass: false,
          score: 0.25,
          reason: '1 of 4 paragraphs and bullet points cite (25 %), below 80 %',
          details: { coverage: 0.25, total: 4, cited: 1 },
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'citation-coverage', min: 0.5 },
        answer: '',
        want: { pass: false, score: 0, reason: 'answer has no paragraphs or bullet points' },
      },
      {
        name: 'unicode',
        assertion: { type: 'citation-coverage', min: 1 },
        answer: `東京の工場 ${HOST}/tech/chips\n\n- Zürich 😀 ${WIND}`,
        want: {
          pass: true,
          score: 1,
          reason: '2 of 2 paragraphs and bullet points cite (100 %)',
          details: { coverage: 1, total: 2, cited: 2 },
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'citation-coverage', min: 1 },
        answer: `${BIG_CITED}\n\nUncited.`,
        want: {
          pass: false,
          score: 2500 / 2501,
          reason: '2500 of 2501 paragraphs and bullet points cite (100 %), below 100 %',
          details: { coverage: 2500 / 2501, total: 2501, cited: 2500 },
        },
      },
    ],
  ],
  [
    'quotes-verified',
    [
      {
        name: 'pass: curly quotes, other case and spacing',
        assertion: { type: 'quotes-verified' },
        answer: `Okafor: “we will keep  measuring and report what we find” ${RATES}.`,
        want: {
          pass: true,
          score: 1,
          reason: 'the quote is in the cited article',
          details: {
            quotes: [expect.objectContaining({ verified: true, url: `${HOST}/markets/rates-hold` })],
          },
        },
      },
      {
        name: 'fail: a misquote',
        assertion: { type: 'quotes-verified' },
        answer: `Okafor: "We will stop measuring and report what we find" ${RATES}.`,
        want: {
          pass: false,
          score: 0,
          reason:
            '1 of 1 quotes not verified: "We will stop measuring and report what we find" not in the cited article',
          details: { quotes: [expect.objectContaining({ verified: false })] },
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'quotes-verified' },
        answer: '',
        want: {
          pass: true,
          score: 1,
          reason: 'answer has no cited quotes of 6+ words',
          details: { quotes: [] },
        },
      },
      {
        name: 'unicode, and a quote from the wrong article',
        assertion: { type: 'quotes-verified', min_words: 4 },
        answer: `ewz: „the Zürich utility, signed“ ${WIND}. Also "Ten-year yields fell 12 basis points" ${RATES}.`,
        want: {
          pass: false,
          score: 0.5,
          reason:
            '1 of 2 quotes not verified: "Ten-year yields fell 12 basis points" not in any article cited in its paragraph',
          details: {
            quotes: [
              expect.objectContaining({ verified: true, url: `${HOST}/energy/wind-zürich` }),
              expect.objectContaining({ verified: false, url: `${HOST}/markets/rates-hold` }),
            ],
          },
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'quotes-verified' },
        answer: `${BIG_CITED}\n\n"The deal covers about 12 percent of the city’s demand" ${WIND}`,
        want: {
          pass: true,
          score: 1,
          reason: 'the quote is in the cited article',
          details: { quotes: [expect.objectContaining({ verified: true })] },
        },
      },
    ],
  ],
  [
    'dates-match',
    [
      {
        name: 'pass',
        assertion: { type: 'dates-match' },
        answer: `${RATES} (Wire, 2026-03-04): rates held.`,
        want: {
          pass: true,
          score: 1,
          reason: 'the date matches the publication date',
          details: { dates: [expect.objectContaining({ matches: true, expected: '2026-03-04' })] },
        },
      },
      {
        name: 'fail: a wrong date; tolerance_days forgives it',
        assertion: { type: 'dates-match' },
        answer: `${WIND}, 28 Feb. 2026.`,
        want: {
          pass: false,
          score: 0,
          reason: '1 of 1 dates do not match: "28 Feb. 2026" (published 2026-02-27)',
          details: { dates: [expect.objectContaining({ written: '2026-02-28', matches: false })] },
        },
      },
      {
        name: 'within tolerance_days',
        assertion: { type: 'dates-match', tolerance_days: 1 },
        answer: `${WIND}, 28 Feb. 2026.`,
        want: {
          pass: true,
          score: 1,
          reason: 'the date matches the publication date',
          details: { dates: [expect.objectContaining({ matches: true })] },
        },
      },
      {
        name: 'empty answer',
        assertion: { type: 'dates-match' },
        answer: '',
        want: {
          pass: true,
          score: 1,
          reason: 'answer gives no dates next to citations',
          details: { dates: [] },
        },
      },
      {
        name: 'unicode: an article without a date',
        assertion: { type: 'dates-match' },
        answer: `東京の工場 [半導体](${HOST}/tech/chips) March 3, 2026`,
        want: {
          pass: false,
          score: 0,
          reason: '1 of 1 dates do not match: "March 3, 2026" (the cited article has no known date)',
          details: { dates: [expect.objectContaining({ expected: null, matches: false })] },
        },
      },
      {
        name: '200 kB answer',
        assertion: { type: 'dates-match' },
        answer: `${BIG_CITED}\n\n${YIELDS} on 6 March 2026.`,
        want: {
          pass: true,
          score: 1,
          reason: 'the date matches the publication date',
          details: {
            dates: [expect.objectContaining({ url: `${HOST}/markets/bond-yields`, matches: true })],
          },
        },
      },
    ],
  ],
];

describe.each(tables)('%s', (_type, rows) => {
  it.each(rows)('$name', ({ assertion, answer, ctx, want }) => {
    expect(run(assertion, answer, ctx ?? context())).toEqual(want);
  });
});

it('a 200 kB answer of plain text has no citations to ground', () => {
  expect(run({ type: 'citations-grounded' }, big(), context())).toEqual({
    pass: false,
    score: 0,
    reason: 'answer cites no articles',
  });
});
