import { describe, expect, it } from 'vitest';
import { context, HOST, UNRETRIEVED } from '../../../../../test/scoring/fixtures';
import { citedArticleIds, citedUrls, groundingReport, normalizeUrl, parseCitations } from '../citations';

// Citation grounding on whole answers: the full report compared, every citation's status and
// reason, precision, invented URLs, coverage, quotes and dates.

/** Start and end of the first `part` at or after `from`. */
function span(text: string, part: string, from = 0): { start: number; end: number } {
  const start = text.indexOf(part, from);
  if (start < 0) throw new Error(`no ${part} in the text`);
  return { start, end: start + part.length };
}

describe('groundingReport', () => {
  const link1 = `[Central bank holds rates steady](${HOST}/markets/rates-hold)`;
  const link2 = '[Bond yields](https://NEWS.example/markets/bond-yields/?utm_source=x#top)';
  const quote1 = '"We will keep measuring and report what we find,"';
  const quote2 = '"we will stop measuring and report nothing at all"';
  const answer = [
    '## Summary',
    `The central bank held rates at 4 percent ${link1} (2026-03-04). Bond yields fell on 6 March 2026 ${link2}.`,
    '',
    'An unsourced paragraph about the outlook.',
    '',
    `- ${quote1} said Dana Okafor [1].`,
    `- Okafor said ${quote2} [1].`,
    '- A made-up claim https://fake.example/story.',
    '- The Zürich utility deal (February 26, 2026) [2]',
    '',
    '## Sources',
    `[1]: ${HOST}/markets/rates-hold`,
    `[2]: ${HOST}/energy/wind-zürich`,
  ].join('\n');

  it('grades retrieved, unretrieved and invented citations, footnotes, a misquote and a wrong date', () => {
    const m1 = span(answer, '[1]');
    const m2 = span(answer, '[1]', m1.end);
    const m3 = span(answer, '[2]');
    const grounded = { status: 'grounded', reason: 'retrieved for this answer' } as const;
    expect(groundingReport(answer, context())).toEqual({
      citations: [
        {
          url: `${HOST}/markets/rates-hold`,
          ...span(answer, link1),
          kind: 'link',
          article_id: 1,
          ...grounded,
        },
        {
          url: `${HOST}/markets/bond-yields`,
          ...span(answer, link2),
          kind: 'link',
          status: 'unretrieved',
          article_id: 4,
          reason: 'in the corpus, but not retrieved for this answer',
        },
        { url: `${HOST}/markets/rates-hold`, ...m1, kind: 'footnote', article_id: 1, ...grounded },
        { url: `${HOST}/markets/rates-hold`, ...m2, kind: 'footnote', article_id: 1, ...grounded },
        {
          url: 'https://fake.example/story',
          ...span(answer, 'https://fake.example/story'),
          kind: 'bare',
          status: 'invented',
          article_id: null,
          reason: 'in no article of the corpus',
        },
        { url: `${HOST}/energy/wind-zürich`, ...m3, kind: 'footnote', article_id: 2, ...grounded },
      ],
      precision: 4 / 6,
      invented_urls: ['https://fake.example/story'],
      // One paragraph and four bullets of six cite; the headings and the sources do not count.
      coverage: 5 / 6,
      blocks: { total: 6, cited: 5 },
      quotes: [
        {
          text: quote1.slice(1, -1),
          ...span(answer, quote1),
          url: `${HOST}/markets/rates-hold`,
          verified: true,
          reason: 'found in the cited article',
        },
        {
          text: quote2.slice(1, -1),
          ...span(answer, quote2),
          url: `${HOST}/markets/rates-hold`,
          verified: false,
          reason: 'not in the cited article',
        },
      ],
      dates: [
        {
          text: '2026-03-04',
          ...span(answer, '2026-03-04'),
          url: `${HOST}/markets/rates-hold`,
          written: '2026-03-04',
          expected: '2026-03-04',
          matches: true,
        },
        {
          text: '6 March 2026',
          ...span(answer, '6 March 2026'),
          url: `${HOST}/markets/bond-yields`,
          written: '2026-03-06',
          expected: '2026-03-06',
          matches: true,
        },
        {
          text: 'February 26, 2026',
          ...span(answer, 'February 26, 2026'),
          url: `${HOST}/energy/wind-zürich`,
          written: '2026-02-26',
          expected: '2026-02-27',
          matches: false,
        },
      ],
    });
  });

  it('lists the URLs and in-app ids to look up', () => {
    expect(citedUrls(answer)).toEqual([
      `${HOST}/markets/rates-hold`,
      `${HOST}/markets/bond-yields`,
      'https://fake.example/story',
      `${HOST}/energy/wind-zürich`,
    ]);
    expect(citedArticleIds('See [it](/articles/3?q=chips) and [that](/articles/9).')).toEqual([3, 9]);
  });

  it('maps in-app /articles/{id} links to the article with that id', () => {
    const text = 'Chips [plant](/articles/3). Yields [fell](/articles/4). Gone [x](/articles/77).';
    const ctx = context({ corpus: new Map([[UNRETRIEVED.url, UNRETRIEVED]]) });
    expect(
      groundingReport(text, ctx).citations.map((c) => [c.url, c.status, c.article_id, c.reason]),
    ).toEqual([
      ['/articles/3', 'grounded', 3, 'retrieved for this answer'],
      ['/articles/4', 'unretrieved', 4, 'in the corpus, but not retrieved for this answer'],
      ['/articles/77', 'invented', null, 'no article 77 in the corpus'],
    ]);
  });

  it('has nothing to grade in an empty answer', () => {
    expect(groundingReport('', context())).toEqual({
      citations: [],
      precision: null,
      invented_urls: [],
      coverage: null,
      blocks: { total: 0, cited: 0 },
      quotes: [],
      dates: [],
    });
  });

  it('counts coverage per paragraph and per bullet point, not per line', () => {
    const text = [
      `A paragraph over two lines [a](${HOST}/a)`,
      'that goes on here.',
      '',
      'An uncited paragraph.',
      '',
      '- cited bullet [b](https://news.example/b)',
      '  with a continuation line',
      '- uncited bullet',
      '  - nested cited bullet <https://news.example/c>',
      '',
      '| a table | https://news.example/t |',
      '|---|---|',
      '',
      '```',
      'code https://news.example/code',
      '```',
    ].join('\n');
    const r = groundingReport(text, context());
    expect([r.coverage, r.blocks, r.citations.map((c) => c.url)]).toEqual([
      3 / 5,
      { total: 5, cited: 3 },
      [`${HOST}/a`, `${HOST}/b`, `${HOST}/c`, `${HOST}/t`],
    ]);
  });
});

describe('parseCitations', () => {
  it('reads a numbered "Title — url" list under References as citations when no marker points to it', () => {
    const text = `Rates held.\n\n### References\n1. Rates — ${HOST}/markets/rates-hold\n2. [Wind](${HOST}/energy/wind-z%C3%BCrich)\n`;
    expect(parseCitations(text).map((c) => [c.kind, c.url, c.block.kind])).toEqual([
      ['reference', `${HOST}/markets/rates-hold`, 'reference'],
      ['reference', `${HOST}/energy/wind-zürich`, 'reference'],
    ]);
  });

  it('resolves [1, 2], [^n] and "- [1] [Title](url)" entries; an unknown marker has no URL', () => {
    const text = `Rates held [1, 2] and yields fell [^y]; see also [3].\n\n**Sources:**\n- [1] [Rates](${HOST}/a), Wire, 2026-03-04\n- [2] ${HOST}/b\n\n[^y]: ${HOST}/y\n`;
    expect(parseCitations(text).map((c) => [c.kind, c.raw, c.url])).toEqual([
      ['footnote', '[1, 2]', `${HOST}/a`],
      ['footnote', '[1, 2]', `${HOST}/b`],
      ['footnote', '[^y]', `${HOST}/y`],
      ['footnote', '[3]', null],
    ]);
    expect(groundingReport(text, context()).citations[3]).toMatchObject({
      status: 'invented',
      reason: 'footnote [3] is not in the reference list',
    });
  });

  it('ignores images, code, non-http links and [n] without a reference list', () => {
    const text = `![chart](${HOST}/chart.png) [mail](mailto:a@b.c) item [2] \`x\`\n\n\`\`\`\n${HOST}/in-code\n\`\`\``;
    expect(parseCitations(text)).toEqual([]);
  });
});

describe.each([
  ['HTTPS://News.Example/a/b/?utm_source=x&utm_medium=y&id=3#frag', 'https://news.example/a/b?id=3'],
  ['https://news.example/', 'https://news.example'],
  ['https://news.example/wind-z%C3%BCrich', 'https://news.example/wind-zürich'],
  ['https://news.example/a%28b%29', 'https://news.example/a(b)'],
  ['<https://news.example/x>', 'https://news.example/x'],
  ['/articles/0042?q=claim', '/articles/42'],
  ['mailto:a@b.c', null],
  ['not a url', null],
])('normalizeUrl(%s)', (raw, want) => {
  it(`is ${want}`, () => expect(normalizeUrl(raw)).toBe(want));
});
