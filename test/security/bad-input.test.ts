import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/databases';
import {
  BASE,
  DRAFT_TEXT,
  readyDraft,
  startWorkshopApp,
  TOPIC,
  type WorkshopFixture,
} from '../helpers/workshop';

// Input PostgreSQL cannot take (NUL characters, ids past its integer column) answers the same on
// both engines: 400 for NUL in any text, 404 for an id that names no row. Never a 500.

const NUL = 'a\u0000b';

describe.each(dialects)('NUL characters and huge ids on $dialect', ({ create }) => {
  let f: WorkshopFixture;
  let draftId = 0;
  let chatId = 0;

  beforeAll(async () => {
    f = await startWorkshopApp(await create(), { offline: true });
    ({ id: draftId } = await readyDraft(f.alice));
    chatId = (await f.alice('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Chat' })).json()
      .chat_id;
  });
  afterAll(async () => f?.close());

  const nulCases: [string, 'GET' | 'POST' | 'PUT' | 'DELETE', () => string, unknown, string][] = [
    [
      'draft name',
      'PUT',
      () => `${BASE}/drafts/${draftId}`,
      { draft_name: `Name ${NUL}` },
      'body.draft_name',
    ],
    ['draft name at start', 'POST', () => `${BASE}/start`, { draft_name: `Name ${NUL}` }, 'body.draft_name'],
    [
      'draft text',
      'PUT',
      () => `${BASE}/drafts/${draftId}`,
      { draft_content: `${DRAFT_TEXT}${NUL}` },
      'body.draft_content',
    ],
    [
      'test query',
      'POST',
      () => `${BASE}/drafts/${draftId}/test`,
      { test_query: `Robots ${NUL} at work`, topic: TOPIC },
      'body.test_query',
    ],
    [
      'test topic',
      'POST',
      () => `${BASE}/drafts/${draftId}/test`,
      { test_query: 'Robots at work today', topic: NUL },
      'body.topic',
    ],
    ['prompt name in the path', 'GET', () => '/api/auspex/prompts/ab%00cd', undefined, 'params.name'],
    [
      'prompt name',
      'POST',
      () => '/api/auspex/prompts',
      { name: NUL, title: 'Title', content: DRAFT_TEXT },
      'body.name',
    ],
    [
      'chat message',
      'POST',
      () => '/api/auspex/chat/message',
      { chat_id: chatId, message: `Hello ${NUL}` },
      'body.message',
    ],
    ['chat topic', 'POST', () => '/api/auspex/chat/sessions', { topic: NUL, title: 'x' }, 'body.topic'],
    ['token name', 'POST', () => '/api/auth/tokens', { name: NUL }, 'body.name'],
    ['search query', 'GET', () => '/api/articles/search?q=a%00b', undefined, 'querystring.q'],
    ['nested key', 'PUT', () => `${BASE}/drafts/${draftId}`, { [`x${NUL}`]: 1 }, 'body.xa\\0b'],
  ];

  it.each(nulCases)('refuses NUL in the %s with 400', async (_what, method, url, payload, path) => {
    const res = await f.alice(method, url(), payload);
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 400,
      body: { detail: `${path}: text must not contain NUL characters (\\u0000)` },
    });
  });

  it('wrote nothing for the refused requests', async () => {
    const draft = (await f.alice('GET', `${BASE}/drafts/${draftId}`)).json();
    expect(draft.draft_content).toBe(DRAFT_TEXT);
    expect((await f.alice('GET', `${BASE}/drafts`)).json().total).toBe(1);
  });

  const huge = ['2147483648', '9007199254740993', '99999999999999999999'];
  const idCases: ['GET' | 'PUT' | 'DELETE' | 'POST', string, unknown?][] = huge.flatMap((id) => [
    ['GET', `${BASE}/drafts/${id}`],
    ['PUT', `${BASE}/drafts/${id}`, { draft_name: 'New name' }],
    ['DELETE', `${BASE}/drafts/${id}`],
    ['GET', `${BASE}/drafts/${id}/tests`],
    ['POST', `${BASE}/drafts/${id}/commit`, { name: 'huge_id', title: 'Huge id', description: '' }],
    ['GET', `/api/auspex/chat/sessions/${id}/messages`],
    ['DELETE', `/api/auspex/chat/sessions/${id}`],
    ['DELETE', `/api/auth/tokens/${id}`],
  ]);

  it.each(idCases)('%s %s answers 404', async (method, url, payload) => {
    const res = await f.alice(method, url, payload);
    expect(res.statusCode).toBe(404);
  });

  it.each(huge)('a chat message to chat %s answers 404', async (id) => {
    const res = await f.alice('POST', '/api/auspex/chat/message', { chat_id: Number(id), message: 'Hello' });
    expect(res.statusCode).toBe(404);
  });
});
