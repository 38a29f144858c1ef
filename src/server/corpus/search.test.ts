import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  client,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import { snippetParts } from '../../shared/corpus';
import { AppError } from '../errors';
import * as repo from './repository';
import * as corpus from './service';

interface Fixture {
  title: string;
  published_at: string;
  content?: string;
  summary?: string;
  sentiment?: string;
  category?: string;
}

const TOPICS: Record<string, Fixture[]> = {
  Ports: [
    {
      title: 'Harbour crane upgrade finished',
      published_at: '2025-03-20T09:00:00.000Z',
      content: 'Work ended.',
    },
    {
      title: 'Quarterly shipping review',
      published_at: '2025-03-10T09:00:00.000Z',
      content:
        'Volumes rose slightly in the quarter. A crane at the north terminal broke down twice, ' +
        'and engineers replaced its motor. Officials said «nothing» changed <b>overall</b>.',
      sentiment: 'negative',
      category: 'Operations',
    },
    {
      title: 'Port authority elects new chair',
      published_at: '2025-01-05T09:00:00.000Z',
      content: 'The board met on Tuesday.',
      category: 'Governance',
    },
    {
      title: 'Dockworkers agree pay deal',
      published_at: '2024-12-31T23:00:00.000Z',
      content: 'The union accepted the offer.',
      sentiment: 'positive',
      category: 'Operations',
    },
  ],
  Farming: [
    {
      title: 'Grain harvest gets a new crane',
      published_at: '2025-02-01T09:00:00.000Z',
      content: 'Farmers welcomed it.',
    },
  ],
};

async function seed(t: TestApp): Promise<void> {
  const ids = await repo.ensureTopics(
    t.ctx.db,
    Object.keys(TOPICS).map((name) => ({
      name,
      description: `${name} news`,
      is_sample: 0,
      created_at: '2025-01-01',
    })),
  );
  let n = 0;
  const rows = Object.entries(TOPICS).flatMap(([topic, list]) =>
    list.map((a) => ({
      topic_id: ids.get(topic)!,
      title: a.title,
      url: `https://news.test/${++n}`,
      source: 'Test Wire',
      published_at: a.published_at,
      summary: a.summary ?? '',
      content: a.content ?? '',
      category: a.category ?? 'General',
      sentiment: a.sentiment ?? 'neutral',
      created_at: '2025-01-01',
    })),
  );
  await t.ctx.db.transaction().execute((trx) => repo.insertArticles(trx, rows));
}

const titles = (body: { results: { title: string }[] }) => body.results.map((r) => r.title);

describe.each(dialects)('corpus search on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;
  const get = (url: string) => admin('GET', url);

  beforeAll(async () => {
    t = await startTestApp(await create());
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    await seed(t);
  });
  afterAll(() => t.close());

  it('ranks a title match above a body match and returns the documented shape', async () => {
    const res = await get('/api/articles/search?q=crane&topic=Ports');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(titles(body)).toEqual(['Harbour crane upgrade finished', 'Quarterly shipping review']);
    expect(body.total).toBe(2);
    expect(body.results[0].rank).toBeGreaterThan(body.results[1].rank);
    expect(body.results[1]).toEqual({
      id: expect.any(Number),
      title: 'Quarterly shipping review',
      url: 'https://news.test/2',
      source: 'Test Wire',
      published_at: '2025-03-10T09:00:00.000Z',
      summary: '',
      category: 'Operations',
      sentiment: 'negative',
      topic: 'Ports',
      rank: expect.any(Number),
      snippet: expect.any(String),
    });
  });

  it('finds the same hits, ranked the same, when asked for no snippets (an Auspex turn)', async () => {
    const input = { q: 'crane motor', topic: 'Ports', limit: 50 };
    const withSnippets = await corpus.searchArticles(t.ctx, input);
    const without = await corpus.searchArticles(t.ctx, { ...input, snippets: false });
    expect(without).toEqual({
      total: withSnippets.total,
      results: withSnippets.results.map((r) => ({ ...r, snippet: '' })),
    });
    expect(withSnippets.results.some((r) => r.snippet.includes('«crane»'))).toBe(true);
  });

  it('marks matches in a plain-text snippet where « » mean nothing else', async () => {
    const body = (await get('/api/articles/search?q=crane+motor&topic=Ports')).json();
    const review = body.results.find((r: { title: string }) => r.title === 'Quarterly shipping review');
    expect(review.snippet).toContain('«crane»');
    expect(review.snippet).toContain('«motor»');
    // The article's own guillemets are shown as single ones; its markup is literal text
    // (SQLite) or dropped by the text-search parser (PostgreSQL), never a marker.
    expect(review.snippet).toContain('‹nothing›');
    expect(review.snippet).toMatch(/changed +(<b>)?overall/);
    expect(snippetParts(review.snippet).filter((p) => p.mark)).toEqual([
      { text: 'crane', mark: true },
      { text: 'motor', mark: true },
    ]);
  });

  it('searches every topic when none is named and filters by topic and date', async () => {
    expect(titles((await get('/api/articles/search?q=crane')).json())).toEqual([
      'Harbour crane upgrade finished',
      'Grain harvest gets a new crane',
      'Quarterly shipping review',
    ]);
    expect(titles((await get('/api/articles/search?q=crane&topic=Farming')).json())).toEqual([
      'Grain harvest gets a new crane',
    ]);
    expect(titles((await get('/api/articles/search?q=crane&since=2025-03-15')).json())).toEqual([
      'Harbour crane upgrade finished',
    ]);
    expect(
      titles(
        (
          await get(`/api/articles/search?q=crane&since=${encodeURIComponent('2025-02-01T09:00:00Z')}`)
        ).json(),
      ),
    ).toEqual([
      'Harbour crane upgrade finished',
      'Grain harvest gets a new crane',
      'Quarterly shipping review',
    ]);
  });

  it('ORs the words of a question and honours the limit while counting every match', async () => {
    const body = (
      await get('/api/articles/search?q=What+happened+with+the+crane+or+the+union%3F&limit=2')
    ).json();
    expect(body.total).toBe(4);
    expect(body.results).toHaveLength(2);
  });

  const nasty: [string, string, number][] = [
    ['double quote', '"', 0],
    ['single quote', "'", 0],
    ['AND', 'AND', 0],
    ['NOT', 'NOT', 0],
    ['prefix star', 'a*', 0],
    ['minus', '-x', 0],
    ['open paren', '(', 0],
    ['NEAR(', 'NEAR(', 0],
    ['column filter', 'col:val', 0],
    ['caret', '^', 0],
    ['emoji', '🙂🚢', 0],
    ['1000 characters', 'x'.repeat(1000), 0],
    ['unbalanced quote with a word', '"crane', 3],
    ['column filter on a real column', 'title:crane', 3],
    ['operators around a word', 'crane AND NOT (union OR', 4],
    ['NEAR group', 'NEAR(crane motor, 2)', 3],
    ['prefix star on a word', 'cran*', 0],
    ['tsquery syntax', "crane & !union | 'x':*", 4],
    ['SQL injection attempt', "crane'); drop table articles; --", 3],
  ];
  it.each(nasty)('answers 200 for %s', async (_name, q, total) => {
    const res = await get(`/api/articles/search?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(total);
  });

  it.each([
    ['empty q', 'q=', 400, 'q must not be empty'],
    ['q over 1000 characters', `q=${'x'.repeat(1001)}`, 400, 'q must be at most 1000 characters'],
    ['limit 0', 'q=crane&limit=0', 400, 'limit'],
    ['limit 201', 'q=crane&limit=201', 400, 'limit'],
    ['a bad since', 'q=crane&since=last+week', 400, 'since must be a date'],
    ['an unknown topic', 'q=crane&topic=Nope', 404, 'Topic "Nope" not found'],
  ])('refuses %s', async (_name, query, status, detail) => {
    const res = await get(`/api/articles/search?${query}`);
    expect(res.statusCode).toBe(status);
    expect(res.json().detail).toContain(detail);
  });

  it('lists topics with counts and requires sign-in', async () => {
    expect((await get('/api/topics')).json()).toEqual([
      { name: 'Farming', description: 'Farming news', article_count: 1, is_sample: false },
      { name: 'Ports', description: 'Ports news', article_count: 4, is_sample: false },
    ]);
    const anonymous = client(t, {});
    for (const url of ['/api/topics', '/api/articles/search?q=crane']) {
      const res = await anonymous('GET', url);
      expect(res.statusCode).toBe(401);
    }
  });

  it('gives the Auspex turn full articles, newest-first fallbacks and ids in order', async () => {
    const { results } = await corpus.searchArticles(t.ctx, { q: 'crane', topic: 'Ports', limit: 1 });
    expect(results.map((r) => [r.title, r.content])).toEqual([
      ['Harbour crane upgrade finished', 'Work ended.'],
    ]);
    const newest = await corpus.topicArticles(t.ctx, 'Ports', 3);
    expect(newest.map((a) => a.published_at)).toEqual([
      '2025-03-20T09:00:00.000Z',
      '2025-03-10T09:00:00.000Z',
      '2025-01-05T09:00:00.000Z',
    ]);
    const ids = newest.map((a) => a.id);
    const byIds = await corpus.articlesByIds(t.ctx, [ids[2], 999_999, ids[0]]);
    expect(byIds.map((a) => a.id)).toEqual([ids[2], ids[0]]);
    expect(byIds[1]).toEqual(newest[0]);
  });

  it('counts sentiment per month, zeros included, ending at the newest article', async () => {
    expect(await corpus.sentimentTrends(t.ctx, 'Ports', { months: 3 })).toEqual({
      topic: 'Ports',
      months: [
        { month: '2025-01', positive: 0, neutral: 1, negative: 0, total: 1 },
        { month: '2025-02', positive: 0, neutral: 0, negative: 0, total: 0 },
        { month: '2025-03', positive: 0, neutral: 1, negative: 1, total: 2 },
      ],
    });
    const year = await corpus.sentimentTrends(t.ctx, 'Ports');
    expect(year.months).toHaveLength(12);
    expect(year.months.at(-4)).toEqual({ month: '2024-12', positive: 1, neutral: 0, negative: 0, total: 1 });
  });

  it('counts categories, largest first', async () => {
    expect(await corpus.categoryCounts(t.ctx, 'Ports')).toEqual([
      { category: 'Operations', count: 2 },
      { category: 'General', count: 1 },
      { category: 'Governance', count: 1 },
    ]);
  });

  it('refuses a since that is not a date with a 400 AppError', async () => {
    await expect(corpus.searchArticles(t.ctx, { q: 'crane', limit: 5, since: 'soon' })).rejects.toMatchObject(
      {
        status: 400,
        message: 'since "soon" is not a date',
      },
    );
  });

  it('answers an unknown topic with a 404 AppError naming it', async () => {
    for (const call of [
      () => corpus.getTopic(t.ctx, 'Nope'),
      () => corpus.topicArticles(t.ctx, 'Nope', 5),
      () => corpus.sentimentTrends(t.ctx, 'Nope'),
      () => corpus.categoryCounts(t.ctx, 'Nope'),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 404, message: 'Topic "Nope" not found' });
      await expect(call()).rejects.toBeInstanceOf(AppError);
    }
    expect(await corpus.getTopic(t.ctx, 'Ports')).toEqual({
      id: expect.any(Number),
      name: 'Ports',
      description: 'Ports news',
      is_sample: false,
      article_count: 4,
    });
  });
});
