import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { type BuiltApp, buildApp } from '../../src/server/app';
import { bootstrap } from '../../src/server/bootstrap';
import { type Config, loadConfig } from '../../src/server/config';
import { migrateToLatest } from '../../src/server/db/migrate';
import type { TestDatabase } from './databases';

export const ADMIN_PASSWORD = 'admin-password-123';

export interface TestApp extends BuiltApp {
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A real app on a fresh database; env overrides go through loadConfig like production. */
export async function startTestApp(
  database: TestDatabase,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    WORKSHOP_ADMIN_USERNAME: 'admin',
    WORKSHOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SAMPLE_CORPUS: 'false',
    OLLAMA_DETECT: 'false',
    ...env,
  });
  await migrateToLatest(database.db);
  const built = await buildApp({
    config,
    database,
    logger: pino({ level: 'silent' }),
    webRoot: '/nonexistent',
  });
  await bootstrap(built.ctx);
  await built.app.ready();
  return {
    ...built,
    config,
    database,
    close: async () => {
      await built.app.close();
      await database.destroy();
    },
  };
}

/** Signs in through the real login route and returns a client that sends the session cookie. */
export async function signIn(t: TestApp, username: string, password: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'pw_session')!;
  return client(t, { cookie: `pw_session=${cookie.value}` });
}

export type Client = (
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

export function client(t: TestApp, baseHeaders: Record<string, string>): Client {
  return (method, url, payload, headers = {}) =>
    t.app.inject({ method, url, payload: payload as any, headers: { ...baseHeaders, ...headers } });
}

/** Creates a member through the admin API and signs them in. */
export async function memberClient(t: TestApp, admin: Client, username: string) {
  const res = await admin('POST', '/api/admin/users', {
    username,
    password: 'member-password-1',
    role: 'member',
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
  return signIn(t, username, 'member-password-1');
}
