import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTokenFor } from '../src/server/auth/service';
import { createDatabase } from '../src/server/db/database';
import { ADMIN_PASSWORD, signIn, startTestApp } from './helpers/app';
import { startServerProcess } from './helpers/server-process';

// `prompt-workshop eval` from the outside: in-process on the local database and against a running
// server with a token; its summary, its JUnit file and its exit codes.

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'pw-cli-eval-'));
const DB = `sqlite:${join(dir, 'eval.db')}`;
const env = {
  PATH: process.env.PATH,
  DATABASE_URL: DB,
  LOG_LEVEL: 'warn',
  OLLAMA_DETECT: 'false',
  WORKSHOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
};

async function cli(args: string[], extra: Record<string, string> = {}) {
  try {
    const r = await run('node', ['bin/prompt-workshop.js', 'eval', ...args], { env: { ...env, ...extra } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err: any) {
    return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
  }
}

beforeAll(async () => {
  // The sample corpus gives the topic; the suite is the admin's.
  const t = await startTestApp({ ...createDatabase(DB), url: DB }, { SAMPLE_CORPUS: 'true' });
  const admin = await signIn(t, 'admin', ADMIN_PASSWORD);
  const cases = [1, 2, 3].map((i) => ({
    query: `How are companies adopting AI, part ${i}?`,
    topic: 'AI Adoption',
  }));
  expect((await admin('POST', '/api/evals/suites', { name: 'Smoke', cases })).statusCode).toBe(201);
  const strict = {
    name: 'Strict',
    cases: [{ ...cases[0], assertions: [{ type: 'contains', value: 'a phrase no answer holds' }] }],
  };
  expect((await admin('POST', '/api/evals/suites', strict)).statusCode).toBe(201);
  await t.app.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prompt-workshop eval', () => {
  it('runs a suite in-process, prints a summary, writes JUnit and exits 0', async () => {
    const out = join(dir, 'results.xml');
    const res = await cli([
      '--suite',
      'Smoke',
      '--prompt',
      'auspex_default',
      '--model',
      'offline:demo',
      '--output',
      out,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^#\s+prompt\s+model\s+ok\s+errors\s+passed\s+grounded\s+mean time\s+cost\n/);
    expect(res.stdout).toMatch(
      /\n1\s+auspex_default v1\s+offline:demo\s+3\s+0\s+—\s+\d+ %\s+\d+ ms\s+\$0\.0000\n/,
    );
    expect(res.stdout).toMatch(/run \d+ done: 3 ok, 0 errors, 0 skipped of 3; spent \$0\.0000/);
    const junit = readFileSync(out, 'utf8');
    expect(junit).toMatch(
      /<testsuite name="1: auspex_default v1 · offline:demo" tests="3" failures="0" skipped="0"/,
    );
    expect(junit.match(/<testcase /g)).toHaveLength(3);
  });

  it('exits 1 when a case fails its assertions, with the reason in the JUnit failure', async () => {
    const out = join(dir, 'strict.xml');
    const res = await cli([
      '--suite',
      'Strict',
      '--prompt',
      'auspex_default',
      '--model',
      'offline:demo',
      '--output',
      out,
    ]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/run \d+ done: 1 ok, 0 errors/);
    expect(res.stdout).toMatch(/1 case of 1 failed its assertions/);
    expect(readFileSync(out, 'utf8')).toMatch(
      /<failure message="contains: [^"]*a phrase no answer holds[^"]*">/,
    );
  });

  it('exits 1 when a cell fails, with the reason in the JUnit failure', async () => {
    const out = join(dir, 'failed.xml');
    const res = await cli(
      ['--suite', 'Smoke', '--prompt', 'auspex_default', '--model', 'openai:gpt-4.1-mini', '--output', out],
      {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
        LLM_MAX_RETRIES: '0',
      },
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/run \d+ done: 0 ok, 3 errors/);
    expect(readFileSync(out, 'utf8')).toMatch(/<failure message="[^"]+"\/>/);
  });

  it('says why it cannot write --output, and leaves no file behind', async () => {
    const out = join(dir, 'missing', 'results.json');
    const res = await cli([
      '--suite',
      'Smoke',
      '--prompt',
      'auspex_default',
      '--model',
      'offline:demo',
      '--output',
      out,
    ]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`error: could not write ${out}: ENOENT`);
    expect(existsSync(`${out}.part`) || existsSync(out)).toBe(false);
  });

  it.each([
    [['--suite', 'Nope', '--prompt', 'auspex_default'], 'error: Suite "Nope" not found\n'],
    [
      ['--suite', 'Smoke', '--prompt', 'nope_prompt'],
      'error: Prompt ref "nope_prompt": prompt "nope_prompt" not found\n',
    ],
    [
      ['--suite', 'Smoke', '--prompt', 'auspex_default', '--repeat', '11'],
      'error: repetitions: repetitions must be 1–10\n',
    ],
    [
      ['--suite', 'Smoke', '--prompt', 'auspex_default', '--budget', 'abc'],
      'error: --budget must be an amount in USD, such as 0.50, not "abc"\n',
    ],
    [
      ['--suite', 'Smoke', '--prompt', 'auspex_default', '--output', 'x.txt'],
      'error: --output must end in .json, .csv or .xml (JUnit), not "x.txt"\n',
    ],
    [
      ['--suite', 'Smoke', '--prompt', 'auspex_default', '--server', 'http://127.0.0.1:9'],
      'error: --server and --token go together\n',
    ],
  ])('refuses %j with one line and exit 1', async (args, stderr) => {
    expect(await cli(args)).toMatchObject({ code: 1, stderr });
  });

  it('runs against a remote server with a token', async () => {
    const server = await startServerProcess({
      DATABASE_URL: DB,
      WORKSHOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      EVAL_POLL_MS: '100',
    });
    try {
      const database = createDatabase(DB);
      const token = await createApiTokenFor({ db: database.db } as any, 'admin', { name: 'ci' });
      await database.destroy();
      const out = join(dir, 'remote.json');
      const res = await cli(
        [
          '--suite',
          'Smoke',
          '--prompt',
          'auspex_default@1',
          '--model',
          'offline:demo',
          '--server',
          server.base,
          '--token',
          token.token,
          '--output',
          out,
        ],
        { DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' },
      );
      expect(res.code, res.stderr).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      expect({ status: report.run.status, cells: report.cells.length, cases: report.cases.length }).toEqual({
        status: 'done',
        cells: 3,
        cases: 3,
      });
    } finally {
      await server.stop('SIGTERM');
    }
  });
});
