import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'pw-cli-'));
const env = { PATH: process.env.PATH, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'warn' };

async function cli(args: string[], extraEnv: Record<string, string> = {}) {
  try {
    const r = await run('node', ['bin/prompt-workshop.js', ...args], { env: { ...env, ...extraEnv } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err: any) {
    return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prompt-workshop CLI', () => {
  it('migrates, manages users and tokens, and fails clearly on bad input', async () => {
    expect(await cli(['migrate'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/Applied 0001-initial/),
    });
    expect(await cli(['migrate'])).toMatchObject({ code: 0, stdout: 'Database is up to date.\n' });

    expect(
      await cli(['users', 'create', 'erin', '--password', 'erin-password', '--role', 'admin']),
    ).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Created admin "erin"/),
    });
    expect(await cli(['users', 'create', 'erin', '--password', 'erin-password'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: Username "erin" is taken\n',
    });
    expect(await cli(['users', 'create', 'frank', '--password', 'short'])).toMatchObject({
      code: 1,
      stderr: 'error: password: password must be at least 8 characters\n',
    });
    expect((await cli(['users', 'list'])).stdout).toMatch(/\terin\tadmin\n/);
    expect(await cli(['users', 'reset-password', 'erin', '--password', 'new-password'])).toMatchObject({
      code: 0,
    });
    expect(await cli(['users', 'disable', 'nobody'])).toMatchObject({
      code: 1,
      stderr: 'error: User "nobody" not found\n',
    });
    const token = await cli(['tokens', 'create', 'erin', '--name', 'ci']);
    expect(token).toMatchObject({ code: 0, stdout: expect.stringMatching(/\npw_[A-Za-z0-9_-]{43}\n$/) });
    const expiring = await cli(['tokens', 'create', 'erin', '--name', 'nightly', '--expires-in-days', '30']);
    expect(expiring).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^Token 2 "nightly" for erin, valid until \d{4}-\d\d-\d\dT[\d:.]+Z \(shown once\)/,
      ),
    });
    expect(await cli(['tokens', 'create', 'erin', '--name', 'x', '--expires-in-days', '0'])).toMatchObject({
      code: 1,
      stderr: 'error: expires_in_days: expires_in_days must be 1–3650\n',
    });
    expect((await cli(['tokens', 'list', 'erin'])).stdout).toMatch(
      /^2\tactive\tnightly\tcreated \S+\texpires \S+Z\tlast used never\n1\tactive\tci\tcreated \S+\texpires never\tlast used never\n$/,
    );
    expect(await cli(['tokens', 'revoke', '1'])).toEqual({
      code: 0,
      stdout: 'Token 1 revoked\n',
      stderr: '',
    });
    expect(await cli(['tokens', 'revoke', '1'])).toMatchObject({
      code: 1,
      stderr: 'error: Token 1 not found\n',
    });
    expect(await cli(['tokens', 'revoke', 'abc'])).toMatchObject({ code: 1 });
    expect((await cli(['tokens', 'list', 'erin'])).stdout).not.toMatch(/\tci\t/);

    // The last active administrator stays; with a second one, erin can be disabled.
    expect(await cli(['users', 'disable', 'erin'])).toMatchObject({
      code: 1,
      stderr: 'error: "erin" is the last active administrator; make another user an administrator first\n',
    });
    await cli(['users', 'create', 'gina', '--password', 'gina-password', '--role', 'admin']);
    expect(await cli(['users', 'disable', 'erin'])).toMatchObject({ code: 0 });
    expect((await cli(['users', 'list'])).stdout).toMatch(/\terin\tadmin\tdisabled\n/);
    // Disabling revoked erin's remaining token.
    expect((await cli(['tokens', 'list', 'erin'])).stdout).toBe('');

    expect(await cli(['migrate', '--down'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Reverted /),
    });
    // About 25 CLI processes one after another: on two busy cores that can pass a minute.
  }, 180_000);

  it('import: refuses an empty file with one error line', async () => {
    const file = join(dir, 'header-only.csv');
    writeFileSync(file, 'title,url,published_at\n');
    expect(await cli(['import', file, '--topic', 'Empty CSV'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: Nothing to import: the CSV file has no rows after its header\n',
    });
  });

  it('refuses a bad DATABASE_URL with one line', async () => {
    expect(await cli(['serve'], { DATABASE_URL: 'mysql://x' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: Invalid DATABASE_URL: must start with sqlite: or postgres://\n',
    });
  });
});
