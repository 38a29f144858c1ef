import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fakeOpenAiEnv, startFakeUpstream } from './fake-upstream/server';
import { sseEvents } from './helpers/articles';
import { startServerProcess } from './helpers/server-process';

const dir = mkdtempSync(join(tmpdir(), 'pw-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('finishes an in-flight streamed answer on SIGTERM, then exits 0', async () => {
  const fake = await startFakeUpstream({
    defaultScenario: { chunks: ['slow ', 'but ', 'complete'], chunkDelayMs: 400 },
  });
  const server = await startServerProcess({
    DATABASE_URL: `sqlite:${join(dir, 'w.db')}`,
    WORKSHOP_ADMIN_PASSWORD: 'admin-password-1',
    ...fakeOpenAiEnv(fake),
  });
  const base = server.base;
  const headers = await server.signIn('admin', 'admin-password-1');
  const session = await fetch(`${base}/api/auspex/chat/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ topic: 'AI Adoption', title: 'shutdown' }),
  });
  const { chat_id } = await session.json();

  const answer = fetch(`${base}/api/auspex/chat/message`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ chat_id, message: 'How are companies measuring returns?' }),
  }).then((r) => r.text());
  while (fake.modelRequests().length === 0) await new Promise((r) => setTimeout(r, 20));
  const exited = server.stop('SIGTERM');

  const events = sseEvents(await answer);
  expect(
    events
      .filter((e) => 'content' in e)
      .map((e) => e.content)
      .join(''),
  ).toBe('slow but complete');
  expect(events.at(-1)).toMatchObject({ done: true });
  expect(await exited).toBe(0);
  // New connections are refused once it has stopped.
  await expect(fetch(`${base}/api/health`)).rejects.toThrow();
  await fake.close();
});
