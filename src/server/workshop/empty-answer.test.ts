import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/helpers/app';
import { sseEvents } from '../../../test/helpers/articles';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  readyDraft,
  startWorkshopApp,
  TOPIC,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';

// One rule for every surface that shows a model's answer: an empty (or whitespace-only) answer
// with no tool output is the error "the model returned no text", never a stored `ok`.

const NO_TEXT = 'the model returned no text';

interface Surface {
  name: string;
  /** Model calls that come before the one under test (a workshop's opening answer). */
  warmUps: number;
  /** What the client gets and what is stored, for an answer made only of `text`. */
  expected(text: string): { answered: unknown; stored: unknown };
  /** Asks the model once and returns what the client got and what the server stored. */
  run(alice: Client): Promise<{ answered: unknown; stored: unknown }>;
}

/** The last assistant message of a chat, as GET .../messages returns it. */
async function lastAssistant(alice: Client, chatId: number) {
  const { messages } = (await alice('GET', `/api/auspex/chat/sessions/${chatId}/messages`)).json();
  const m = messages.findLast((x: any) => x.role === 'assistant');
  return { content: m.content, status: m.metadata.status, error: m.metadata.error };
}

/** The SSE events that say how the turn ended (streamed whitespace is checked where it is stored). */
const ending = (body: string) =>
  sseEvents(body)
    .filter((e) => e.content === undefined)
    .map((e) => (e.done ? { done: true, status: e.status, error: e.error } : e));

const streamedError = [{ error: NO_TEXT }, { done: true, status: 'error', error: NO_TEXT }];

const surfaces: Surface[] = [
  {
    name: 'Auspex chat',
    warmUps: 0,
    expected: (text) => ({
      answered: streamedError,
      stored: { content: text, status: 'error', error: NO_TEXT },
    }),
    async run(alice) {
      const { chat_id: chatId } = (
        await alice('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Empty' })
      ).json();
      const res = await alice('POST', '/api/auspex/chat/message', {
        chat_id: chatId,
        message: 'What is new in robotics?',
      });
      return { answered: ending(res.body), stored: await lastAssistant(alice, chatId) };
    },
  },
  {
    name: 'workshop design assistant',
    warmUps: 1,
    expected: (text) => ({
      answered: streamedError,
      stored: { content: text, status: 'error', error: NO_TEXT },
    }),
    async run(alice) {
      const { chatId } = await readyDraft(alice);
      const res = await alice('POST', '/api/auspex/chat/message', {
        chat_id: chatId,
        message: 'Shorter, please',
      });
      return { answered: ending(res.body), stored: await lastAssistant(alice, chatId) };
    },
  },
  {
    name: 'workshop test run (JSON)',
    warmUps: 1,
    expected: (text) => ({
      answered: { code: 502, detail: `The test run failed: ${NO_TEXT}` },
      stored: { status: 'error', error: NO_TEXT, response: text },
    }),
    async run(alice) {
      const { id } = await readyDraft(alice);
      const res = await alice('POST', `${BASE}/drafts/${id}/test`, testBody());
      const [run] = (await alice('GET', `${BASE}/drafts/${id}/tests`)).json().test_results;
      return {
        answered: { code: res.statusCode, detail: res.json().detail },
        stored: { status: run.status, error: run.error, response: run.response },
      };
    },
  },
  {
    name: 'workshop test run (streamed)',
    warmUps: 1,
    expected: (text) => ({
      answered: streamedError,
      stored: { status: 'error', error: NO_TEXT, response: text },
    }),
    async run(alice) {
      const { id } = await readyDraft(alice);
      const res = await alice('POST', `${BASE}/drafts/${id}/test`, testBody(), {
        accept: 'text/event-stream',
      });
      const [run] = (await alice('GET', `${BASE}/drafts/${id}/tests`)).json().test_results;
      return {
        answered: ending(res.body),
        stored: { status: run.status, error: run.error, response: run.response },
      };
    },
  },
];

describe.each(dialects)('an empty model answer on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
  });
  afterAll(async () => f?.close());
  beforeEach(() => f.fake.reset());

  describe.each(surfaces)('$name', (surface) => {
    it.each([
      ['an empty string', ''],
      ['whitespace only', ' \n\t '],
    ])('is the error "the model returned no text" for %s', async (_what, text) => {
      f.fake.enqueue(...Array(surface.warmUps).fill({}), { text });
      expect(await surface.run(f.alice)).toEqual(surface.expected(text));
    });
  });
});
