import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/helpers/databases';
import { DRAFT_TEXT, startWorkshopApp, TOPIC, type WorkshopFixture } from '../../../test/helpers/workshop';
import type { AuthUser } from '../auth/types';
import type { AppContext } from '../context';
import { commitDraft, startWorkshop, updateDraft } from './service';
import { executeTest, prepareTest } from './test-runs';

// The seed's Logging section: workshop created, test executed (articles, time), draft committed.

describe.each(dialects)('workshop log lines on $dialect', ({ create }) => {
  let f: WorkshopFixture;

  beforeAll(async () => {
    f = await startWorkshopApp(await create());
  });
  afterAll(async () => f?.close());

  it('logs the seed’s three lines with the figures they name', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line).msg) });
    const ctx: AppContext = { ...f.t.ctx, log: log as unknown as AppContext['log'] };
    const user = (await f.alice('GET', '/api/auth/me')).json().user as AuthUser;

    const started = await startWorkshop(ctx, user, { requirements: 'Log me' });
    await updateDraft(ctx, user, started.draft_id, { draft_content: DRAFT_TEXT });
    const prepared = await prepareTest(ctx, user, started.draft_id, {
      test_query: 'How are companies adopting robotics?',
      topic: TOPIC,
      limit: 5,
      agentic: false,
      store_full_response: true,
    });
    const result = await executeTest(ctx, prepared);
    await commitDraft(ctx, user, started.draft_id, { name: 'logged_prompt', title: 'Logged prompt' });

    expect(lines).toEqual([
      `Workshop created: user=alice, draft_id=${started.draft_id}`,
      `Test executed: draft_id=${started.draft_id}, articles=5, time=${result.execution_time_ms}ms`,
      `Draft committed: draft_id=${started.draft_id}, name=logged_prompt`,
    ]);
  });
});
