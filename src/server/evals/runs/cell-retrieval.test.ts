import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app';
import { dialects } from '../../../../test/helpers/databases';
import type { TurnArticle } from '../../auspex/context-packing';
import { cellSearch, PG_SEARCHES_AT_ONCE } from './cell-retrieval';

// How many of a pool's searches run at once: one on SQLite (it answers on the server thread), a
// bounded few on PostgreSQL, so a pool's 128 claimed cells leave connections for storing answers.

describe.each(dialects)('cell searches on $dialect', ({ dialect, create }) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(await create(), { EVAL_WORKER: 'false' });
  });
  afterAll(() => t.close());

  it('runs as many searches at once as the engine allows, each heard to have queued', async () => {
    let open = 0;
    let most = 0;
    const search = cellSearch(t.ctx, async (_ctx, q) => {
      most = Math.max(most, ++open);
      // Held long enough for every other search to have been asked for.
      await delay(20);
      open--;
      return [{ id: q.limit } as TurnArticle];
    });
    const waits: number[] = [];
    const found = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        search({ topic: 'Robotics', message: `case ${i}`, limit: i }, (ms) => waits.push(ms)),
      ),
    );
    expect(found.map((a) => a[0].id)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(dialect === 'sqlite' ? 1 : PG_SEARCHES_AT_ONCE);
    expect(waits).toHaveLength(20);
  });

  it('refuses the searches still queued once the pool stops, and runs none of them', async () => {
    let started = 0;
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const search = cellSearch(t.ctx, async () => {
      started++;
      await held;
      return [];
    });
    const stop = new AbortController();
    const asked = Array.from({ length: 10 }, (_, i) =>
      search({ topic: 'Robotics', message: `case ${i}`, limit: 10 }, () => {}, stop.signal).then(
        () => 'found',
        (err: Error) => err.message,
      ),
    );
    await delay(20);
    stop.abort(new Error('shutting down'));
    release();
    const running = dialect === 'sqlite' ? 1 : PG_SEARCHES_AT_ONCE;
    expect(await Promise.all(asked)).toEqual([
      ...Array(running).fill('found'),
      ...Array(10 - running).fill('The run stopped before this search started'),
    ]);
    expect(started).toBe(running);
  });
});
