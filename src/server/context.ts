import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import type { DB } from './db/database';
import type { DialectName } from './db/dialect';
import type { Budget } from './limits';
import type { Llm } from './llm/types';

/** What every service needs; features add their own dependencies beside it in AppDeps. */
export interface AppContext {
  config: Config;
  db: DB;
  dialect: DialectName;
  log: FastifyBaseLogger;
  /** Model access; created from config in buildApp (llm/registry). */
  llm: Llm;
  /** Per-key allowances: failed sign-ins, and model calls per user across every route. */
  budgets: { login: Budget; modelCalls: Budget };
}

export const nowIso = (): string => new Date().toISOString();
