import { type FakeUpstream, fakeOpenAiEnv, startFakeUpstream } from '../fake-upstream/server';
import { ADMIN_PASSWORD, type Client, memberClient, signIn, startTestApp, type TestApp } from './app';
import { fixtureArticles, loadArticles } from './articles';
import type { TestDatabase } from './databases';
import { BASE, DRAFT_TEXT, MODEL, TOPIC } from './workshop-fixtures';

// Shared by the workshop's HTTP tests: a real app on a fresh database, the real model layer
// talking to the fake OpenAI upstream on loopback, a small corpus and two members.

export { BASE, DRAFT_TEXT, MODEL, TOPIC };

export interface WorkshopFixture {
  t: TestApp;
  fake: FakeUpstream;
  admin: Client;
  alice: Client;
  bob: Client;
  close(): Promise<void>;
}

/** `offline: true` leaves every provider unconfigured, so offline:demo answers. */
export async function startWorkshopApp(
  database: TestDatabase,
  opts: { env?: Record<string, string>; offline?: boolean; articles?: number } = {},
): Promise<WorkshopFixture> {
  const fake = await startFakeUpstream();
  const providers: Record<string, string> = opts.offline ? {} : fakeOpenAiEnv(fake, MODEL);
  const t = await startTestApp(database, {
    ...providers,
    LLM_MAX_RETRIES: '0',
    MODEL_CALLS_PER_MINUTE: '1000',
    ...opts.env,
  });
  await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', opts.articles ?? 8));
  const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  const alice = await memberClient(t, admin, 'alice');
  const bob = await memberClient(t, admin, 'bob');
  return {
    t,
    fake,
    admin,
    alice,
    bob,
    close: async () => {
      await t.close();
      await fake.close();
    },
  };
}

/** Starts a workshop and puts a testable draft in it; returns the draft id and chat id. */
export async function readyDraft(
  client: Client,
  body: Record<string, unknown> = { requirements: 'A prompt for AI adoption briefings' },
): Promise<{ id: number; chatId: number }> {
  const start = await client('POST', `${BASE}/start`, body);
  if (start.statusCode !== 201) throw new Error(`start failed: ${start.statusCode} ${start.body}`);
  const id = start.json().draft_id as number;
  const put = await client('PUT', `${BASE}/drafts/${id}`, { draft_content: DRAFT_TEXT });
  if (put.statusCode !== 200) throw new Error(`put failed: ${put.statusCode} ${put.body}`);
  return { id, chatId: start.json().chat_id };
}

export const testBody = (extra: Record<string, unknown> = {}) => ({
  test_query: 'How are companies adopting robotics?',
  topic: TOPIC,
  limit: 5,
  ...extra,
});
