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
});
