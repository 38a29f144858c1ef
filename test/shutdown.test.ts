import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { sseEvents } from '../src/server/auspex/testing';
import { fakeOpenAiEnv, startFakeUpstream } from './fake-upstream/server';

const dir = mkdtempSync(join(tmpdir(), 'pw-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('finishes an in-flight streamed answer on SIGTERM, then exits 0', async () => {
  const fake = await startFakeUpstream({
    defaultScenario: { chunks: ['slow ', 'but ', 'complete'], chunkDelayMs: 400 },
  });
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const server = spawn(process.execPath, ['bin/prompt-workshop.js', 'serve'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, 'w.db')}`,
      WORKSHOP_ADMIN_PASSWORD: 'admin-password-1',
      ...fakeOpenAiEnv(fake),
      OLLAMA_DETECT: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 600) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin-password-1' }),
  });
  const headers = {
    cookie: login.headers.get('set-cookie')!.split(';')[0],
    'content-type': 'application/json',
  };
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
  const exited = once(server, 'exit');
  server.kill('SIGTERM');

  const events = sseEvents(await answer);
  expect(
    events
      .filter((e) => 'content' in e)
      .map((e) => e.content)
      .join(''),
  ).toBe('slow but complete');
  expect(events.at(-1)).toMatchObject({ done: true });
  expect((await exited)[0]).toBe(0);
  // New connections are refused once it has stopped.
  await expect(fetch(`${base}/api/health`)).rejects.toThrow();
  await fake.close();
});
