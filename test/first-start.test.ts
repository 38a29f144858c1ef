import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

// The first start with no admin password configured: a plain banner on stderr and a file only the
// server's user can read, removed when the password is changed.

const dir = mkdtempSync(join(tmpdir(), 'pw-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = {
  PATH: process.env.PATH,
  DATABASE_URL: `sqlite:${join(dir, 'w.db')}`,
  DATA_DIR: join(dir, 'data'),
  SAMPLE_CORPUS: 'false',
  OLLAMA_DETECT: 'false',
  LOG_LEVEL: 'warn',
};

it('prints the generated password in a banner, keeps it in a 0600 file, and removes it on reset', async () => {
  const port = 19_000 + Math.floor(Math.random() * 1000);
  const server = spawn(process.execPath, ['bin/prompt-workshop.js', 'serve'], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
  });
  await expect.poll(() => stderr, { timeout: 30_000 }).toMatch(/password: \S+\n/);
  const password = /password: (\S+)\n/.exec(stderr)![1];
  const file = join(dir, 'data', 'initial-admin-password');
  expect(stderr).toContain(
    ` Prompt Workshop created its first administrator.\n   username: admin\n   password: ${password}\n`,
  );
  expect(readFileSync(file, 'utf8')).toBe(`${password}\n`);
  expect(statSync(file).mode & 0o777).toBe(0o600);

  // The password in the banner signs in.
  await expect
    .poll(
      () =>
        fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password }),
        }).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 30_000 },
    )
    .toBe(200);
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));

  await promisify(execFile)(
    'node',
    ['bin/prompt-workshop.js', 'users', 'reset-password', 'admin', '--password', 'a-new-password'],
    { env },
  );
  expect(existsSync(file)).toBe(false);
});
