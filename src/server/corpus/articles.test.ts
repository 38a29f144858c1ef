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
import * as repo from './repository';
import { SAMPLE_HOST } from './sample';

// GET /api/articles/{id} (the in-app article view) and GET /api/articles?ids= (what a chat answer
// needs to turn its citations into in-app links).

async function seed(t: TestApp): Promise<{ real: number; sample: number }> {
  const topics = await repo.ensureTopics(t.ctx.db, [
    { name: 'Ports', description: 'Ports news', is_sample: 0, created_at: '2025-01-01' },
    { name: 'Demo', description: 'Generated', is_sample: 1, created_at: '2025-01-01' },
  ]);
  const base = {
    source: 'Test Wire',
    summary: 'A summary.',
    category: 'Operations',
    sentiment: 'neutral',
    created_at: '2025-01-01',
  };
  await t.ctx.db.transaction().execute((trx) =>
    repo.insertArticles(trx, [
      {
        ...base,
        topic_id: topics.get('Ports')!,
        title: 'Harbour crane upgrade finished',
        url: 'https://news.example.com/ports/crane',
        published_at: '2025-03-20T09:00:00.000Z',
        content: 'Work ended. The crane lifts twice as much.',
      },
      {
        ...base,
        topic_id: topics.get('Demo')!,
        title: 'A generated article',
        url: `${SAMPLE_HOST}/demo/001-a-generated-article`,
        published_at: '2025-02-01T09:00:00.000Z',
        content: 'Nothing here is real.',
        sentiment: 'positive',
      },
    ]),
  );
  const rows = await t.ctx.db.selectFrom('articles').select(['id', 'title']).orderBy('id').execute();
  return { real: rows[0].id, sample: rows[1].id };
}

describe.each(dialects)('article API on $dialect', ({ create }) => {
  let t: TestApp;
  let admin: Client;
  let member: Client;
  let ids: { real: number; sample: number };

  beforeAll(async () => {
    t = await startTestApp(await create());
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    member = await memberClient(t, admin, 'reader');
    ids = await seed(t);
  });
  afterAll(() => t?.close());

  it('shows a stored article in full, with the original URL', async () => {
    const res = await member('GET', `/api/articles/${ids.real}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: ids.real,
      title: 'Harbour crane upgrade finished',
      url: 'https://news.example.com/ports/crane',
      original_url: 'https://news.example.com/ports/crane',
      source: 'Test Wire',
      published_at: '2025-03-20T09:00:00.000Z',
      summary: 'A summary.',
      content: 'Work ended. The crane lifts twice as much.',
      category: 'Operations',
      sentiment: 'neutral',
      topic: 'Ports',
      is_sample: false,
    });
  });

  it('marks a sample article as sample data with no reachable original', async () => {
    const res = await member('GET', `/api/articles/${ids.sample}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: ids.sample,
      url: `${SAMPLE_HOST}/demo/001-a-generated-article`,
      original_url: null,
      topic: 'Demo',
      is_sample: true,
    });
  });

  it.each([
    ['an unknown id', '999999', 404, 'Article 999999 not found'],
    ['an id past 2^31-1', '2147483648', 404, 'Article 0 not found'],
    ['an id far past 2^53', '99999999999999999999999', 404, 'Article 0 not found'],
    ['a non-numeric id', 'abc', 400, 'id must be a positive integer'],
    ['zero', '0', 400, 'id must be a positive integer'],
  ])('answers %s with %i', async (_name, id, status, detail) => {
    const res = await member('GET', `/api/articles/${id}`);
    expect(res.statusCode).toBe(status);
    expect(res.json().detail).toContain(detail);
  });

  it('looks articles up by id in the order asked, leaving unknown ids out', async () => {
    const res = await member('GET', `/api/articles?ids=${ids.sample},999999,${ids.real},${ids.sample}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      articles: [
        {
          id: ids.sample,
          title: 'A generated article',
          url: `${SAMPLE_HOST}/demo/001-a-generated-article`,
          source: 'Test Wire',
          published_at: '2025-02-01T09:00:00.000Z',
          topic: 'Demo',
        },
        {
          id: ids.real,
          title: 'Harbour crane upgrade finished',
          url: 'https://news.example.com/ports/crane',
          source: 'Test Wire',
          published_at: '2025-03-20T09:00:00.000Z',
          topic: 'Ports',
        },
      ],
    });
  });

  it.each([
    ['no ids', ''],
    ['a word', 'ids=1,two'],
    ['an empty item', 'ids=1,,2'],
    ['more than 200 ids', `ids=${Array.from({ length: 201 }, (_, i) => i + 1).join(',')}`],
  ])('refuses %s with a 400', async (_name, query) => {
    const res = await member('GET', `/api/articles?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/ids/);
  });

  it('requires sign-in', async () => {
    const anonymous = client(t, {});
    for (const url of [`/api/articles/${ids.real}`, `/api/articles?ids=${ids.real}`]) {
      expect((await anonymous('GET', url)).statusCode).toBe(401);
    }
  });
});
