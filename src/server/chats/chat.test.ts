import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  extractSystem,
  type FakeUpstream,
  fakeOpenAiEnv,
  startFakeUpstream,
} from '../../../test/fake-upstream/server';
import {
  ADMIN_PASSWORD,
  type Client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/helpers/app';
import { fixtureArticles, loadArticles, sseEvents } from '../../../test/helpers/articles';
import { dialects } from '../../../test/helpers/databases';
import { DEFAULT_PROMPT_CONTENT } from '../prompts/default-prompt';

// The chat API end to end: real HTTP routes, a real database, the real model layer talking to the
// fake OpenAI upstream over loopback.

const TOPIC = 'AI Adoption';
const customPrompt = `CUSTOM PROMPT. ${'Answer in exactly three bullet points and cite sources. '.repeat(3)}`;

/** The last user message the upstream received (the one carrying the articles). */
function upstreamUser(body: any): string {
  const users = (body.messages as any[]).filter((m) => m.role === 'user');
  const last = users.at(-1).content;
  return typeof last === 'string' ? last : last.map((p: any) => p.text ?? '').join('');
}

const articleIdsIn = (text: string) => [...text.matchAll(/<article id="(\d+)"/g)].map((m) => Number(m[1]));

describe.each(dialects)('Auspex chat API on $dialect', ({ create }) => {
  let fake: FakeUpstream;
  let t: TestApp;
  let admin: Client;
  let alice: Client;
  let bob: Client;
  let chatId: number;

  beforeAll(async () => {
    fake = await startFakeUpstream();
    t = await startTestApp(await create(), {
      ...fakeOpenAiEnv(fake),
      LLM_MAX_RETRIES: '0',
    });
    await loadArticles(t.ctx, TOPIC, fixtureArticles('Robotics', 8));
    await loadArticles(t.ctx, 'Financial Markets', fixtureArticles('Bond yields', 4));
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    alice = await memberClient(t, admin, 'alice');
    bob = await memberClient(t, admin, 'bob');
    const res = await alice('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Robots at work' });
    chatId = res.json().chat_id;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const post = (client: Client, body: Record<string, unknown>) =>
    client('POST', '/api/auspex/chat/message', { chat_id: chatId, ...body });

  describe('sessions', () => {
    it('creates a session for a known topic and lists the caller’s own, newest first', async () => {
      const second = await alice('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Second' });
      expect(second.statusCode).toBe(201);
      expect(second.json()).toEqual({ chat_id: expect.any(Number) });
      await bob('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Bob’s' });

      const list = await alice('GET', '/api/auspex/chat/sessions');
      expect(list.statusCode).toBe(200);
      expect(list.json().sessions.map((s: any) => s.title)).toEqual(['Second', 'Robots at work']);
      expect(list.json().sessions[1]).toEqual({
        id: chatId,
        kind: 'auspex',
        topic: TOPIC,
        title: 'Robots at work',
        message_count: expect.any(Number),
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      await alice('DELETE', `/api/auspex/chat/sessions/${second.json().chat_id}`);
    });

    it('answers 404 for an unknown topic and 400 for a missing title', async () => {
      const unknown = await alice('POST', '/api/auspex/chat/sessions', { topic: 'Nope', title: 'x' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().detail).toBe('Topic "Nope" not found');
      const bad = await alice('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: '  ' });
      expect(bad.statusCode).toBe(400);
    });

    it('lists chats by latest activity: a chat that gets a message moves to the top', async () => {
      const older = (
        await alice('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Older' })
      ).json();
      const newer = (
        await alice('POST', '/api/auspex/chat/sessions', { topic: TOPIC, title: 'Newer' })
      ).json();
      const titles = async () =>
        (await alice('GET', '/api/auspex/chat/sessions')).json().sessions.map((s: any) => s.title);
      expect((await titles()).slice(0, 2)).toEqual(['Newer', 'Older']);

      await alice('POST', '/api/auspex/chat/message', {
        chat_id: older.chat_id,
        message: 'Robotics budgets?',
        model: 'offline:demo',
      });
      expect((await titles()).slice(0, 2)).toEqual(['Older', 'Newer']);
      const listed = (await alice('GET', '/api/auspex/chat/sessions')).json().sessions[0];
      expect(listed).toEqual({
        id: older.chat_id,
        kind: 'auspex',
        topic: TOPIC,
        title: 'Older',
        message_count: 2,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(listed.updated_at > listed.created_at).toBe(true);
      for (const c of [older, newer]) await alice('DELETE', `/api/auspex/chat/sessions/${c.chat_id}`);
    });

    it('renames a chat with a trimmed title, leaving its place in the list alone', async () => {
      const before = (await alice('GET', '/api/auspex/chat/sessions')).json().sessions;
      const res = await alice('PATCH', `/api/auspex/chat/sessions/${chatId}`, {
        title: '  Robots, renamed  ',
      });
      expect(res.statusCode).toBe(200);
      const renamed = before.find((s: any) => s.id === chatId);
      expect(res.json()).toEqual({ ...renamed, title: 'Robots, renamed' });
      const after = (await alice('GET', '/api/auspex/chat/sessions')).json().sessions;
      expect(after).toEqual(
        before.map((s: any) => (s.id === chatId ? { ...s, title: 'Robots, renamed' } : s)),
      );
      await alice('PATCH', `/api/auspex/chat/sessions/${chatId}`, { title: 'Robots at work' });
    });

    it.each([
      ['an empty title', { title: '' }, 'title is required'],
      ['a blank title', { title: '   ' }, 'title is required'],
      ['a title past 200 characters', { title: 'x'.repeat(201) }, 'title must be at most 200 characters'],
      ['no title', {}, 'body.title: title is required'],
    ])('refuses %s with a 400 and changes nothing', async (_name, body, message) => {
      const res = await alice('PATCH', `/api/auspex/chat/sessions/${chatId}`, body);
      expect(res.statusCode).toBe(400);
      // The wording of the field path is another change's; the rule's message is this one's.
      expect(res.json().detail).toContain(message);
      const mine = (await alice('GET', '/api/auspex/chat/sessions')).json().sessions;
      expect(mine.find((s: any) => s.id === chatId).title).toBe('Robots at work');
    });

    it('accepts a title of exactly 200 characters', async () => {
      const res = await alice('PATCH', `/api/auspex/chat/sessions/${chatId}`, { title: 'y'.repeat(200) });
      expect(res.statusCode).toBe(200);
      expect(res.json().title).toBe('y'.repeat(200));
      await alice('PATCH', `/api/auspex/chat/sessions/${chatId}`, { title: 'Robots at work' });
    });

    describe.each([
      ['GET', (id: number) => `/api/auspex/chat/sessions/${id}/messages`, undefined],
      ['DELETE', (id: number) => `/api/auspex/chat/sessions/${id}`, undefined],
      ['PATCH', (id: number) => `/api/auspex/chat/sessions/${id}`, () => ({ title: 'Mine now' })],
      ['POST', () => '/api/auspex/chat/message', (id: number) => ({ chat_id: id, message: 'hi there' })],
    ] as const)('%s on another user’s chat', (method, url, body) => {
      it('answers 404 exactly like a missing chat, and stores nothing', async () => {
        const theirs = await bob(method, url(chatId), body?.(chatId));
        const missing = await bob(method, url(999_999), body?.(999_999));
        expect(theirs.statusCode).toBe(404);
        expect(theirs.json()).toEqual({ detail: `Chat ${chatId} not found` });
        expect(missing.json()).toEqual({ detail: 'Chat 999999 not found' });
        expect(fake.modelRequests()).toHaveLength(0);
      });
    });
  });

  describe('POST /api/auspex/chat/message', () => {
    it('streams the answer and sends the default prompt and the retrieved articles upstream', async () => {
      const res = await post(alice, { message: 'How are companies adopting robotics?' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const events = sseEvents(res.body);
      const done = events.at(-1)!;
      const text = events
        .filter((e) => 'content' in e)
        .map((e) => e.content)
        .join('');

      const [request] = fake.modelRequests();
      expect(extractSystem(request.body)).toBe(DEFAULT_PROMPT_CONTENT);
      const user = upstreamUser(request.body);
      expect(user.startsWith('How are companies adopting robotics?\n')).toBe(true);
      expect(user).toMatch(
        /<untrusted_source_material topic="AI Adoption" count="8">[\s\S]*<\/untrusted_source_material>/,
      );
      expect(articleIdsIn(user)).toEqual(done.article_ids);
      expect(text).toContain('First article: "Robotics report');

      expect(done).toEqual({
        done: true,
        status: 'ok',
        error: null,
        model: 'openai:gpt-4.1-mini',
        offline: false,
        article_ids: expect.any(Array),
        article_count: 8,
        articles_dropped: 0,
        tools_used: [],
        input_tokens: expect.any(Number),
        output_tokens: expect.any(Number),
        cost_usd: expect.any(Number),
        first_token_ms: expect.any(Number),
        execution_time_ms: expect.any(Number),
        prompt_name: 'auspex_default',
        prompt_version: 1,
        custom_prompt: false,
        limit: 50,
        agentic: false,
        chat_id: chatId,
        user_message_id: expect.any(Number),
        assistant_message_id: expect.any(Number),
      });
      expect(done.article_ids).toHaveLength(8);

      const stored = await alice('GET', `/api/auspex/chat/sessions/${chatId}/messages`);
      const messages = stored.json().messages;
      expect(messages.slice(-2)).toEqual([
        {
          id: done.user_message_id,
          role: 'user',
          content: 'How are companies adopting robotics?',
          model: null,
          input_tokens: null,
          output_tokens: null,
          metadata: {},
          created_at: expect.any(String),
        },
        {
          id: done.assistant_message_id,
          role: 'assistant',
          content: text,
          model: 'openai:gpt-4.1-mini',
          input_tokens: done.input_tokens,
          output_tokens: done.output_tokens,
          metadata: Object.fromEntries(
            Object.entries(done).filter(
              ([k]) => !['done', 'chat_id', 'user_message_id', 'assistant_message_id'].includes(k),
            ),
          ),
          created_at: expect.any(String),
        },
      ]);
    });

    it('sends earlier turns as history on the next message', async () => {
      await post(alice, { message: 'Follow-up: which sources?' });
      const messages = fake.modelRequests()[0].body.messages as any[];
      const roles = messages.filter((m) => m.role !== 'system').map((m) => m.role);
      expect(roles.slice(-3)).toEqual(['user', 'assistant', 'user']);
      expect(messages.find((m) => m.role === 'user').content).toEqual('How are companies adopting robotics?');
    });

    it('uses a library prompt by name, exactly as stored', async () => {
      const content = `LIBRARY PROMPT. ${'Summarise the evidence in a table with citations. '.repeat(3)}`;
      await alice('POST', '/api/auspex/prompts', { name: 'table_brief', title: 'Table brief', content });
      const res = await post(alice, { message: 'Robotics budgets?', prompt_name: 'table_brief' });
      expect(extractSystem(fake.modelRequests()[0].body)).toBe(content);
      expect(sseEvents(res.body).at(-1)).toMatchObject({
        status: 'ok',
        prompt_name: 'table_brief',
        prompt_version: 1,
      });
    });

    it('uses a custom prompt exactly as given, and honours limit', async () => {
      const res = await post(alice, { message: 'Robotics training?', custom_prompt: customPrompt, limit: 5 });
      const body = fake.modelRequests()[0].body;
      expect(extractSystem(body)).toBe(customPrompt);
      expect(articleIdsIn(upstreamUser(body))).toHaveLength(5);
      expect(sseEvents(res.body).at(-1)).toMatchObject({
        article_count: 5,
        custom_prompt: true,
        prompt_name: null,
      });
    });

    it('falls back to the topic’s newest articles when the search matches nothing', async () => {
      const res = await post(alice, { message: 'zebra quokka' });
      const done = sseEvents(res.body).at(-1)!;
      expect(done.article_count).toBe(8);
      // Newest first: the fixture's first article is the most recent.
      const first = await t.ctx.db
        .selectFrom('articles')
        .select('id')
        .where('title', '=', 'Robotics report 1')
        .executeTakeFirstOrThrow();
      expect(done.article_ids[0]).toBe(first.id);
    });

    describe.each([
      ['an empty message', { message: '   ' }, 400, 'body.message: message must not be empty'],
      [
        'a too long message',
        { message: 'x'.repeat(10_001) },
        400,
        'body.message: message must be at most 10000 characters',
      ],
      ['limit 4', { message: 'hello', limit: 4 }, 400, 'body.limit: limit must be 5–200'],
      ['limit 201', { message: 'hello', limit: 201 }, 400, 'body.limit: limit must be 5–200'],
      [
        'both prompt kinds',
        { message: 'hello', prompt_name: 'x', custom_prompt: 'y' },
        400,
        'body.custom_prompt: give prompt_name or custom_prompt, not both',
      ],
      [
        'an unknown prompt',
        { message: 'hello', prompt_name: 'missing_prompt' },
        404,
        'Prompt "missing_prompt" not found',
      ],
      [
        'an unconfigured provider',
        { message: 'hello', model: 'anthropic:claude-haiku-4-5' },
        400,
        'Model "anthropic:claude-haiku-4-5": provider "anthropic" is not configured',
      ],
    ])('with %s', (_label, body, status, detail) => {
      it(`answers ${status} as JSON before any stream, storing nothing`, async () => {
        const before = (await alice('GET', `/api/auspex/chat/sessions/${chatId}/messages`)).json().messages
          .length;
        const res = await post(alice, body);
        expect(res.statusCode).toBe(status);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json().detail).toBe(detail);
        const after = (await alice('GET', `/api/auspex/chat/sessions/${chatId}/messages`)).json().messages
          .length;
        expect(after).toBe(before);
        expect(fake.modelRequests()).toHaveLength(0);
      });
    });

    describe.each([
      ['answers 500', { status: 500 }, []],
      [
        'drops the connection mid-stream',
        { chunks: ['Robots ', 'are ', 'coming ', 'to ', 'work.'], dropAfterChunks: 2 },
        ['Robots ', 'are '],
      ],
    ])('when the upstream %s', (_label, scenario, before) => {
      it('sends what arrived, then error, then done, and stores the failed turn', async () => {
        fake.enqueue(scenario);
        const res = await post(alice, { message: 'Robotics pilots?' });
        const events = sseEvents(res.body);
        expect(events.filter((e) => 'content' in e).map((e) => e.content)).toEqual(before);
        const tail = events.filter((e) => !('content' in e));
        expect(tail).toHaveLength(2);
        expect(tail[0]).toEqual({ error: expect.any(String) });
        expect(tail[0].error.length).toBeGreaterThan(0);
        expect(tail[1]).toMatchObject({ done: true, status: 'error', error: tail[0].error });

        const messages = (await alice('GET', `/api/auspex/chat/sessions/${chatId}/messages`)).json().messages;
        expect(messages.at(-1)).toMatchObject({
          role: 'assistant',
          content: before.join(''),
          metadata: { status: 'error', error: tail[0].error },
        });
        // A failed exchange is not sent as history next time.
        await post(alice, { message: 'Try again' });
        const history = fake.modelRequests().at(-1)!.body.messages as any[];
        expect(history.some((m) => m.content === 'Robotics pilots?')).toBe(false);
      });
    });

    it('records the tool calls an agentic turn actually made', async () => {
      fake.enqueue(
        {
          toolCalls: [
            {
              name: 'search_articles',
              input: { query: 'bond yields', topic: 'Financial Markets', limit: 2 },
            },
          ],
        },
        { toolCalls: [{ name: 'get_article_categories', input: {} }] },
        { text: 'Done with tools.' },
      );
      const res = await post(alice, { message: 'Robotics and markets?', agentic: true });
      const done = sseEvents(res.body).at(-1)!;
      expect(done.status).toBe('ok');
      expect(done.tools_used).toEqual([
        { name: 'search_articles', input: { query: 'bond yields', topic: 'Financial Markets', limit: 2 } },
        { name: 'get_article_categories', input: {} },
      ]);
      expect(fake.modelRequests()).toHaveLength(3);
      expect(fake.modelRequests()[0].body.tools.map((x: any) => x.function.name)).toEqual([
        'search_articles',
        'get_topic_articles',
        'analyze_sentiment_trends',
        'get_article_categories',
      ]);
      // Two bond articles found by the tool count as used, beside the eight packed ones.
      expect(done.article_count).toBe(10);
    });

    it('answers offline with a deterministic, labelled brief citing the retrieved articles', async () => {
      const a = sseEvents((await post(alice, { message: 'Robotics budgets?', model: 'offline:demo' })).body);
      const b = sseEvents((await post(alice, { message: 'Robotics budgets?', model: 'offline:demo' })).body);
      const text = (events: Record<string, any>[]) =>
        events
          .filter((e) => 'content' in e)
          .map((e) => e.content)
          .join('');
      expect(text(a)).toBe(text(b));
      expect(text(a).split('\n')[0]).toMatch(/^Offline demo model: this is not AI\./);
      expect(text(a)).toMatch(/\[Robotics report \d+\]\(https:\/\/news\.example\.com\/robotics\/\d+\)/);
      expect(a.at(-1)).toMatchObject({
        status: 'ok',
        offline: true,
        model: 'offline:demo',
        article_count: 8,
      });
      expect(fake.modelRequests()).toHaveLength(0);
    });

    it('aborts the upstream call when the client disconnects, and stores the cut-short turn', async () => {
      const token = (await alice('POST', '/api/auth/tokens', { name: 'sse test' })).json().token;
      const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      fake.enqueue({ chunks: Array.from({ length: 50 }, (_, i) => `piece ${i} `), chunkDelayMs: 40 });
      const client = new AbortController();
      const res = await fetch(`${base}/api/auspex/chat/message`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: chatId, message: 'Robotics, slowly please' }),
        signal: client.signal,
      });
      const reader = res.body!.getReader();
      let seen = '';
      while (!seen.includes('"content"')) seen += new TextDecoder().decode((await reader.read()).value);
      client.abort();

      await fake.idle();
      expect(fake.modelRequests()[0].outcome).toBe('aborted');
      // The server finishes the turn after the client left; wait for its write.
      let last: any;
      for (let i = 0; i < 200 && !last; i++) {
        const messages = (await alice('GET', `/api/auspex/chat/sessions/${chatId}/messages`)).json().messages;
        const asked = messages.findIndex((m: any) => m.content === 'Robotics, slowly please');
        last = asked >= 0 ? messages[asked + 1] : undefined;
        if (!last) await new Promise((r) => setTimeout(r, 25));
      }
      expect(last).toMatchObject({
        role: 'assistant',
        metadata: { status: 'error', error: 'The request was cancelled before the answer finished' },
      });
      expect(last.content.startsWith('piece 0 ')).toBe(true);
      expect(last.content.length).toBeLessThan(
        Array.from({ length: 50 }, (_, i) => `piece ${i} `).join('').length,
      );
      t.app.server.closeAllConnections();
    });

    it('deletes a session with its messages', async () => {
      const res = await alice('DELETE', `/api/auspex/chat/sessions/${chatId}`);
      expect(res.statusCode).toBe(204);
      expect((await alice('GET', `/api/auspex/chat/sessions/${chatId}/messages`)).statusCode).toBe(404);
      const left = await t.ctx.db.selectFrom('messages').select('id').where('chat_id', '=', chatId).execute();
      expect(left).toEqual([]);
    });
  });
});
