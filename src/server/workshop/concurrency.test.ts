import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberClient } from '../../../test/helpers/app';
import { sseEvents } from '../../../test/helpers/articles';
import { dialects } from '../../../test/helpers/databases';
import {
  BASE,
  DRAFT_TEXT,
  readyDraft,
  startWorkshopApp,
  testBody,
  type WorkshopFixture,
} from '../../../test/helpers/workshop';
import { cleanupExpiredDrafts } from './cleanup';

// What must hold under concurrency and over time: parallel tests all kept, stale edits refused,
// deletes and cleanup leave no orphans, stats survive deletion, metrics are exported.

describe.each(dialects)('workshop concurrency, cleanup and figures on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
  });
  afterAll(async () => f?.close());

  /** Rows left anywhere for a draft and its chat. */
  async function leftovers(draftId: number, chatId: number) {
    const db = f.t.ctx.db;
    const count = async (q: Promise<{ n: number | string } | undefined>) => Number((await q)?.n ?? 0);
    return {
      drafts: await count(
        db
          .selectFrom('drafts')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('id', '=', draftId)
          .executeTakeFirst(),
      ),
      test_runs: await count(
        db
          .selectFrom('test_runs')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('draft_id', '=', draftId)
          .executeTakeFirst(),
      ),
      chats: await count(
        db
          .selectFrom('chats')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('id', '=', chatId)
          .executeTakeFirst(),
      ),
      messages: await count(
        db
          .selectFrom('messages')
          .select((e) => e.fn.countAll<number>().as('n'))
          .where('chat_id', '=', chatId)
          .executeTakeFirst(),
      ),
    };
  }

  it('keeps all 30 tests started in parallel on one draft', async () => {
    const { id } = await readyDraft(f.alice);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        f.alice(
          'POST',
          `${BASE}/drafts/${id}/test`,
          testBody({ test_query: `Parallel question number ${i}` }),
        ),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    // One page holds all 30 (the default page is 20).
    const history = (await f.alice('GET', `${BASE}/drafts/${id}/tests?limit=100`)).json();
    expect(history.total_tests).toBe(30);
    expect(history.next_before).toBeNull();
    expect(new Set(history.test_results.map((r: any) => r.test_id)).size).toBe(30);
    expect(history.test_results.map((r: any) => r.query).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `Parallel question number ${i}`).sort(),
    );
    expect((await f.alice('GET', `${BASE}/drafts/${id}`)).json()).toMatchObject({
      test_count: 30,
      status: 'testing',
    });
  });

  it('accepts exactly one of two PUTs made on the same revision; the other gets 409 with the current draft', async () => {
    const { id } = await readyDraft(f.alice);
    const current = (await f.alice('GET', `${BASE}/drafts/${id}`)).json();
    const [a, b] = await Promise.all(
      ['tab A', 'tab B'].map((tab) =>
        f.alice('PUT', `${BASE}/drafts/${id}`, {
          draft_content: `${DRAFT_TEXT}\n- Edited in ${tab}.`,
          revision: current.revision,
        }),
      ),
    );
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const [won, lost] = a.statusCode === 200 ? [a, b] : [b, a];
    const stored = (await f.alice('GET', `${BASE}/drafts/${id}`)).json();
    expect(stored).toEqual(won.json());
    expect(stored.revision).toBe(current.revision + 1);
    expect(lost.json()).toEqual({
      detail: `Draft ${id} was changed elsewhere (you edited revision ${current.revision}, it is now at revision ${current.revision + 1}); reload it or save again with the current revision`,
      current: stored,
    });
    // Without a revision, the last write wins (the seed's behaviour).
    const blind = await f.alice('PUT', `${BASE}/drafts/${id}`, { draft_name: 'Renamed' });
    expect(blind.json()).toMatchObject({ draft_name: 'Renamed', revision: current.revision + 2 });
  });

  it('commits a draft once when ten commits race: one 201, nine 409 "already committed", one version', async () => {
    const { id } = await readyDraft(f.alice);
    const body = { name: 'raced_prompt', title: 'Raced prompt' };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => f.alice('POST', `${BASE}/drafts/${id}/commit`, body)),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(responses.find((r) => r.statusCode === 201)!.json()).toEqual({
      prompt_id: expect.any(Number),
      name: 'raced_prompt',
      version: 1,
      message: 'Draft committed as prompt "raced_prompt"',
    });
    expect(responses.filter((r) => r.statusCode === 409).map((r) => r.json())).toEqual(
      Array(9).fill({ detail: `Draft ${id} was already committed as raced_prompt v1` }),
    );
    const versions = await f.t.ctx.db
      .selectFrom('prompt_versions')
      .select(['version', 'source_draft_id'])
      .where('source_draft_id', '=', id)
      .execute();
    expect(versions).toEqual([{ version: 1, source_draft_id: id }]);
    const commits = await f.t.ctx.db
      .withTables<{ workshop_events: { kind: string; draft_id: number | null } }>()
      .selectFrom('workshop_events')
      .select('kind')
      .where('draft_id', '=', id)
      .where('kind', '=', 'committed')
      .execute();
    expect(commits).toEqual([{ kind: 'committed' }]);
  });

  it('opens one blank draft when ten reuse_blank starts race: one 201, nine 200 reused', async () => {
    const dora = await memberClient(f.t, f.admin, 'dora');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => dora('POST', `${BASE}/start`, { reuse_blank: true })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    const created = responses.find((r) => r.statusCode === 201)!.json();
    expect(created).toMatchObject({ reused: false });
    const { reused: _r, ...same } = created;
    expect(responses.filter((r) => r.statusCode === 200).map((r) => r.json())).toEqual(
      Array(9).fill({ ...same, reused: true }),
    );
    const drafts = (await dora('GET', `${BASE}/drafts`)).json();
    expect(drafts.drafts.map((d: any) => d.id)).toEqual([created.draft_id]);
    const chats = await f.t.ctx.db
      .selectFrom('chats as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select('c.id')
      .where('u.username', '=', 'dora')
      .execute();
    expect(chats).toEqual([{ id: created.chat_id }]);
  });

  it('deletes a draft with its chat, messages and test runs and leaves no orphans', async () => {
    const { id, chatId } = await readyDraft(f.alice);
    await f.alice('POST', `${BASE}/drafts/${id}/test`, testBody());
    await f.alice('POST', '/api/auspex/chat/message', { chat_id: chatId, message: 'Shorter, please' });
    expect(await leftovers(id, chatId)).toEqual({ drafts: 1, test_runs: 1, chats: 1, messages: 5 });
    expect((await f.alice('DELETE', `${BASE}/drafts/${id}`)).statusCode).toBe(200);
    expect(await leftovers(id, chatId)).toEqual({ drafts: 0, test_runs: 0, chats: 0, messages: 0 });
    expect((await f.alice('DELETE', `${BASE}/drafts/${id}`)).statusCode).toBe(404);
  });

  it('deletes once when two deletes race: one 200, one 404, one recorded deletion', async () => {
    const { id, chatId } = await readyDraft(f.alice);
    const codes = await Promise.all([1, 2].map(() => f.alice('DELETE', `${BASE}/drafts/${id}`)));
    expect(codes.map((r) => r.statusCode).sort()).toEqual([200, 404]);
    expect(await leftovers(id, chatId)).toEqual({ drafts: 0, test_runs: 0, chats: 0, messages: 0 });
    const deletions = await f.t.ctx.db
      .withTables<{ workshop_events: { kind: string; draft_id: number | null } }>()
      .selectFrom('workshop_events')
      .select('kind')
      .where('draft_id', '=', id)
      .where('kind', '=', 'deleted')
      .execute();
    expect(deletions).toEqual([{ kind: 'deleted' }]);
  });

  it('answers 404 and stores nothing when the draft is deleted while its test runs', async () => {
    const { id, chatId } = await readyDraft(f.alice);
    f.fake.enqueue({ firstByteDelayMs: 300 });
    const test = f.alice('POST', `${BASE}/drafts/${id}/test`, testBody());
    // Wait until the model call is in flight, then delete.
    while (f.fake.modelRequests().every((r) => r.outcome !== 'pending'))
      await new Promise((r) => setTimeout(r, 5));
    expect((await f.alice('DELETE', `${BASE}/drafts/${id}`)).statusCode).toBe(200);
    const res = await test;
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: `Draft ${id} not found` });
    expect(await leftovers(id, chatId)).toEqual({ drafts: 0, test_runs: 0, chats: 0, messages: 0 });
  });

  it('removes drafts untouched for the retention period, keeping library prompts made from them', async () => {
    const old = await readyDraft(f.bob, { draft_name: 'Old draft' });
    await f.bob('POST', `${BASE}/drafts/${old.id}/test`, testBody());
    await f.bob('POST', `${BASE}/drafts/${old.id}/commit`, {
      name: 'bobs_old_prompt',
      title: 'Bob old prompt',
    });
    const fresh = await readyDraft(f.bob);
    const long = new Date(Date.now() - 31 * 86_400_000).toISOString();
    await f.t.ctx.db.updateTable('drafts').set({ updated_at: long }).where('id', '=', old.id).execute();
    await f.t.ctx.db.updateTable('chats').set({ updated_at: long }).where('id', '=', old.chatId).execute();
    // Fresh in its chat keeps a draft alive.
    await f.t.ctx.db.updateTable('drafts').set({ updated_at: long }).where('id', '=', fresh.id).execute();

    const cli = await promisify(execFile)('node', ['bin/prompt-workshop.js', 'cleanup', '--dry-run'], {
      env: { PATH: process.env.PATH, DATABASE_URL: f.t.database.url, LOG_LEVEL: 'warn' },
    });
    expect(cli.stdout).toBe(
      `${old.id}\tbob\tcommitted\t${long}\tOld draft\n` +
        'Would remove 1 draft untouched for 30 days (with their chats and test runs).\n',
    );

    const dry = await cleanupExpiredDrafts(f.t.ctx, { dryRun: true });
    expect(dry.removed).toBe(0);
    expect(dry.drafts.map((d) => [d.id, d.username])).toEqual([[old.id, 'bob']]);
    expect(await leftovers(old.id, old.chatId)).toMatchObject({ drafts: 1, test_runs: 1 });

    const run = await cleanupExpiredDrafts(f.t.ctx);
    expect(run.removed).toBe(1);
    expect(await leftovers(old.id, old.chatId)).toEqual({ drafts: 0, test_runs: 0, chats: 0, messages: 0 });
    expect((await f.bob('GET', `${BASE}/drafts/${fresh.id}`)).statusCode).toBe(200);
    expect((await f.bob('GET', '/api/auspex/prompts/bobs_old_prompt')).json()).toMatchObject({
      content: DRAFT_TEXT,
    });
  });

  it('reports the monitoring figures, which survive deleting drafts, and exports them as metrics', async () => {
    const { admin } = f;
    // A fresh user so the figures are exact.
    await admin('POST', '/api/admin/users', { username: 'carol', password: 'member-password-1' });
    const { signIn } = await import('../../../test/helpers/app');
    const carol = await signIn(f.t, 'carol', 'member-password-1');
    const a = await readyDraft(carol);
    const b = await readyDraft(carol);
    const tests = await Promise.all(
      [1, 2, 3].map(() => carol('POST', `${BASE}/drafts/${a.id}/test`, testBody())),
    );
    await carol('PATCH', `${BASE}/drafts/${a.id}/tests/${tests[0].json().test_id}`, { user_rating: 5 });
    await carol('PATCH', `${BASE}/drafts/${a.id}/tests/${tests[1].json().test_id}`, { user_rating: 2 });
    await carol('POST', `${BASE}/drafts/${a.id}/commit`, { name: 'carol_prompt', title: 'Carol prompt' });
    await carol('POST', '/api/auspex/prompts/carol_prompt/clone');
    await carol('POST', '/api/auspex/prompts/carol_prompt/clone');
    await carol('POST', '/api/auspex/prompts/auspex_default/clone');
    await carol('DELETE', `${BASE}/drafts/${b.id}`);

    const stats = (await carol('GET', `${BASE}/stats`)).json();
    const today = new Date().toISOString().slice(0, 10);
    expect(stats).toEqual({
      scope: 'mine',
      days: 30,
      workshops_started: 5,
      workshops_per_day: [{ date: today, count: 5 }],
      tests_run: 3,
      average_tests_per_draft: 0.6,
      commits: 1,
      commit_rate: 0.2,
      average_rating: 3.5,
      ratings: 2,
      average_time_in_workshop_seconds: expect.any(Number),
      most_cloned_prompts: [
        { name: 'carol_prompt', clones: 2 },
        { name: 'auspex_default', clones: 1 },
      ],
    });

    const metrics = await f.t.app.inject({ method: 'GET', url: '/metrics' });
    const text = metrics.body;
    expect(text).toMatch(/^workshop_test_duration_seconds_count\{status="ok"\} \d+$/m);
    expect(text).toMatch(/^workshop_sessions_started_total\{origin="clone"\} \d+$/m);
    expect(text).toMatch(/^workshop_commits_total \d+$/m);
    expect(text).toMatch(/^workshop_commit_rate \d/m);
    expect(text).toMatch(/^workshop_average_rating \d/m);
    // Counts only: no user-chosen name reaches a label.
    expect(text).not.toContain('carol_prompt');
  });
});

describe.each(dialects)('the offline design assistant over HTTP on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create(), { offline: true });
  });
  afterAll(async () => f?.close());

  const say = async (chatId: number, message: string) => {
    const res = await f.alice('POST', '/api/auspex/chat/message', { chat_id: chatId, message });
    const events = sseEvents(res.body);
    expect(events.at(-1)).toMatchObject({ done: true, status: 'ok', offline: true });
    return events.flatMap((e) => (e.content ? [e.content] : [])).join('');
  };

  it('interviews, assembles a draft, revises it, and the draft tests on offline:demo', async () => {
    const start = (
      await f.alice('POST', `${BASE}/start`, { requirements: 'Briefings on AI adoption' })
    ).json();
    expect(start.initial_message).toMatch(
      /^I am the offline workshop assistant: a deterministic guided interview, not an AI model\./,
    );
    expect(start.initial_message).toContain('**Question 1 of 6 — Analysis type.**');
    const answers = ['adoption trends and budgets', 'CIOs', 'skip', 'skip', 'retrieval only', 'none'];
    let reply = '';
    for (const a of answers) reply = await say(start.chat_id, a);
    const draft = /```\n([\s\S]*?)\n```/.exec(reply)![1];
    expect(draft).toMatch(/^You are Auspex, a research assistant\. Your job: adoption trends and budgets,/);
    expect(draft).toContain('Purpose: Briefings on AI adoption');

    // The user extracts it into the editor; revisions then work on it.
    await f.alice('PUT', `${BASE}/drafts/${start.draft_id}`, { draft_content: draft });
    const revised = await say(start.chat_id, 'emphasise name the companies');
    expect(revised).toMatch(/^Put "name the companies" first, under Priorities\./);

    const test = await f.alice('POST', `${BASE}/drafts/${start.draft_id}/test`, testBody());
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ model: 'offline:demo', status: 'ok', article_count: 5, cost_usd: 0 });
  });
});
