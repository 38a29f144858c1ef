import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, signIn, startTestApp } from '../../../test/helpers/app';
import { dialects } from '../../../test/helpers/databases';
import { bootstrap } from '../bootstrap';
import { importArticles } from './import';
import { generateSampleCorpus, SAMPLE_HOST } from './sample';

const now = new Date('2026-01-15T12:00:00.000Z');
const eighteenMonthsBefore = new Date('2024-07-15T00:00:00.000Z');

describe('sample corpus generator', () => {
  const corpus = generateSampleCorpus({ now });
  const byTopic = new Map<string, typeof corpus>();
  for (const a of corpus) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a]);

  it('has at least six topics of 120+ articles, including AI Adoption and Financial Markets', () => {
    expect(byTopic.size).toBeGreaterThanOrEqual(6);
    expect([...byTopic.keys()]).toEqual(expect.arrayContaining(['AI Adoption', 'Financial Markets']));
    for (const articles of byTopic.values()) expect(articles.length).toBeGreaterThanOrEqual(120);
  });

  it('varies sources, categories and sentiment within every topic', () => {
    for (const articles of byTopic.values()) {
      expect(new Set(articles.map((a) => a.sentiment))).toEqual(new Set(['positive', 'neutral', 'negative']));
      expect(new Set(articles.map((a) => a.source)).size).toBeGreaterThanOrEqual(5);
      expect(new Set(articles.map((a) => a.category)).size).toBeGreaterThanOrEqual(4);
    }
  });

  it('spreads articles over the 18 months before the reference date, at unique fake URLs', () => {
    const dates = corpus.map((a) => a.published_at).sort();
    expect(dates[0] >= eighteenMonthsBefore.toISOString()).toBe(true);
    expect(dates.at(-1)! <= now.toISOString()).toBe(true);
    // Both ends of the window are populated, not just the middle.
    expect(dates.filter((d) => d < '2024-10-01').length).toBeGreaterThan(50);
    expect(dates.filter((d) => d > '2025-10-15').length).toBeGreaterThan(50);
    expect(new Set(corpus.map((a) => a.url)).size).toBe(corpus.length);
    for (const a of corpus) expect(a.url.startsWith(`${SAMPLE_HOST}/`)).toBe(true);
  });

  it('writes multi-paragraph articles that mention what the headline is about', () => {
    for (const a of corpus.slice(0, 50)) {
      expect(a.content.split('\n\n').length).toBeGreaterThanOrEqual(4);
      expect(a.content.startsWith(`${a.title}.`)).toBe(true);
      expect(a.summary.length).toBeGreaterThan(40);
    }
  });

  it('is deterministic for a seed: the same text again, dates moving with the reference date', () => {
    expect(generateSampleCorpus({ now })).toEqual(corpus);
    const later = generateSampleCorpus({ now: new Date(now.getTime() + 86_400_000) });
    expect(later.map((a) => a.content)).toEqual(corpus.map((a) => a.content));
    expect(Date.parse(later[0].published_at) - Date.parse(corpus[0].published_at)).toBe(86_400_000);
    const otherSeed = generateSampleCorpus({ now, seed: 7 });
    expect(otherSeed.map((a) => a.title)).not.toEqual(corpus.map((a) => a.title));
  });
});

describe.each(dialects)('sample corpus loading on $dialect', ({ create }) => {
  it('loads on first start when there are no articles, flagged as sample data, and only once', async () => {
    const t = await startTestApp(await create(), { SAMPLE_CORPUS: 'true' });
    try {
      const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
      const topics = (await admin('GET', '/api/topics')).json();
      expect(topics).toHaveLength(6);
      for (const topic of topics) {
        expect(topic).toEqual({
          name: expect.any(String),
          description: expect.stringMatching(/^Sample data: /),
          article_count: 150,
          is_sample: true,
        });
      }
      await bootstrap(t.ctx);
      const again = (await admin('GET', '/api/topics')).json();
      expect(again).toEqual(topics);
      const hits = (
        await admin('GET', '/api/articles/search?q=Northwind+Bank&topic=AI+Adoption&limit=5')
      ).json();
      expect(hits.results).toHaveLength(5);
      expect(hits.results[0].title).toContain('Northwind Bank');
    } finally {
      await t.close();
    }
  });

  it('stays empty with SAMPLE_CORPUS=false and never loads into a database that has articles', async () => {
    const t = await startTestApp(await create());
    try {
      const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
      expect((await admin('GET', '/api/topics')).json()).toEqual([]);
      await importArticles(t.ctx, {
        topic: 'Mine',
        format: 'jsonl',
        text: '{"title":"Own","url":"https://own.test/1","published_at":"2025-01-01"}',
      });
      await bootstrap({ ...t.ctx, config: { ...t.ctx.config, sampleCorpus: true } });
      expect((await admin('GET', '/api/topics')).json()).toEqual([
        { name: 'Mine', description: 'Imported articles', article_count: 1, is_sample: false },
      ]);
    } finally {
      await t.close();
    }
  });
});
