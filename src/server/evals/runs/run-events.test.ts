import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeUpstream, fakeOpenAiEnv, startFakeUpstream } from '../../../../test/fake-upstream/server';
import {
  ADMIN_PASSWORD,
  type Client,
  client,
  memberClient,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../../test/helpers/app';
import { fixtureArticles, loadArticles } from '../../../../test/helpers/articles';
import { dialects } from '../../../../test/helpers/databases';

// The run event stream over a real socket on both engines: it ends when the session or the token
// that opened it signs out or is revoked, while the run itself goes on.

const TOPIC = 'Robotics';
const MODEL = 'openai:gpt-4.1-mini';

/** An open event stream: the events so far, and a promise of all of them once it has ended. */
interface OpenStream {
  status: number;
  events: Record<string, any>[];
  ended: Promise<Record<string, any>[]>;
  close: () => void;
}

async function openStream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  const aborter = new AbortController();
  const res = await fetch(url, { headers, signal: aborter.signal });
  const events: Record<string, any>[] = [];
  const parser = createParser({ onEvent: (e) => events.push(JSON.parse(e.data)) });
  const ended = (async () => {
    if (!res.body) return events;
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read())
        parser.feed(decoder.decode(r.value, { stream: true }));
    } catch {
      // closed by us
    }
    return events;
  })();
  return { status: res.status, events, ended, close: () => aborter.abort() };
}

describe.each(dialects)('run event streams on $dialect', ({ create }) => {
  let t: TestApp;
  let fake: FakeUpstream;
  let admin: Client;
  let base = '';

  beforeAll(async () => {
    // Every answer takes seconds, so a run outlasts the streams that follow it.
    fake = await startFakeUpstream({ defaultScenario: { chunks: ['slow ', 'answer'], chunkDelayMs: 3_000 } });
    t = await startTestApp(await create(), {
      ...fakeOpenAiEnv(fake, MODEL),
      LLM_MAX_RETRIES: '0',
      EVAL_POLL_MS: '50',
    });
    await loadArticles(t.ctx, TOPIC, fixtureArticles(TOPIC, 4));
    admin = await signIn(t, 'admin', ADMIN_PASSWORD);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  let users = 0;
  /** A member with a long run of their own, and the cookie of a fresh session. */
  const member = async () => {
    const name = `streamer${++users}`;
    const who = await memberClient(t, admin, name);
    const cases = Array.from({ length: 6 }, (_, i) => ({
      query: `What do robots do, case ${i}?`,
      topic: TOPIC,
    }));
    const suite = (await who('POST', '/api/evals/suites', { name: 'Long', cases })).json();
    const run = await who('POST', '/api/evals/runs', {
      suite_id: suite.id,
      variants: [{ prompt: 'auspex_default' }],
      concurrency: 1,
    });
    expect(run.statusCode, run.body).toBe(202);
    return { name, who, runId: run.json().id as number };
  };
  const cookieOf = async (name: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: name, password: 'member-password-1' },
    });
    return `pw_session=${res.cookies.find((c) => c.name === 'pw_session')!.value}`;
  };
  const firstEvent = (s: OpenStream) =>
    vi.waitFor(() => expect(s.events.length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
  const signedOutEnd = [
    { error: 'Signed out, or the API token was revoked; the stream has ended' },
    { done: true, status: 'error' },
  ];

  it('ends a stream when the session that opened it signs out, not one of another session', async () => {
    const { name, who, runId } = await member();
    const cookie = await cookieOf(name);
    const other = await openStream(`${base}/api/evals/runs/${runId}/events`, {
      cookie: await cookieOf(name),
    });
    const stream = await openStream(`${base}/api/evals/runs/${runId}/events`, { cookie });
    expect(stream.status).toBe(200);
    await firstEvent(stream);
    expect((await client(t, { cookie })('POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await stream.ended).slice(-2)).toEqual(signedOutEnd);
    // The run goes on, and so does the stream of the session that is still signed in.
    expect((await who('GET', `/api/evals/runs/${runId}`)).json().status).toMatch(/^(queued|running)$/);
    expect(other.events.filter((e) => 'error' in e || 'done' in e)).toEqual([]);
    other.close();
    await who('POST', `/api/evals/runs/${runId}/cancel`);
  });

  it("does not count a stream's re-checks as activity: an unattended page still idles out", async () => {
    const { name, who, runId } = await member();
    const cookie = await cookieOf(name);
    const stream = await openStream(`${base}/api/evals/runs/${runId}/events`, { cookie });
    await firstEvent(stream);
    // Last seen ten minutes ago, as an idle page would be: re-checks past the 2 s session cache
    // read this from the database, and a touching one would move it to now.
    const tenMinutesAgo = new Date(Date.now() - 600_000).toISOString();
    const userId = (await who('GET', '/api/auth/me')).json().user.id;
    const sessions = () =>
      t.ctx.db.selectFrom('sessions').select('last_seen_at').where('user_id', '=', userId).execute();
    await t.ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: tenMinutesAgo })
      .where('user_id', '=', userId)
      .execute();
    await new Promise((r) => setTimeout(r, 6_500));
    expect(stream.events.filter((e) => 'error' in e)).toEqual([]);
    expect(await sessions()).toEqual([{ last_seen_at: tenMinutesAgo }, { last_seen_at: tenMinutesAgo }]);
    stream.close();
    await who('POST', `/api/evals/runs/${runId}/cancel`);
  });

  it('ends a stream when the API token that opened it is revoked', async () => {
    const { who, runId } = await member();
    const token = (await who('POST', '/api/auth/tokens', { name: 'stream' })).json();
    const stream = await openStream(`${base}/api/evals/runs/${runId}/events`, {
      authorization: `Bearer ${token.token}`,
    });
    await firstEvent(stream);
    expect((await who('DELETE', `/api/auth/tokens/${token.id}`)).statusCode).toBe(204);
    expect((await stream.ended).slice(-2)).toEqual(signedOutEnd);
    expect((await who('GET', `/api/evals/runs/${runId}`)).json().status).toMatch(/^(queued|running)$/);
    await who('POST', `/api/evals/runs/${runId}/cancel`);
  });

  it('keeps at most 16 streams open per user: the 17th gets 429, and closing one frees its place', async () => {
    const { name, who, runId } = await member();
    const headers = { cookie: await cookieOf(name) };
    const url = `${base}/api/evals/runs/${runId}/events`;
    const open: OpenStream[] = [];
    for (let i = 0; i < 16; i++) open.push(await openStream(url, headers));
    expect(open.map((s) => s.status)).toEqual(Array(16).fill(200));
    const refused = await openStream(url, headers);
    expect({ status: refused.status, body: await refused.ended }).toEqual({ status: 429, body: [] });
    const again = await fetch(url, { headers });
    expect({ status: again.status, body: await again.json() }).toEqual({
      status: 429,
      body: {
        detail:
          'At most 16 event streams may be open at once per user; close one (a tab showing a run) and try again',
      },
    });
    // Another user's streams do not count against this one.
    const other = await member();
    const theirs = await openStream(`${base}/api/evals/runs/${other.runId}/events`, {
      cookie: await cookieOf(other.name),
    });
    expect(theirs.status).toBe(200);
    theirs.close();

    open.shift()!.close();
    // The server frees the place once it sees the socket close.
    const reopened = await vi.waitFor(
      async () => {
        const s = await openStream(url, headers);
        if (s.status !== 200) throw new Error(`still ${s.status}`);
        return s;
      },
      { timeout: 10_000, interval: 100 },
    );
    open.push(reopened);
    expect((await openStream(url, headers)).status).toBe(429);
    for (const s of open) s.close();
    await who('POST', `/api/evals/runs/${runId}/cancel`);
    await other.who('POST', `/api/evals/runs/${other.runId}/cancel`);
  });
});
