import { pathToFileURL } from 'node:url';
import { loadSampleCorpus } from '../src/server/corpus/sample';
import { scoreAssertions } from '../src/server/evals/assertions/score';
import type { Plan } from '../src/server/evals/scoring/plan';
import { type AnswerInput, scoreAnswer, scoreContext } from '../src/server/evals/scoring/service';
import type { Assertion } from '../src/shared/assertions';
import { startTestApp } from '../test/helpers/app';
import { freshSqlite } from '../test/helpers/databases';
import { pct } from './lib/setup';

// Issue 11's figure: scoring 5,000 stored answers with every deterministic assertion type, per
// cell, next to the very same loop with no assertions, in one run on a SQLite file with the sample
// corpus. "Per cell" is what the runner and a re-score pay: the cell's articles and the cited ones
// read from the database, the grounding report, then the checks. The checks alone (context already
// read) are shown too. Full and baseline alternate cell by cell so load falls on both alike.

const ANSWERS = 5_000;
const WARM_UP = 300;

/** One of every deterministic type, configured so each does its real work. */
const EVERY_TYPE: Assertion[] = [
  { type: 'contains', value: 'adoption' },
  { type: 'icontains', value: 'PILOT' },
  { type: 'contains-any', values: ['bank', 'insurer', 'retailer'] },
  { type: 'contains-all', values: ['AI', 'staff'], ignore_case: true },
  { type: 'equals', value: 'no', not: true },
  { type: 'starts-with', value: '## Summary' },
  { type: 'regex', pattern: '\\b(20\\d\\d-\\d\\d-\\d\\d)\\b' },
  { type: 'length', unit: 'words', min: 50, max: 2000 },
  { type: 'is-json', not: true },
  { type: 'json-schema', schema: { type: 'object', required: ['answer'] }, not: true },
  { type: 'markdown-structure', headings: ['Summary', 'Sources'], bullet_list: true, table: true },
  { type: 'citations-min', n: 2 },
  { type: 'max-latency-ms', max: 30_000, metric: 'total' },
  { type: 'max-cost-usd', max: 0.05 },
  { type: 'citations-grounded', min_precision: 0.8, allow_unretrieved: false },
  { type: 'citation-coverage', min: 0.5 },
  { type: 'quotes-verified', min_words: 6 },
  { type: 'dates-match', tolerance_days: 0 },
];

interface Article {
  id: number;
  url: string;
  title: string;
  published_at: string | null;
  content: string;
}

/** An Auspex-like answer: headings, bullets with cited and dated sources, a quote, a table. */
function answerFor(i: number, retrieved: Article[], unretrieved: Article): string {
  const [a, b, c] = retrieved;
  const day = (x: Article) => x.published_at?.slice(0, 10) ?? 'undated';
  const quote = a.content.split(/\s+/).slice(5, 13).join(' ');
  // Every fifth answer misquotes, every seventh invents a source, every third cites one not retrieved.
  const quoted = i % 5 === 0 ? `${quote} entirely differently` : quote;
  const extra =
    i % 7 === 0
      ? `[invented](https://news.example.com/made-up/${i})`
      : i % 3 === 0
        ? `[${unretrieved.title}](${unretrieved.url})`
        : `[${c.title}](${c.url})`;
  return [
    '## Summary',
    `Question ${i}: companies describe AI adoption as a series of pilots, and staff are trained first.`,
    '',
    `- ${a.title} reports early results ([${a.title}](${a.url}), ${day(a)}).`,
    `- A bank and an insurer expand their programmes ([${b.title}](${b.url}), ${day(b)}).`,
    `- Critics point to costs ${extra}.`,
    '',
    `As one report puts it, "${quoted}" ([source](${a.url})).`,
    '',
    '| Source | Date |',
    '|---|---|',
    `| ${a.title} | ${day(a)} |`,
    `| ${b.title} | ${day(b)} |`,
    '',
    '## Sources',
    `1. [${a.title}](${a.url})`,
    `2. [${b.title}](${b.url})`,
  ].join('\n');
}

function summary(label: string, samples: number[]) {
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    label,
    cells: samples.length,
    p50_ms: pct(sorted, 0.5),
    p99_ms: pct(sorted, 0.99),
    max_ms: pct(sorted, 1),
  };
}

export async function run() {
  const t = await startTestApp(freshSqlite());
  try {
    await loadSampleCorpus(t.ctx);
    const articles = (await t.ctx.db
      .selectFrom('articles')
      .select(['id', 'url', 'title', 'published_at', 'content'])
      .orderBy('id')
      .execute()) as Article[];
    const inputs: AnswerInput[] = Array.from({ length: ANSWERS + WARM_UP }, (_, i) => {
      const at = (k: number) => articles[(i * 7 + k) % articles.length];
      const retrieved = [at(0), at(1), at(2), at(3), at(4)];
      return {
        query: `What do companies say about adopting AI, question ${i}?`,
        reference: null,
        answer: answerFor(i, retrieved, at(40)),
        article_ids: retrieved.map((a) => a.id),
        execution_time_ms: 1200 + (i % 50),
        first_token_ms: 300,
        cost_usd: 0.002,
      };
    });
    const full: Plan = {
      items: EVERY_TYPE.map((assertion, position) => ({ position, source: 'suite', assertion })),
    };
    const none: Plan = { items: [] };
    const timed = async (f: () => unknown) => {
      const started = performance.now();
      await f();
      return performance.now() - started;
    };
    const cell = { full: [] as number[], none: [] as number[] };
    const checks = { full: [] as number[], none: [] as number[] };
    let passed = 0;
    for (const [i, input] of inputs.entries()) {
      const sctx = await scoreContext(t.ctx, input);
      let verdict: number | null = null;
      const fullMs = await timed(async () => {
        verdict = (await scoreAnswer(t.ctx, full, input)).summary.passed;
      });
      const noneMs = await timed(() => scoreAnswer(t.ctx, none, input));
      const fullChecks = await timed(() => scoreAssertions(EVERY_TYPE, input.answer, sctx));
      const noneChecks = await timed(() => scoreAssertions([], input.answer, sctx));
      if (i < WARM_UP) continue;
      passed += verdict ?? 0;
      cell.full.push(fullMs);
      cell.none.push(noneMs);
      checks.full.push(fullChecks);
      checks.none.push(noneChecks);
    }
    const rows = [
      summary(`per cell, ${EVERY_TYPE.length} assertions`, cell.full),
      summary('per cell, no assertions (baseline)', cell.none),
      summary(`checks only, ${EVERY_TYPE.length} assertions`, checks.full),
      summary('checks only, none (baseline)', checks.none),
    ];
    const p99 = (r: (typeof rows)[number]) => r.p99_ms;
    console.log(
      `\n${ANSWERS} stored answers scored on SQLite with the sample corpus (${articles.length} articles), after ${WARM_UP} warm-up cells; target p99 < 5 ms per cell`,
    );
    console.table(rows);
    console.log(
      `assertions add p50 ${(rows[0].p50_ms - rows[1].p50_ms).toFixed(2)} ms and p99 ${(p99(rows[0]) - p99(rows[1])).toFixed(2)} ms per cell; ${passed} of ${ANSWERS} cells passed every assertion`,
    );
    return rows;
  } finally {
    await t.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
