import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import type { ImportFormat } from '../../shared/corpus';
import { IMPORT_BATCH, importArticles } from './import';
import * as corpus from './service';

// Each file: two good records, a duplicate URL and malformed records on known lines.
const JSONL = [
  '{"title":"Alpha","url":"https://ex.test/a","published_at":"2025-01-02","content":"alpha body"}',
  '',
  '{"Title":"Beta","link":"https://ex.test/b","date":"2025-01-03T10:00:00+02:00","summary":"bee","sentiment":"Positive","category":"Tech"}',
  '{"title":"Alpha again","url":"https://ex.test/a","published_at":"2025-01-04"}',
  '{"title":"Gamma","url":"ftp://ex.test/c","published_at":"2025-01-05"}',
  '{"title": "Delta",',
  '{"title":"Epsilon","url":"https://ex.test/e","published_at":"soon"}',
  '["not", "an", "object"]',
].join('\n');

const CSV = [
  'Title,URL,published_at,content,sentiment',
  'Alpha,https://ex.test/a,2025-01-02,alpha body,neutral',
  '"Beta, with a comma",https://ex.test/b,2025-01-03,"two',
  'lines",0.8',
  'Alpha again,https://ex.test/a,2025-01-04,dup,neutral',
  'Gamma,https://ex.test/c,2025-01-05,too,many,columns',
  'Delta,https://ex.test/d,2025-01-06,bad sentiment,ecstatic',
  'Epsilon,,2025-01-07,"no url',
  'and two lines",neutral',
].join('\n');

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Example Wire</title>
    <item>
      <title>Alpha</title>
      <link>https://ex.test/a</link>
      <pubDate>Thu, 02 Jan 2025 08:00:00 GMT</pubDate>
      <description>&lt;p&gt;Alpha &amp;amp; &lt;b&gt;friends&lt;/b&gt;&lt;/p&gt;</description>
      <category>Tech</category>
    </item>
    <item>
      <title>Beta</title>
      <link>https://ex.test/b</link>
      <pubDate>Fri, 03 Jan 2025 08:00:00 GMT</pubDate>
      <content:encoded><![CDATA[<p>Beta body</p><script>alert(1)</script><p>second</p>]]></content:encoded>
    </item>
    <item>
      <title>Alpha again</title>
      <link>https://ex.test/a</link>
      <pubDate>Sat, 04 Jan 2025 08:00:00 GMT</pubDate>
    </item>
    <item>
      <title>No link</title>
      <pubDate>Sun, 05 Jan 2025 08:00:00 GMT</pubDate>
    </item>
    <item><title>Bad date</title><link>https://ex.test/e</link><pubDate>someday</pubDate></item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Example</title>
  <entry>
    <title type="html">Alpha</title>
    <link rel="self" href="https://ex.test/self"/>
    <link rel="alternate" href="https://ex.test/a"/>
    <published>2025-01-02T08:00:00Z</published>
    <summary>alpha summary</summary>
    <category term="Tech"/>
  </entry>
  <entry>
    <title>Beta</title>
    <link href="https://ex.test/b"/>
    <updated>2025-01-03T08:00:00Z</updated>
    <content type="html">&lt;p&gt;Beta body&lt;/p&gt;</content>
  </entry>
  <entry><title>Alpha again</title><link href="https://ex.test/a"/><updated>2025-01-04T08:00:00Z</updated></entry>
  <entry>
    <link href="https://ex.test/untitled"/>
    <updated>2025-01-05T08:00:00Z</updated>
  </entry>
</feed>`;

const cases: {
  name: string;
  format: ImportFormat;
  text: string;
  errors: { line: number; message: string }[];
}[] = [
  {
    name: 'JSONL',
    format: 'jsonl',
    text: JSONL,
    errors: [
      { line: 5, message: 'url: must be an http(s) URL' },
      { line: 6, message: expect.stringMatching(/^invalid JSON: /) },
      { line: 7, message: 'published_at: "soon" is not a date' },
      { line: 8, message: 'expected a JSON object' },
    ],
  },
  {
    name: 'CSV',
    format: 'csv',
    text: CSV,
    errors: [
      { line: 6, message: expect.stringContaining('Invalid Record Length') },
      { line: 7, message: 'sentiment: must be positive, neutral or negative' },
      { line: 8, message: 'url: is required' },
    ],
  },
  {
    name: 'RSS',
    format: 'rss',
    text: RSS,
    errors: [
      { line: 23, message: 'url: is required' },
      { line: 27, message: 'published_at: "someday" is not a date' },
    ],
  },
  {
    name: 'Atom',
    format: 'rss',
    text: ATOM,
    errors: [{ line: 19, message: 'title: is required' }],
  },
];

/** URLs are unique across the database, so each import gets its own host. */
const hosted = (text: string, host: string) => text.replaceAll('ex.test', host);

describe.each(dialects)('corpus import on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;

  beforeAll(async () => {
    t = await startTestApp(await create());
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  });
  afterAll(() => t.close());

  it.each(cases)('imports $name, skipping the duplicate and reporting malformed lines', async (c) => {
    const topic = `Import ${c.name}`;
    const host = `${c.name.toLowerCase()}.test`;
    const result = await importArticles(t.ctx, { topic, format: c.format, text: hosted(c.text, host) });
    expect(result).toEqual({
      imported: 2,
      skipped_duplicates: 1,
      errors: c.errors,
      error_count: c.errors.length,
    });
    const stored = await corpus.topicArticles(t.ctx, topic, 10);
    expect(stored.map((a) => [a.title, a.url])).toEqual([
      [expect.stringMatching(/^Beta/), `https://${host}/b`],
      ['Alpha', `https://${host}/a`],
    ]);
  });

  it('stores normalised fields', async () => {
    const [beta, alpha] = await corpus.topicArticles(t.ctx, 'Import JSONL', 10);
    expect(beta).toEqual({
      id: expect.any(Number),
      title: 'Beta',
      url: 'https://jsonl.test/b',
      source: '',
      published_at: '2025-01-03T08:00:00.000Z',
      summary: 'bee',
      content: 'bee',
      category: 'Tech',
      sentiment: 'positive',
      topic: 'Import JSONL',
    });
    expect(alpha).toMatchObject({ summary: 'alpha body', category: 'uncategorized', sentiment: 'neutral' });
    const [csvBeta] = await corpus.topicArticles(t.ctx, 'Import CSV', 1);
    expect(csvBeta).toMatchObject({
      title: 'Beta, with a comma',
      content: 'two\nlines',
      sentiment: 'positive',
    });
  });

  it('turns feed HTML into plain text and names the feed as source', async () => {
    const [beta, alpha] = await corpus.topicArticles(t.ctx, 'Import RSS', 10);
    expect(alpha).toMatchObject({ summary: 'Alpha & friends', source: 'Example Wire', category: 'Tech' });
    expect(beta).toMatchObject({ content: 'Beta body\n\nsecond', summary: 'Beta body second' });
    const [, atomAlpha] = await corpus.topicArticles(t.ctx, 'Import Atom', 10);
    expect(atomAlpha).toMatchObject({ url: 'https://atom.test/a', source: 'Atom Example', category: 'Tech' });
  });

  it('skips URLs already in the database and reports progress per batch', async () => {
    const again = await importArticles(t.ctx, {
      topic: 'Import JSONL',
      format: 'jsonl',
      text: hosted(JSONL, 'jsonl.test'),
    });
    expect(again).toMatchObject({ imported: 0, skipped_duplicates: 3 });

    const rows = Array.from({ length: IMPORT_BATCH * 2 + 3 }, (_, i) =>
      JSON.stringify({ title: `Bulk ${i}`, url: `https://bulk.test/${i}`, published_at: '2025-02-01' }),
    );
    const progress: [number, number][] = [];
    const bulk = await importArticles(t.ctx, {
      topic: 'Bulk',
      format: 'jsonl',
      text: rows.join('\n'),
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(bulk).toEqual({ imported: 1003, skipped_duplicates: 0, errors: [], error_count: 0 });
    expect(progress).toEqual([
      [500, 1003],
      [1000, 1003],
      [1003, 1003],
    ]);
  });

  it('refuses files it cannot read at all with a 400', async () => {
    for (const [format, text, detail] of [
      ['rss', '<rss><channel><item></channel></rss>', 'Feed is not well-formed XML (line 1)'],
      ['rss', '<html><body>hi</body></html>', 'Not an RSS or Atom feed'],
    ] as const) {
      await expect(importArticles(t.ctx, { topic: 'Broken', format, text })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining(detail),
      });
    }
  });

  const topicNames = async () => (await corpus.listTopics(t.ctx)).map((x) => x.name);
  const EMPTY_FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title></channel></rss>';
  const EMPTY_ATOM = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>';

  it.each([
    ['a header-only CSV', 'csv', 'Title,URL,published_at,content\n', 'no rows after its header'],
    ['an empty JSONL', 'jsonl', '\n\n  \n', 'no records'],
    ['an RSS feed without items', 'rss', EMPTY_FEED, 'no items or entries'],
    ['an Atom feed without entries', 'rss', EMPTY_ATOM, 'no items or entries'],
  ] as const)('refuses %s with a 400 and creates no topic', async (_name, format, text, detail) => {
    const topic = `Empty ${format} ${text.length}`;
    await expect(importArticles(t.ctx, { topic, format, text })).rejects.toMatchObject({
      status: 400,
      message: `Nothing to import: the ${detail.startsWith('no items') ? 'feed has' : `${format.toUpperCase()} file has`} ${detail}`,
    });
    expect(await topicNames()).not.toContain(topic);
  });

  it('creates no topic when every record is malformed, and says why by line', async () => {
    const result = await importArticles(t.ctx, {
      topic: 'All bad',
      format: 'jsonl',
      text: '{"title":"A","url":"ftp://x.test/a","published_at":"2025-01-01"}\nnot json',
    });
    expect(result).toMatchObject({ imported: 0, error_count: 2 });
    expect(await topicNames()).not.toContain('All bad');
  });

  it('refuses impossible and out-of-range dates by line, keeps real ones', async () => {
    const dates: [unknown, string | null][] = [
      ['2026-02-30', 'is not a date'],
      ['2025-13-01', 'is not a date'],
      ['2025/02/30', 'is not a date'],
      ['Thu, 30 Feb 2025 08:00:00 GMT', 'is not a date'],
      ['Feb 30, 2025', 'is not a date'],
      ['2023-02-29T10:00:00Z', 'is not a date'],
      ['+275760-09-13', 'is outside the years 1900–2100'],
      ['1899-12-31', 'is outside the years 1900–2100'],
      ['2101-01-01', 'is outside the years 1900–2100'],
      [1e15, 'is outside the years 1900–2100'],
      ['2024-02-29', null],
      ['Sat, 29 Feb 2020 08:00:00 GMT', null],
      ['2025-01-03T01:00:00+02:00', null],
      ['Jan 2, 2025 00:00 GMT', null],
      [1735776000, null],
    ];
    const text = dates
      .map(([d], i) => JSON.stringify({ title: `D${i}`, url: `https://dates.test/${i}`, published_at: d }))
      .join('\n');
    const result = await importArticles(t.ctx, { topic: 'Dates', format: 'jsonl', text });
    expect(result.errors).toEqual(
      dates.flatMap(([d, why], i) =>
        why ? [{ line: i + 1, message: `published_at: "${String(d).slice(0, 40)}" ${why}` }] : [],
      ),
    );
    expect(result.imported).toBe(dates.filter(([, why]) => why === null).length);
    const stored = (await corpus.topicArticles(t.ctx, 'Dates', 10)).map((a) => a.published_at).sort();
    expect(stored).toEqual([
      '2020-02-29T08:00:00.000Z',
      '2024-02-29T00:00:00.000Z',
      '2025-01-02T00:00:00.000Z',
      '2025-01-02T00:00:00.000Z',
      '2025-01-02T23:00:00.000Z',
    ]);
  });

  it.each([
    ['title', { title: 'A\u0000B' }],
    ['url', { url: 'https://nul.test/x\u0000' }],
    ['content', { content: 'body \u0000 text' }],
    ['summary', { summary: '\u0000' }],
    ['source', { source: 'Wire\u0000' }],
    ['published_at', { published_at: '2025-01-01\u0000' }],
  ])('refuses a row with NUL in %s by line, imports the rest', async (field, over) => {
    const good = (i: number) => ({
      title: `N${i}`,
      url: `https://nul-${field}.test/${i}`,
      published_at: '2025-01-01',
    });
    const text = [good(1), { ...good(2), ...over }, good(3)].map((r) => JSON.stringify(r)).join('\n');
    const result = await importArticles(t.ctx, { topic: `NUL ${field}`, format: 'jsonl', text });
    expect(result).toEqual({
      imported: 2,
      skipped_duplicates: 0,
      errors: [{ line: 2, message: `${field}: must not contain NUL characters (\\u0000)` }],
      error_count: 1,
    });
  });

  describe('POST /api/admin/import', () => {
    const post = (c: Client, query: string, body: string, type: string) =>
      c('POST', `/api/admin/import?${query}`, body, { 'content-type': type });

    it('imports the raw body, taking the format from the query or the media type', async () => {
      const jsonl = await post(
        admin,
        'topic=Via+API&format=jsonl',
        hosted(JSONL, 'api.test'),
        'application/x-ndjson',
      );
      expect(jsonl.statusCode).toBe(200);
      expect(jsonl.json()).toMatchObject({ imported: 2, skipped_duplicates: 1, error_count: 4 });
      const csv = await post(admin, 'topic=Via+API+CSV', hosted(CSV, 'api-csv.test'), 'text/csv');
      expect(csv.json()).toMatchObject({ imported: 2, error_count: 3 });
      const atom = await post(
        admin,
        'topic=Via+API+Atom',
        hosted(ATOM, 'api-atom.test'),
        'application/atom+xml; charset=utf-8',
      );
      expect(atom.json()).toMatchObject({ imported: 2, error_count: 1 });
      const topics = (await admin('GET', '/api/topics')).json();
      expect(topics).toContainEqual({
        name: 'Via API',
        description: 'Imported articles',
        article_count: 2,
        is_sample: false,
      });
    });

    it.each([
      ['text/plain without a format', 'topic=X', 'a', 'text/plain', 400, 'format is required'],
      ['an empty body', 'topic=X&format=csv', '', 'text/csv', 400, 'empty'],
      ['an unknown format', 'topic=X&format=pdf', 'a', 'text/plain', 400, 'querystring.format'],
      ['a missing topic', 'format=csv', 'a', 'text/csv', 400, 'querystring.topic'],
      ['JSON', 'topic=X&format=jsonl', '{}', 'application/json', 400, 'Content-Type'],
      ['bad XML', 'topic=X', '<rss><channel>', 'application/rss+xml', 400, 'not well-formed'],
      ['a header-only CSV', 'topic=X', 'title,url,published_at\r\n', 'text/csv', 400, 'Nothing to import'],
      ['an empty feed', 'topic=X', EMPTY_FEED, 'application/rss+xml', 400, 'Nothing to import'],
    ])('answers %s with a clear 4xx', async (_name, query, body, type, status, detail) => {
      const res = await post(admin, query, body, type);
      expect(res.statusCode).toBe(status);
      expect(res.json().detail).toContain(detail);
    });

    it('reports a NUL in a CSV row by line instead of failing the request', async () => {
      const csv =
        'title,url,published_at\nOk,https://nul-api.test/1,2025-01-01\nBad\u0000,https://nul-api.test/2,2025-01-01\n';
      const res = await post(admin, 'topic=NUL+via+API', csv, 'text/csv');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        imported: 1,
        errors: [{ line: 3, message: 'title: must not contain NUL characters (\\u0000)' }],
      });
      expect(await topicNames()).not.toContain('X');
    });

    it('accepts files over the 1 MB default up to 20 MB', async () => {
      const big = Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({
          title: `Big ${i}`,
          url: `https://big.test/${i}`,
          published_at: '2025-03-01',
          content: 'x'.repeat(400),
        }),
      ).join('\n');
      expect(big.length).toBeGreaterThan(1024 * 1024);
      const ok = await post(admin, 'topic=Big&format=jsonl', big, 'application/x-ndjson');
      expect(ok.json()).toMatchObject({ imported: 3000 });
      const tooBig = await post(
        admin,
        'topic=Big&format=jsonl',
        'x'.repeat(20 * 1024 * 1024 + 1),
        'text/plain',
      );
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json()).toEqual({ detail: 'Import file is larger than 20 MB' });
    });

    it('is for administrators only', async () => {
      const member = await memberClient(t, admin, 'importer');
      const res = await post(member, 'topic=X&format=jsonl', JSONL, 'application/x-ndjson');
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ detail: 'Administrator role required' });
      const anonymous = await post(client(t, {}), 'topic=X&format=jsonl', JSONL, 'application/x-ndjson');
      expect(anonymous.statusCode).toBe(401);
      expect((await admin('GET', '/api/topics')).json().map((x: { name: string }) => x.name)).not.toContain(
        'X',
      );
    });
  });
});
