import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText } from '../../../../test/fake-upstream/reply';
import { type FakeUpstream, fakeOpenAiEnv, startFakeUpstream } from '../../../../test/fake-upstream/server';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app';
import { fixtureArticles, loadArticles } from '../../../../test/helpers/articles';
import { dialects } from '../../../../test/helpers/databases';

// Scoring over HTTP on both engines, against the fake upstream: every answered cell is scored as
// it is stored (case and suite assertions, citation grounding), re-scored without new answers,
// reviewed by hand, queued for review and compared with its judge.

const TOPIC = 'Robotics';
const MODEL = 'openai:gpt-4.1-mini';
const INVENTED = 'https://news.example.com/robotics/999';

/** Cites the first article URL the request carries; a query that says "invent" cites one that exists nowhere. */
function citingAnswer(body: any) {
  const text = extractText(body);
  const cited = /https:\/\/news\.example\.com\/robotics\/\d+/.exec(text)?.[0] ?? 'none';
  const inventing = /invent/.test(JSON.stringify(body?.messages?.at(-1) ?? ''));
  return {
    text: inventing
      ? `Robots weld car frames, says a report [source](${INVENTED}).`
      : `Robots weld car frames in many plants [source](${cited}).`,
  };
}

describe.each(dialects)('scoring on $dialect', ({ create }) => {
  let t: TestApp;
  let fake: FakeUpstream;
  let alice: Client;
  let bob: Client;
  let runId: number;
  let cells: any[];

  beforeAll(async () => {
    fake = await startFakeUpstream({ defaultScenario: (req) => citingAnswer(req.body) });
    t = await startTestApp(await create(), {
      ...fakeOpenAiEnv(fake, MODEL),
      LLM_MAX_RETRIES: '0',
      EVAL_POLL_MS: '50',
    });
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 6));
    const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
    const suite = await alice('POST', '/api/evals/suites', {
      name: 'Scored suite',
      cases: [
        {
          query: 'What are robots doing in car factories today?',
          topic: TOPIC,
          assertions: [{ type: 'icontains', value: 'ROBOTS' }],
        },
        {
          query: 'Please invent a source about robots in car plants.',
          topic: TOPIC,
          assertions: [{ type: 'citations-grounded' }],
        },
      ],
      scoring: { assertions: [{ type: 'citations-min', n: 1 }] },
    });
    expect(suite.statusCode, suite.body).toBe(201);
    const run = await alice('POST', '/api/evals/runs', {
      suite_id: suite.json().id,
      variants: [{ prompt: 'auspex_default', model: MODEL }],
    });
    expect(run.statusCode, run.body).toBe(202);
    runId = run.json().id;
    // expect.poll works only inside a test; wait for the run by hand.
    for (let i = 0; i < 600; i++) {
      const status = (await alice('GET', `/api/evals/runs/${runId}`)).json().status;
      if (status !== 'queued' && status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    cells = (await alice('GET', `/api/evals/runs/${runId}/cells?failures=true`)).json().cells;
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('scores each answer as it is stored: assertions, suite assertions and grounding', async () => {
    expect(
      cells.map((c) => ({
        case: c.case_index,
        passed: c.passed,
        score: c.score,
        precision: c.grounding_precision,
        invented: c.invented_urls,
        failures: c.failures.length,
      })),
    ).toEqual([
      { case: 0, passed: true, score: 1, precision: 1, invented: 0, failures: 0 },
      { case: 1, passed: false, score: 0.5, precision: 0, invented: 1, failures: 1 },
    ]);
    expect(cells[1].failures[0]).toMatch(/^citations-grounded: /);
    const run = (await alice('GET', `/api/evals/runs/${runId}`)).json();
    expect(run.aggregates[0]).toMatchObject({
      scored: 2,
      passed: 1,
      pass_rate: 0.5,
      mean_score: 0.75,
      grounding_precision: 0.5,
      invented_urls: 1,
      judge_cost_usd: 0,
    });
  });

  it('opens one cell in full with its scores and each citation marked', async () => {
    const res = await alice('GET', `/api/evals/runs/${runId}/cells/${cells[1].id}`);
    expect(res.statusCode, res.body).toBe(200);
    const cell = res.json();
    expect(cell.scores.map((s: any) => [s.position, s.source, s.type, s.status, s.pass])).toEqual([
      [0, 'case', 'citations-grounded', 'ok', false],
      [1, 'suite', 'citations-min', 'ok', true],
    ]);
    expect(cell.grounding.citations).toEqual([
      {
        url: INVENTED,
        start: expect.any(Number),
        end: expect.any(Number),
        status: 'invented',
        reason: expect.any(String),
      },
    ]);
    expect(cell.answer.slice(cell.grounding.citations[0].start, cell.grounding.citations[0].end)).toContain(
      INVENTED,
    );
    expect(cell.articles.length).toBeGreaterThan(0);
    expect((await bob('GET', `/api/evals/runs/${runId}/cells/${cells[1].id}`)).statusCode).toBe(404);
    expect((await alice('GET', `/api/evals/runs/${runId}/cells/99999999`)).statusCode).toBe(404);
  });

  it('re-scores the stored answers with a judge, without calling the answering model', async () => {
    expect((await alice('GET', `/api/evals/runs/${runId}`)).json().rescored).toBeNull();
    const before = fake.modelRequests().length;
    const res = await alice('POST', `/api/evals/runs/${runId}/rescore`, {
      assertions: [{ type: 'llm-rubric', rubric: 'The answer names what robots do.', scale: 'pass-fail' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rescored_cells).toBe(2);
    // The run says what its scores now rest on.
    expect((await alice('GET', `/api/evals/runs/${runId}`)).json().rescored).toEqual({
      at: expect.any(String),
      suite_version: 1,
      assertions: [
        {
          type: 'llm-rubric',
          rubric: 'The answer names what robots do.',
          scale: 'pass-fail',
          include_bodies: false,
          pass_at: 4,
        },
      ],
    });
    expect(fake.modelRequests().length).toBe(before);
    const cell = (await alice('GET', `/api/evals/runs/${runId}/cells/${cells[0].id}`)).json();
    expect(cell.scores.map((s: any) => [s.source, s.type])).toEqual([
      ['case', 'icontains'],
      ['suite', 'citations-min'],
      ['run', 'llm-rubric'],
    ]);
    expect(cell.scores[2]).toMatchObject({ status: 'ok', judge_model: 'offline:demo' });
    expect(cell.scores[2].reason).toMatch(/not AI/);
  });

  it.each([
    [{ assertions: [{ type: 'nope' }] }, 400, 'assertions.0'],
    [{ assertions: [{ type: 'regex', value: '(a+)+$' }] }, 400, 'assertions.0'],
    [
      {
        assertions: [{ type: 'llm-rubric', rubric: 'x', scale: 'pass-fail', model: 'acme:no-such-model' }],
      },
      404,
      'acme:no-such-model',
    ],
  ])('refuses a bad re-score (%j) with %i', async (body, status, named) => {
    const res = await alice('POST', `/api/evals/runs/${runId}/rescore`, body);
    expect({ status: res.statusCode, detail: res.json().detail }).toEqual({
      status,
      detail: expect.stringContaining(named),
    });
  });

  it('keeps a review per reviewer, queues the unreviewed cells, and measures the judge', async () => {
    const cellUrl = `/api/evals/runs/${runId}/cells/${cells[0].id}/review`;
    const bad = await alice('PUT', cellUrl, { rating: 6 });
    expect(bad.statusCode).toBe(400);
    expect((await alice('PUT', cellUrl, {})).statusCode).toBe(400);
    expect((await bob('PUT', cellUrl, { pass: true })).statusCode).toBe(404);
    const queue = async (q = '') => (await alice('GET', `/api/evals/runs/${runId}/review-queue${q}`)).json();
    expect((await queue()).cells.map((c: any) => c.id)).toEqual([cells[0].id, cells[1].id]);

    const judged = await Promise.all(
      cells.map(async (c) => (await alice('GET', `/api/evals/runs/${runId}/cells/${c.id}`)).json().scores[2]),
    );
    // The human agrees with the judge on every cell.
    for (const [i, c] of cells.entries()) {
      const r = await alice('PUT', `/api/evals/runs/${runId}/cells/${c.id}/review`, {
        pass: judged[i].pass,
        notes: 'checked by hand',
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const notes = await alice('PUT', cellUrl, { rating: 4 });
    expect(notes.json().reviews).toEqual([
      {
        reviewer_id: expect.any(Number),
        reviewer: 'alice',
        pass: judged[0].pass,
        rating: 4,
        notes: 'checked by hand',
        updated_at: expect.any(String),
      },
    ]);
    expect((await queue()).cells).toEqual([]);
    const agreement = (await alice('GET', `/api/evals/runs/${runId}/agreement`)).json();
    expect(agreement.judges).toEqual([
      expect.objectContaining({
        model: 'offline:demo',
        scale: 'pass-fail',
        n: 2,
        n_pass: 2,
        observed_agreement: 1,
      }),
    ]);
    expect((await bob('GET', `/api/evals/runs/${runId}/agreement`)).statusCode).toBe(404);
    expect((await alice('DELETE', cellUrl)).statusCode).toBe(204);
    expect((await alice('DELETE', cellUrl)).statusCode).toBe(404);
    expect((await queue()).cells.map((c: any) => c.id)).toEqual([cells[0].id]);
  });

  it("re-scores against the suite's current version and records which one", async () => {
    const run = (await alice('GET', `/api/evals/runs/${runId}`)).json();
    const put = await alice('PUT', `/api/evals/suites/${run.suite_id}`, {
      scoring: { assertions: [{ type: 'citations-min', n: 2 }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const res = await alice('POST', `/api/evals/runs/${runId}/rescore`, {
      assertions: [],
      suite_version: 'current',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rescored).toEqual({ at: expect.any(String), suite_version: 2, assertions: [] });
    const cell = (await alice('GET', `/api/evals/runs/${runId}/cells/${cells[0].id}`)).json();
    expect(cell.scores.map((s: any) => [s.source, s.type, s.pass])).toEqual([
      ['case', 'icontains', true],
      ['suite', 'citations-min', false],
    ]);
  });
});
