import type { ScoreArticle, ScoreContext } from '../../src/server/evals/assertions/types';

// Articles and contexts for the scoring tests: three retrieved articles, one more that is in the
// corpus but was not retrieved, and a context builder.

export const HOST = 'https://news.example';

export const RETRIEVED: ScoreArticle[] = [
  {
    id: 1,
    url: `${HOST}/markets/rates-hold`,
    title: 'Central bank holds rates steady',
    published_at: '2026-03-04T09:30:00.000Z',
    text: 'The central bank kept its main rate at 4 percent on Wednesday. "We will keep measuring and report what we find," said Dana Okafor, head of research at Quarry Partners. Inflation eased to 2.9 percent.',
  },
  {
    id: 2,
    url: `${HOST}/energy/wind-z%C3%BCrich`,
    title: 'Zürich utility signs wind deal',
    published_at: '2026-02-27T18:00:00.000Z',
    text: 'ewz, the Zürich utility, signed a 15-year contract for offshore wind power. The deal covers about 12 percent of the city’s demand, the company said.',
  },
  {
    id: 3,
    url: `${HOST}/tech/chips`,
    title: '東京の半導体工場が稼働',
    published_at: null,
    text: 'A chip plant near Tokyo started production. Output will reach 40,000 wafers a month by the end of the year, the operator said.',
  },
];

export const UNRETRIEVED: ScoreArticle = {
  id: 4,
  url: `${HOST}/markets/bond-yields`,
  title: 'Bond yields fall after jobs data',
  published_at: '2026-03-06T12:00:00.000Z',
  text: 'Ten-year yields fell 12 basis points after weaker jobs data.',
};

export function context(over: Partial<ScoreContext> = {}): ScoreContext {
  return {
    query: 'What did the central bank decide about rates?',
    reference: null,
    articles: RETRIEVED,
    corpus: new Map([[UNRETRIEVED.url, UNRETRIEVED]]),
    execution_time_ms: 1200,
    first_token_ms: 300,
    cost_usd: 0.0042,
    ...over,
  };
}

/** About 200 kB of plain text, then `tail`. */
export function big(tail = ''): string {
  const line = 'The quarterly report covered lending, deposits and the outlook for the year ahead.\n';
  return line.repeat(Math.ceil(200_000 / line.length)) + tail;
}
