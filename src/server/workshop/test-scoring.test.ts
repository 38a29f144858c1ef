import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureArticles, sseEvents } from '../../../test/helpers/articles';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  readyDraft,
  startWorkshopApp,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';

// A workshop test's answer is scored like an evaluation cell: the grounding assertions against
// the articles that test retrieved, each citation marked, on the POST answer (JSON and streamed),
// the history and a rating alike; a failed test has no scoring.

const ARTICLES = fixtureArticles('Robotics', 8);
const INVENTED = 'https://news.example.com/robotics/made-up-story';

describe.each(dialects)('the scoring of a workshop test on $dialect', ({ create }) => {
  let f: WorkshopFixture;
  let draftId: number;
  /** The URLs the test query retrieves, and one article of the corpus it does not. */
  let retrieved: string[];
  let unretrieved: (typeof ARTICLES)[number];

  /** An answer that cites a retrieved article (with its quote and date), an unretrieved one and an invented URL. */
  const citingAnswer = () => {
    const first = ARTICLES.find((a) => a.url === retrieved[0])!;
    return [
      `Companies "describe pilots, budgets and staff training in detail" [Report](${first.url}), published ${first.published_at.slice(0, 10)}.`,
      '',
      `Others say "robots replaced every warehouse worker overnight" [Other report](${unretrieved.url}).`,
      '',
      `A third source disagrees [Blog](${INVENTED}).`,
      '',
      'The articles do not cover public budgets.',
    ].join('\n');
  };

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
    draftId = (await readyDraft(f.alice)).id;
    f.fake.reset();
    const probe = (await f.alice('POST', `${BASE}/drafts/${draftId}/test`, testBody())).json();
    const ids: number[] = probe.article_ids;
    const urls = await Promise.all(
      ids.map(async (id) => (await f.alice('GET', `/api/articles/${id}`)).json().url as string),
    );
    retrieved = urls;
    unretrieved = ARTICLES.find((a) => !urls.includes(a.url))!;
    expect(retrieved).toHaveLength(5);
    expect(unretrieved).toBeDefined();
  });
  afterAll(async () => f?.close());
  beforeEach(() => f.fake.reset());

  it('marks each citation grounded, unretrieved or invented, and checks quotes, dates and coverage', async () => {
    f.fake.enqueue({ text: citingAnswer() });
    const res = await f.alice('POST', `${BASE}/drafts/${draftId}/test`, testBody());
    expect(res.statusCode).toBe(200);
    const { scoring, response } = res.json();
    const at = (url: string) => response.indexOf(`](${url})`) + 2;
    expect(scoring.grounding).toEqual({
      precision: 1 / 3,
      invented_urls: [INVENTED],
      coverage: 3 / 4,
      citations: [
        { url: retrieved[0], status: 'grounded', reason: 'retrieved for this answer' },
        {
          url: unretrieved.url,
          status: 'unretrieved',
          reason: 'in the corpus, but not retrieved for this answer',
        },
        { url: INVENTED, status: 'invented', reason: 'in no article of the corpus' },
      ].map((c) => ({ ...c, start: expect.any(Number), end: expect.any(Number) })),
      quotes: [
        {
          text: 'describe pilots, budgets and staff training in detail',
          url: retrieved[0],
          verified: true,
          reason: expect.any(String),
        },
        {
          text: 'robots replaced every warehouse worker overnight',
          url: unretrieved.url,
          verified: false,
          reason: expect.any(String),
        },
      ],
      dates: [
        {
          text: ARTICLES.find((a) => a.url === retrieved[0])!.published_at.slice(0, 10),
          url: retrieved[0],
          expected: ARTICLES.find((a) => a.url === retrieved[0])!.published_at.slice(0, 10),
          matches: true,
        },
      ],
    });
    // Each mark spans its citation in the answer as returned.
    for (const c of scoring.grounding.citations) {
      expect(response.slice(c.start, c.end)).toContain(c.url);
      expect(c.start).toBeLessThanOrEqual(at(c.url));
    }
    expect(
      scoring.scores.map((s: any) => [s.type, s.source, s.status, s.pass, s.score, s.weight, s.judge_model]),
    ).toEqual([
      ['citations-grounded', 'case', 'ok', false, 1 / 3, 1, null],
      ['citation-coverage', 'case', 'ok', true, 3 / 4, 1, null],
      ['quotes-verified', 'case', 'ok', false, 1 / 2, 1, null],
      ['dates-match', 'case', 'ok', true, 1, 1, null],
    ]);
    expect(scoring.scores[0].reason).toBe(
      '1 of 3 citations grounded (1 invented, 1 not retrieved for this answer), below 1',
    );
    expect(scoring.scores[1].reason).toBe('3 of 4 paragraphs and bullet points cite (75 %)');
    expect(scoring.scores[2].reason).toMatch(/^1 of 2 quotes not verified: "robots replaced/);
    expect(scoring).toMatchObject({ passed: false, score: (1 / 3 + 3 / 4 + 1 / 2 + 1) / 4 });
    // The scoring is scored by no model: one upstream call, the answer's.
    expect(f.fake.modelRequests()).toHaveLength(1);

    // The history and a rating read the same scoring.
    const result = res.json();
    const history = (await f.alice('GET', `${BASE}/drafts/${draftId}/tests`)).json();
    expect(history.test_results.find((t: any) => t.test_id === result.test_id)).toEqual(result);
    const rated = await f.alice('PATCH', `${BASE}/drafts/${draftId}/tests/${result.test_id}`, {
      user_rating: 2,
    });
    expect(rated.json()).toEqual({ ...result, user_rating: 2 });
  });

  it('a wrong date next to a citation fails dates-match; grounded citations everywhere pass', async () => {
    const [a, b] = retrieved.map((u) => ARTICLES.find((x) => x.url === u)!);
    f.fake.enqueue({
      text: `- Pilots grow [A](${a.url}) (1 January 2020).\n- Budgets rise [B](${b.url}).`,
    });
    const { scoring } = (await f.alice('POST', `${BASE}/drafts/${draftId}/test`, testBody())).json();
    expect(scoring.grounding).toMatchObject({ precision: 1, invented_urls: [], coverage: 1 });
    expect(scoring.grounding.dates).toEqual([
      { text: '1 January 2020', url: a.url, expected: a.published_at.slice(0, 10), matches: false },
    ]);
    expect(scoring.scores.map((s: any) => [s.type, s.pass])).toEqual([
      ['citations-grounded', true],
      ['citation-coverage', true],
      ['quotes-verified', true],
      ['dates-match', false],
    ]);
    expect(scoring.passed).toBe(false);
  });

  it('the streamed answer ends with the same scoring', async () => {
    f.fake.enqueue({ text: citingAnswer() });
    const res = await f.alice('POST', `${BASE}/drafts/${draftId}/test`, testBody(), {
      accept: 'text/event-stream',
    });
    const done = sseEvents(res.body).find((e) => e.done);
    expect(done?.scoring.grounding.citations.map((c: any) => c.status)).toEqual([
      'grounded',
      'unretrieved',
      'invented',
    ]);
    const history = (await f.alice('GET', `${BASE}/drafts/${draftId}/tests`)).json();
    expect(history.test_results.find((t: any) => t.test_id === done?.test_id).scoring).toEqual(done?.scoring);
  });

  it('an answer that cites nothing fails citations-grounded', async () => {
    f.fake.enqueue({ text: 'Robotics is growing.' });
    const { scoring } = (await f.alice('POST', `${BASE}/drafts/${draftId}/test`, testBody())).json();
    expect(scoring.grounding).toMatchObject({ precision: null, coverage: 0, citations: [] });
    expect(scoring.scores[0]).toMatchObject({
      type: 'citations-grounded',
      pass: false,
      reason: 'answer cites no articles',
    });
  });

  it('with store_full_response false, the stored preview is what is scored', async () => {
    const filler = 'Robotics keeps growing in factories and warehouses. '.repeat(12);
    f.fake.enqueue({ text: `Early [A](${retrieved[0]}).\n\n${filler}\n\nLate [B](${INVENTED}).` });
    const res = await f.alice(
      'POST',
      `${BASE}/drafts/${draftId}/test`,
      testBody({ store_full_response: false }),
    );
    const { scoring, response, response_length } = res.json();
    expect(response_length).toBeGreaterThan(response.length);
    expect(scoring.grounding.citations.map((c: any) => [c.url, c.status])).toEqual([
      [retrieved[0], 'grounded'],
    ]);
    expect(scoring.grounding.invented_urls).toEqual([]);
  });

  it('a failed test has scoring null, in the 502 and in the history', async () => {
    f.fake.enqueue({ status: 500, error: { message: 'down' } });
    const res = await f.alice('POST', `${BASE}/drafts/${draftId}/test`, testBody());
    expect(res.statusCode).toBe(502);
    const failed = res.json().result;
    expect(failed).toMatchObject({ status: 'error', scoring: null });
    const history = (await f.alice('GET', `${BASE}/drafts/${draftId}/tests`)).json();
    expect(history.test_results.find((t: any) => t.test_id === failed.test_id).scoring).toBeNull();
  });
});
