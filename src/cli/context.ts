import pino from 'pino';
import { loadConfig } from '../server/config';
import type { AppContext } from '../server/context';
import { createDatabase } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createBudgets } from '../server/limits';
import { createLlm } from '../server/llm/registry';

/** Opens the configured database (migrated unless told otherwise) for one CLI command. */
export async function withContext<T>(
  fn: (ctx: AppContext) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const database = createDatabase(config.databaseUrl, { poolSize: 2 });
  try {
    if (opts.migrate !== false) await migrateToLatest(database.db);
    const log = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
    return await fn({
      config,
      db: database.db,
      dialect: database.dialect,
      log,
      llm: createLlm(config, log),
      budgets: createBudgets(config, null),
    });
  } finally {
    await database.destroy();
  }
}
