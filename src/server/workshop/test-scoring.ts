import type { AssertionOf, DeterministicType } from '../../shared/assertions';
import type { AnswerScoring } from '../../shared/scoring';
import type { AppContext } from '../context';
import type { TestRunRow } from '../db/types';
import { scoreAnswers } from '../evals/scoring/service';

// A test run's answer scored like an evaluation cell, through the evals scoring service: the
// deterministic grounding assertions below, against the articles that run retrieved. No judge and
// no model call, so it is computed when a run is read (a pure function of the stored answer and
// the corpus; nothing to migrate). The stored answer is what is scored: with
// store_full_response false, that is its first 500 characters, the text the client gets.

/** What every test's answer is checked for. */
export const TEST_ASSERTIONS: AssertionOf<DeterministicType>[] = [
  // Every citation is an article this run retrieved; a URL in no article is invented.
  { type: 'citations-grounded', min_precision: 1, allow_unretrieved: false },
  // At least half of the paragraphs and bullet points cite something.
  { type: 'citation-coverage', min: 0.5 },
  // A quote of six words or more is in the article cited beside it.
  { type: 'quotes-verified', min_words: 6 },
  // A date written next to a citation is that article's publication date.
  { type: 'dates-match', tolerance_days: 0 },
];

/** The scoring of each run, in order; null for a failed run. */
export async function scoreTestRuns(ctx: AppContext, rows: TestRunRow[]): Promise<(AnswerScoring | null)[]> {
  const ok = rows.filter((r) => r.status === 'ok');
  const scored = await scoreAnswers(
    ctx,
    TEST_ASSERTIONS,
    ok.map((r) => ({
      query: r.query,
      reference: null,
      answer: r.response,
      article_ids: parseIds(r.article_ids),
      execution_time_ms: r.execution_time_ms,
      first_token_ms: r.first_token_ms,
      cost_usd: r.cost_usd === null ? null : Number(r.cost_usd),
    })),
  );
  const byRow = new Map(ok.map((r, i) => [r, scored[i]]));
  return rows.map((r) => byRow.get(r) ?? null);
}

function parseIds(json: string): number[] {
  try {
    const ids: unknown = JSON.parse(json);
    return Array.isArray(ids) ? ids.filter((id): id is number => Number.isSafeInteger(id)) : [];
  } catch {
    return [];
  }
}
