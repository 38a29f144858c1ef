import { setFlagsFromString } from 'node:v8';
import { buildApp } from './app';
import { bootstrap } from './bootstrap';
import type { Config } from './config';
import { createDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';

/**
 * How far V8 lets the old generation grow past what the last full collection left, in percent.
 * By default it grows to about three times the live heap (some 125 MB, half of it the tokenizer)
 * before it collects again, and an eval run's model calls leave plenty of garbage old enough to
 * land there: a 5,000-case run took RSS from 315 MB to 725 MB while holding 2 MB more.
 * At 50 % the same run peaks about 70 MB above idle (bench/evals-large.ts).
 */
const HEAP_GROWING_PERCENT = 50;

/** config -> db -> migrate -> bootstrap -> listen; resolves once listening, stops cleanly on SIGTERM/SIGINT. */
export async function serve(
  config: Config,
  opts: { handleSignals?: boolean } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  // Only the server process, unless node was started with its own value (0 is V8's default). V8
  // reads it at every full collection, so setting it now takes effect.
  if (!process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a)))
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const database = createDatabase(config.databaseUrl);
  await migrateToLatest(database.db);
  const { app, ctx } = await buildApp({ config, database });
  await bootstrap(ctx);
  const url = await app.listen({ port: config.port, host: config.host });
  app.log.info(`Prompt Workshop on ${url} (database ${database.description})`);
  // Building the tokenizer takes about a second; pay it now rather than in the first test run.
  setTimeout(() => ctx.llm.countTokens('warm-up'), 50).unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    // app.close() stops accepting, lets in-flight requests finish, then we close the database.
    closing ??= app.close().then(() => database.destroy());
    return closing;
  };
  // The eval command serves in-process and handles its own signals (cancel the run, then stop).
  for (const signal of opts.handleSignals === false ? [] : (['SIGTERM', 'SIGINT'] as const)) {
    process.once(signal, () => {
      app.log.info(`${signal}: finishing in-flight requests`);
      close().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  return { url, close };
}
