import pg from 'pg';
import { quantileSorted } from 'simple-statistics';
import { fakeOpenAiEnv } from '../../test/fake-upstream/server';

/** The admin password every benchmark server is started with. */
export const BENCH_PASSWORD = 'bench-password-1';

/** Signs in as admin and returns the `pw_session=…` cookie pair. */
export async function login(url: string, password = BENCH_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 200 || !cookie) throw new Error(`login failed: ${res.status}`);
  return cookie.split(';')[0];
}

/** A new, empty database on the server of `base`, dropped by `drop()`. */
export async function freshPgDatabase(
  base: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pw_bench_${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Quantile q of ascending samples, to two decimals. */
export const pct = (sorted: number[], q: number) => Number(quantileSorted(sorted, q).toFixed(2));

/** Environment of a benchmark server whose default model is the fake upstream at `openaiBaseURL`. */
export function fakeModelServerEnv(databaseUrl: string, openaiBaseURL: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    WORKSHOP_ADMIN_PASSWORD: BENCH_PASSWORD,
    LOG_LEVEL: 'warn',
    OLLAMA_DETECT: 'false',
    ...fakeOpenAiEnv({ openaiBaseURL }),
  };
}

/** One streaming Chat Completions request straight to the fake upstream: the baseline of a model call. */
export function fakeStreamRequest(openaiBaseURL: string): Promise<Response> {
  return fetch(`${openaiBaseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({
      model: 'gpt-4.1-mini',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
}

/** A JSON request with the session cookie; throws on any answer of 300 or more, with its body. */
export async function json(url: string, method: string, cookie: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json()) as Record<string, any>;
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}
