import { createParser } from 'eventsource-parser';
import type { AppContext } from '../../src/server/context';
import { importArticles } from '../../src/server/corpus/import';

// Shared by the Auspex tests and the TTFT benchmark: a deterministic article set and an SSE reader.

export interface FixtureArticle {
  title: string;
  url: string;
  published_at: string;
  source: string;
  summary: string;
  content: string;
  category: string;
  sentiment: 'positive' | 'neutral' | 'negative';
}

const SOURCES = ['Reuters', 'Financial Times', 'The Verge', 'Bloomberg', 'Wired'];
const CATEGORIES = ['industry', 'policy', 'research'];
const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;

/**
 * `n` articles about `subject`; article i's content repeats a sentence `size` times, so tests
 * control how many tokens each one costs. Dates step back one day from 2025-06-30.
 */
export function fixtureArticles(subject: string, n: number, size = 3, slug = subject): FixtureArticle[] {
  return Array.from({ length: n }, (_, i) => {
    const date = new Date(Date.UTC(2025, 5, 30 - i, 12));
    const sentence = `Report ${i + 1} on ${subject}: companies describe pilots, budgets and staff training in detail. `;
    return {
      title: `${subject} report ${i + 1}`,
      url: `https://news.example.com/${slug.toLowerCase().replace(/\W+/g, '-')}/${i + 1}`,
      published_at: date.toISOString(),
      source: SOURCES[i % SOURCES.length],
      summary: `Summary ${i + 1}: what ${subject} looked like in week ${i + 1}.`,
      content: sentence.repeat(size),
      category: CATEGORIES[i % CATEGORIES.length],
      sentiment: SENTIMENTS[i % SENTIMENTS.length],
    };
  });
}

/** Loads articles into a topic through the corpus importer (JSON Lines). */
export async function loadArticles(
  ctx: AppContext,
  topic: string,
  articles: FixtureArticle[],
): Promise<void> {
  const result = await importArticles(ctx, {
    topic,
    format: 'jsonl',
    text: articles.map((a) => JSON.stringify(a)).join('\n'),
  });
  if (result.error_count > 0) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
}

/** Parses a complete SSE body into its JSON `data` events, in order. */
export function sseEvents(body: string): Record<string, any>[] {
  const events: Record<string, any>[] = [];
  const parser = createParser({ onEvent: (e) => events.push(JSON.parse(e.data)) });
  parser.feed(body);
  return events;
}
