import type { Sentiment } from '../../shared/corpus';
import type { AppContext } from '../context';
import { nowIso } from '../context';
import * as repo from './repository';
import {
  CONTEXT,
  FIRMS,
  FIRST_NAMES,
  LAST_NAMES,
  OUTLOOK,
  QUARTERS,
  QUOTES,
  ROLES,
  SOURCES,
  TOPICS,
  type TopicSpec,
} from './sample-data';

// The sample corpus: deterministic for a given seed and reference date, so tests, demos and the
// benchmark all see the same articles. Dates spread over the 18 months before `now`.

export const SAMPLE_SEED = 1729;
export const SAMPLE_PER_TOPIC = 150;
export const SAMPLE_HOST = 'https://sample.auspex.invalid';
const SPAN_MS = 548 * 86_400_000; // 18 months

export interface SampleArticle {
  topic: string;
  title: string;
  url: string;
  source: string;
  published_at: string;
  summary: string;
  content: string;
  category: string;
  sentiment: Sentiment;
}

export interface SampleOptions {
  seed?: number;
  perTopic?: number;
  now?: Date;
}

/** mulberry32: a tiny, well-mixed 32-bit PRNG; enough for reproducible sample text. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, so each topic draws from its own stream and adding a topic changes no other. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The articles of one topic, generated lazily (the benchmark draws 100,000 of them). */
export function* sampleArticles(spec: TopicSpec, opts: SampleOptions = {}): Generator<SampleArticle> {
  const rand = prng((opts.seed ?? SAMPLE_SEED) ^ hash(spec.slug));
  const count = opts.perTopic ?? SAMPLE_PER_TOPIC;
  const now = (opts.now ?? new Date()).getTime();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const width = Math.max(4, String(count).length);

  for (let i = 0; i < count; i++) {
    const age = rand(); // 0 = newest
    const published = new Date(Math.floor((now - age * SPAN_MS) / 60_000) * 60_000);
    const pPositive = 0.35 + spec.positiveDrift * (0.5 - age);
    const roll = rand();
    const sentiment: Sentiment =
      roll < pPositive ? 'positive' : roll < pPositive + 0.35 ? 'neutral' : 'negative';
    const actor = pick(spec.actors);
    let actor2 = pick(spec.actors);
    if (actor2 === actor) actor2 = spec.actors[(spec.actors.indexOf(actor) + 1) % spec.actors.length];
    const vars: Record<string, string> = {
      actor,
      actor2,
      subject: pick(spec.subjects),
      place: pick(spec.places),
      category: pick(spec.categories),
      person: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`,
      role: pick(ROLES),
      firm: pick(FIRMS),
      source: pick(SOURCES),
    };
    // Figures are drawn afresh at each use so one article does not repeat the same number.
    const figures: Record<string, () => string> = {
      pct: () => String(int(3, 78)),
      n: () => String(int(2, 24)),
      n2: () => String(int(25, 60)),
      big: () => (int(12, 4800) * 100).toLocaleString('en-US'),
      money: () => `$${int(11, 99) / 10} ${rand() < 0.6 ? 'million' : 'billion'}`,
      quarter: () => pick(QUARTERS),
    };
    const fill = (template: string) =>
      capitalize(template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? figures[k]?.() ?? k));
    // Each sentence at most once per article.
    const used = new Set<string>();
    const draw = (xs: readonly string[]) => {
      const fresh = xs.filter((x) => !used.has(x));
      const chosen = pick(fresh.length > 0 ? fresh : xs);
      used.add(chosen);
      return fill(chosen);
    };
    const facts = spec.facts[sentiment];
    const title = draw(spec.headlines[sentiment]);
    const lead = `${draw(facts)} ${draw(CONTEXT)}`;
    const paragraphs = [
      `${title}. ${lead}`,
      [draw(facts), draw(spec.facts.neutral), draw(CONTEXT)].join(' '),
      draw(QUOTES[sentiment]),
      [draw(spec.facts.neutral), draw(CONTEXT), draw(facts)].join(' '),
      [draw(QUOTES.neutral), draw(OUTLOOK)].join(' '),
    ];
    yield {
      topic: spec.name,
      title,
      url: `${SAMPLE_HOST}/${spec.slug}/${String(i + 1).padStart(width, '0')}-${slugify(title)}`,
      source: vars.source,
      published_at: published.toISOString(),
      summary: lead,
      content: paragraphs.join('\n\n'),
      category: vars.category,
      sentiment,
    };
  }
}

/** The whole sample corpus, topic by topic. */
export function generateSampleCorpus(opts: SampleOptions = {}): SampleArticle[] {
  return TOPICS.flatMap((spec) => [...sampleArticles(spec, opts)]);
}

/**
 * Writes sample topics (flagged is_sample) and articles in one transaction with multi-row
 * inserts. Returns how many articles were inserted (URLs already present are skipped).
 */
export async function loadSampleCorpus(ctx: AppContext, opts: SampleOptions = {}): Promise<number> {
  const createdAt = nowIso();
  return ctx.db.transaction().execute(async (trx) => {
    const ids = await repo.ensureTopics(
      trx,
      TOPICS.map((t) => ({ name: t.name, description: t.description, is_sample: 1, created_at: createdAt })),
    );
    const rows = generateSampleCorpus(opts).map(({ topic, ...a }) => ({
      ...a,
      topic_id: ids.get(topic)!,
      created_at: createdAt,
    }));
    return repo.insertArticles(trx, rows);
  });
}

/** First start: load the sample corpus when the database has no articles, unless SAMPLE_CORPUS=false. */
export async function loadSampleCorpusIfEmpty(ctx: AppContext): Promise<number> {
  if (!ctx.config.sampleCorpus) return 0;
  if ((await repo.countArticles(ctx.db)) > 0) return 0;
  const started = performance.now();
  const loaded = await loadSampleCorpus(ctx);
  ctx.log.info(
    `Loaded sample corpus: ${loaded} articles in ${TOPICS.length} topics (${Math.round(performance.now() - started)} ms)`,
  );
  return loaded;
}
