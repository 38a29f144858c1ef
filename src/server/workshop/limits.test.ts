import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  DRAFT_TEXT,
  readyDraft,
  startWorkshopApp,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';

// Every limit of the seed rejected with a clear detail, and isolation between users on every route.

const chars = (n: number) => 'x'.repeat(n);

interface LimitCase {
  name: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'GET';
  /** {id} = a ready draft of the caller, {test} = a test run of it, {empty} = a draft without content. */
  url: string;
  body?: unknown;
  status: number;
  detail: string;
}

const cases: LimitCase[] = [
  {
    name: 'draft_name too short at start',
    method: 'POST',
    url: `${BASE}/start`,
    body: { draft_name: 'ab' },
    status: 400,
    detail: 'body.draft_name: draft_name must be 3–100 characters',
  },
  {
    name: 'draft_name too long at start',
    method: 'POST',
    url: `${BASE}/start`,
    body: { draft_name: chars(101) },
    status: 400,
    detail: 'body.draft_name: draft_name must be 3–100 characters',
  },
  {
    name: 'requirements too long',
    method: 'POST',
    url: `${BASE}/start`,
    body: { requirements: chars(5001) },
    status: 400,
    detail: 'body.requirements: requirements must be at most 5000 characters',
  },
  {
    name: 'unknown parent prompt',
    method: 'POST',
    url: `${BASE}/start`,
    body: { parent_prompt_name: 'nope_prompt' },
    status: 404,
    detail: 'Prompt "nope_prompt" not found',
  },
  {
    name: 'draft id not a number',
    method: 'GET',
    url: `${BASE}/drafts/abc`,
    status: 400,
    detail: 'params.id: id must be a positive integer',
  },
  {
    name: 'unknown status filter',
    method: 'GET',
    url: `${BASE}/drafts?status_filter=gone`,
    status: 400,
    detail: expectStartsWith('querystring.status_filter: '),
  },
  {
    name: 'draft_name too short on PUT',
    method: 'PUT',
    url: `${BASE}/drafts/{id}`,
    body: { draft_name: 'ab' },
    status: 400,
    detail: 'body.draft_name: draft_name must be 3–100 characters',
  },
  {
    name: 'description too long',
    method: 'PUT',
    url: `${BASE}/drafts/{id}`,
    body: { draft_description: chars(501) },
    status: 400,
    detail: 'body.draft_description: draft_description must be at most 500 characters',
  },
  {
    name: 'content too long',
    method: 'PUT',
    url: `${BASE}/drafts/{id}`,
    body: { draft_content: chars(50_001) },
    status: 400,
    detail: 'body.draft_content: draft_content must be at most 50000 characters',
  },
  {
    name: 'status committed from a client',
    method: 'PUT',
    url: `${BASE}/drafts/{id}`,
    body: { status: 'committed' },
    status: 400,
    detail: 'body.status: status must be one of draft, testing, ready (committed is set by commit)',
  },
  {
    name: 'unknown status',
    method: 'PUT',
    url: `${BASE}/drafts/{id}`,
    body: { status: 'done' },
    status: 400,
    detail: 'body.status: status must be one of draft, testing, ready (committed is set by commit)',
  },
  {
    name: 'empty update',
    method: 'PUT',
    url: `${BASE}/drafts/{id}`,
    body: { revision: 1 },
    status: 400,
    detail: expectEndsWith(': give at least one of draft_content, draft_name, draft_description, status'),
  },
  {
    name: 'test_query too short',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ test_query: chars(9) }),
    status: 400,
    detail: 'body.test_query: test_query must be 10–1000 characters',
  },
  {
    name: 'test_query too long',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ test_query: chars(1001) }),
    status: 400,
    detail: 'body.test_query: test_query must be 10–1000 characters',
  },
  {
    name: 'limit under 5',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ limit: 4 }),
    status: 400,
    detail: 'body.limit: limit must be 5–200',
  },
  {
    name: 'limit over 200',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ limit: 201 }),
    status: 400,
    detail: 'body.limit: limit must be 5–200',
  },
  {
    name: 'rating over 5 with a test',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ user_rating: 6 }),
    status: 400,
    detail: 'body.user_rating: user_rating must be 1–5',
  },
  {
    name: 'notes too long with a test',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ notes: chars(501) }),
    status: 400,
    detail: 'body.notes: notes must be at most 500 characters',
  },
  {
    name: 'missing topic',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: { test_query: 'What is happening with AI?' },
    status: 400,
    detail: expectStartsWith('body.topic: '),
  },
  {
    name: 'malformed model',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ model: 'gpt' }),
    status: 400,
    detail: 'body.model: model must look like provider:model',
  },
  {
    name: 'unconfigured model provider',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ model: 'anthropic:claude-x' }),
    status: 400,
    detail: 'Model "anthropic:claude-x": provider "anthropic" is not configured',
  },
  {
    name: 'unknown topic',
    method: 'POST',
    url: `${BASE}/drafts/{id}/test`,
    body: testBody({ topic: 'Underwater Basket Weaving' }),
    status: 404,
    detail: 'Topic "Underwater Basket Weaving" not found',
  },
  {
    name: 'content under 100 characters to test',
    method: 'POST',
    url: `${BASE}/drafts/{empty}/test`,
    body: testBody(),
    status: 400,
    detail:
      'Draft content is 0 characters; a draft needs at least 100 to test. Write the prompt in the editor or extract it from the conversation first.',
  },
  {
    name: 'rating under 1',
    method: 'PATCH',
    url: `${BASE}/drafts/{id}/tests/{test}`,
    body: { user_rating: 0 },
    status: 400,
    detail: 'body.user_rating: user_rating must be 1–5',
  },
  {
    name: 'rating not whole',
    method: 'PATCH',
    url: `${BASE}/drafts/{id}/tests/{test}`,
    body: { user_rating: 2.5 },
    status: 400,
    detail: 'body.user_rating: user_rating must be a whole number from 1 to 5',
  },
  {
    name: 'notes too long',
    method: 'PATCH',
    url: `${BASE}/drafts/{id}/tests/{test}`,
    body: { notes: chars(501) },
    status: 400,
    detail: 'body.notes: notes must be at most 500 characters',
  },
  {
    name: 'empty feedback',
    method: 'PATCH',
    url: `${BASE}/drafts/{id}/tests/{test}`,
    body: {},
    status: 400,
    detail: expectEndsWith(': give user_rating and/or notes'),
  },
  {
    name: 'unknown test run',
    method: 'PATCH',
    url: `${BASE}/drafts/{id}/tests/nope`,
    body: { user_rating: 3 },
    status: 404,
    detail: expectStartsWith('Test run nope of draft '),
  },
  {
    name: 'commit name too short',
    method: 'POST',
    url: `${BASE}/drafts/{id}/commit`,
    body: { name: 'ab', title: 'A title' },
    status: 400,
    detail: 'body.name: name must be 3–50 characters',
  },
  {
    name: 'commit name too long',
    method: 'POST',
    url: `${BASE}/drafts/{id}/commit`,
    body: { name: chars(51), title: 'A title' },
    status: 400,
    detail: 'body.name: name must be 3–50 characters',
  },
  {
    name: 'commit name with capitals',
    method: 'POST',
    url: `${BASE}/drafts/{id}/commit`,
    body: { name: 'Bad-Name', title: 'A title' },
    status: 400,
    detail: 'body.name: name may contain lower-case letters, digits and _ only',
  },
  {
    name: 'commit name reserved for the workshop routes',
    method: 'POST',
    url: `${BASE}/drafts/{id}/commit`,
    body: { name: 'workshop', title: 'A title' },
    status: 400,
    detail: 'body.name: name "workshop" is reserved',
  },
  {
    name: 'commit title too short',
    method: 'POST',
    url: `${BASE}/drafts/{id}/commit`,
    body: { name: 'good_name', title: 'Test' },
    status: 400,
    detail: 'body.title: title must be 5–100 characters',
  },
  {
    name: 'commit title too long',
    method: 'POST',
    url: `${BASE}/drafts/{id}/commit`,
    body: { name: 'good_name', title: chars(101) },
    status: 400,
    detail: 'body.title: title must be 5–100 characters',
  },
  {
    name: 'commit description too long',
    method: 'POST',
    url: `${BASE}/drafts/{id}/commit`,
    body: { name: 'good_name', title: 'A title', description: chars(501) },
    status: 400,
    detail: 'body.description: description must be at most 500 characters',
  },
  {
    name: 'commit with too little content',
    method: 'POST',
    url: `${BASE}/drafts/{empty}/commit`,
    body: { name: 'good_name', title: 'A title' },
    status: 400,
    detail:
      'Draft content is 0 characters; a draft needs at least 100 to commit. Write the prompt in the editor or extract it from the conversation first.',
  },
  {
    name: 'clone name too short',
    method: 'POST',
    url: '/api/auspex/prompts/auspex_default/clone?clone_name=ab',
    status: 400,
    detail: 'querystring.clone_name: clone_name must be 3–100 characters',
  },
  ...['abc', '1.5', '0', '-2', ''].map(
    (v): LimitCase => ({
      name: `clone version "${v}"`,
      method: 'POST',
      url: `/api/auspex/prompts/auspex_default/clone?version=${v}`,
      status: 400,
      detail: 'querystring.version: version must be a whole number of 1 or more',
    }),
  ),
  {
    name: 'clone of a version the prompt does not have',
    method: 'POST',
    url: '/api/auspex/prompts/auspex_default/clone?version=7',
    status: 404,
    detail: 'Prompt "auspex_default" has no version 7; its versions are 1',
  },
  {
    name: 'clone of a version of a missing prompt',
    method: 'POST',
    url: '/api/auspex/prompts/nope_prompt/clone?version=1',
    status: 404,
    detail: 'Prompt "nope_prompt" not found',
  },
  {
    name: 'start from a version the prompt does not have',
    method: 'POST',
    url: `${BASE}/start`,
    body: { parent_prompt_name: 'auspex_default', parent_prompt_version: 2 },
    status: 404,
    detail: 'Prompt "auspex_default" has no version 2; its versions are 1',
  },
  {
    name: 'start from a version without a prompt',
    method: 'POST',
    url: `${BASE}/start`,
    body: { parent_prompt_version: 1 },
    status: 400,
    detail: 'body.parent_prompt_version: parent_prompt_version needs parent_prompt_name',
  },
  {
    name: 'start from a fractional version',
    method: 'POST',
    url: `${BASE}/start`,
    body: { parent_prompt_name: 'auspex_default', parent_prompt_version: 1.5 },
    status: 400,
    detail: 'body.parent_prompt_version: parent_prompt_version must be a whole number of 1 or more',
  },
  {
    name: 'stats window out of range',
    method: 'GET',
    url: `${BASE}/stats?days=0`,
    status: 400,
    detail: 'querystring.days: days must be a whole number from 1 to 365',
  },
];

// The root-level path is formatted by the app's error handler; only the message is ours.
function expectStartsWith(prefix: string): string {
  return `^${prefix}`;
}
function expectEndsWith(suffix: string): string {
  return `$${suffix}`;
}

describe.each(dialects)('workshop limits and isolation on $dialect', ({ create }) => {
  let f: WorkshopFixture;
  let ids: { id: number; empty: number; test: string };

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
    const { id } = await readyDraft(f.alice);
    const empty = (await f.alice('POST', `${BASE}/start`, {})).json().draft_id;
    const test = (await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody())).json().test_id;
    ids = { id, empty, test };
  });
  afterAll(async () => f?.close());

  describe.each(cases)('$name', (c) => {
    it(`answers ${c.status} with a clear detail and changes nothing`, async () => {
      const url = c.url
        .replace('{id}', String(ids.id))
        .replace('{empty}', String(ids.empty))
        .replace('{test}', ids.test);
      const before = (await f.alice('GET', `${BASE}/drafts/${ids.id}`)).json();
      const res = await f.alice(c.method, url, c.body);
      expect(res.statusCode).toBe(c.status);
      const detail = res.json().detail as string;
      if (c.detail.startsWith('^')) expect(detail.startsWith(c.detail.slice(1))).toBe(true);
      else if (c.detail.startsWith('$')) expect(detail.endsWith(c.detail.slice(1))).toBe(true);
      else expect(detail).toBe(c.detail);
      const after = (await f.alice('GET', `${BASE}/drafts/${ids.id}`)).json();
      expect(after).toEqual(before);
    });
  });

  it('answers another user 404 on every route, exactly like a missing draft, and changes nothing', async () => {
    const { alice, bob } = f;
    const { id, test } = ids;
    const before = (await alice('GET', `${BASE}/drafts/${id}`)).json();
    const beforeTests = (await alice('GET', `${BASE}/drafts/${id}/tests`)).json();
    const bobsOwn = await readyDraft(bob);
    const missing = 999_999;
    const attempts: [string, string, unknown?][] = [
      ['GET', `${BASE}/drafts/{id}`],
      ['PUT', `${BASE}/drafts/{id}`, { draft_content: `${DRAFT_TEXT} bob was here` }],
      ['POST', `${BASE}/drafts/{id}/test`, testBody()],
      ['GET', `${BASE}/drafts/{id}/tests`],
      ['POST', `${BASE}/drafts/{id}/commit`, { name: 'bobs_takeover', title: 'Bob takes over' }],
      ['DELETE', `${BASE}/drafts/{id}`],
    ];
    for (const [method, url, body] of attempts) {
      const theirs = await bob(method as any, url.replace('{id}', String(id)), body);
      const none = await bob(method as any, url.replace('{id}', String(missing)), body);
      expect([method, url, theirs.statusCode, theirs.json().detail]).toEqual([
        method,
        url,
        404,
        `Draft ${id} not found`,
      ]);
      expect([method, url, none.statusCode, none.json().detail]).toEqual([
        method,
        url,
        404,
        `Draft ${missing} not found`,
      ]);
    }
    // A test run is reachable only through its own draft and owner.
    for (const draftId of [id, bobsOwn.id]) {
      const res = await bob('PATCH', `${BASE}/drafts/${draftId}/tests/${test}`, { user_rating: 1 });
      expect(res.statusCode).toBe(404);
      expect(res.json().detail).toBe(`Test run ${test} of draft ${draftId} not found`);
    }
    // The workshop chat belongs to Alice too.
    const chat = await bob('POST', '/api/auspex/chat/message', {
      chat_id: before.workshop_chat_id,
      message: 'hi there',
    });
    expect(chat.statusCode).toBe(404);

    const bobList = (await bob('GET', `${BASE}/drafts`)).json();
    expect(bobList.drafts.map((d: any) => d.id)).toEqual([bobsOwn.id]);
    expect((await alice('GET', `${BASE}/drafts/${id}`)).json()).toEqual(before);
    expect((await alice('GET', `${BASE}/drafts/${id}/tests`)).json()).toEqual(beforeTests);
    expect((await alice('GET', '/api/auspex/prompts/bobs_takeover')).statusCode).toBe(404);
  });

  it('shows members their own stats and administrators everyone’s', async () => {
    const bob = (await f.bob('GET', `${BASE}/stats`)).json();
    const admin = (await f.admin('GET', `${BASE}/stats`)).json();
    expect(bob.scope).toBe('mine');
    expect(admin.scope).toBe('all');
    expect(bob.workshops_started).toBeLessThan(admin.workshops_started);
  });
});
