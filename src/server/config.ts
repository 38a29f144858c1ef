import { z } from 'zod';

// The one place that reads process.env: everything else receives a Config.

const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const intFromEnv = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const compatProvider = z.object({
  name: z.string().regex(/^[a-z0-9_-]+$/, 'name must be lower-case letters, digits, _ or -'),
  baseURL: z.url(),
  apiKey: z.string().optional(),
  models: z.array(z.string().min(1)).default([]),
});

const envSchema = z.object({
  PORT: intFromEnv(0, 65535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/workshop.db')
    .refine((v) => v.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(v), {
      message: 'must start with sqlite: or postgres://',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.url().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  OLLAMA_HOST: z.url().optional(),
  OLLAMA_DETECT: boolFromEnv.default(true),
  OPENAI_COMPATIBLE_PROVIDERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return [];
      try {
        return z.array(compatProvider).parse(JSON.parse(v));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON array of {name, baseURL, apiKey?, models?}',
        });
        return z.NEVER;
      }
    }),
  DEFAULT_MODEL: z
    .string()
    .regex(/^[a-z0-9_-]+:.+$/, 'must look like provider:model')
    .optional(),
  LLM_MAX_RETRIES: intFromEnv(0, 3).default(3),
  LLM_CONNECT_TIMEOUT_MS: intFromEnv(100, 600_000).default(10_000),
  LLM_FIRST_TOKEN_TIMEOUT_MS: intFromEnv(100, 600_000).default(60_000),
  LLM_TOTAL_TIMEOUT_MS: intFromEnv(100, 3_600_000).default(300_000),
  WORKSHOP_ADMIN_USERNAME: z.string().min(3).max(50).default('admin'),
  WORKSHOP_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SESSION_IDLE_MINUTES: intFromEnv(1, 60 * 24 * 30).default(60 * 12),
  SESSION_MAX_HOURS: intFromEnv(1, 24 * 90).default(24 * 7),
  LOGIN_MAX_ATTEMPTS: intFromEnv(1, 1000).default(10),
  LOGIN_WINDOW_SECONDS: intFromEnv(1, 86_400).default(15 * 60),
  TEST_RATE_LIMIT_PER_MINUTE: intFromEnv(1, 10_000).default(20),
  DRAFT_RETENTION_DAYS: intFromEnv(1, 36_500).default(30),
  SAMPLE_CORPUS: boolFromEnv.default(true),
  REDIS_URL: z.string().optional(),
  TRUST_PROXY: boolFromEnv.default(false),
});

export type CompatProvider = z.infer<typeof compatProvider>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  openai: { apiKey?: string; baseURL?: string };
  anthropic: { apiKey?: string; baseURL?: string };
  ollama: { host?: string; detect: boolean };
  compatProviders: CompatProvider[];
  defaultModel?: string;
  llm: { maxRetries: number; connectTimeoutMs: number; firstTokenTimeoutMs: number; totalTimeoutMs: number };
  admin: { username: string; password?: string };
  session: { idleMinutes: number; maxHours: number };
  login: { maxAttempts: number; windowSeconds: number };
  testRateLimitPerMinute: number;
  draftRetentionDays: number;
  sampleCorpus: boolean;
  redisUrl?: string;
  trustProxy: boolean;
}

export class ConfigError extends Error {}

/** Parses the environment once; a bad value throws a ConfigError with one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid ${name}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    openai: { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL },
    anthropic: { apiKey: e.ANTHROPIC_API_KEY, baseURL: e.ANTHROPIC_BASE_URL },
    ollama: { host: e.OLLAMA_HOST, detect: e.OLLAMA_DETECT },
    compatProviders: e.OPENAI_COMPATIBLE_PROVIDERS,
    defaultModel: e.DEFAULT_MODEL,
    llm: {
      maxRetries: e.LLM_MAX_RETRIES,
      connectTimeoutMs: e.LLM_CONNECT_TIMEOUT_MS,
      firstTokenTimeoutMs: e.LLM_FIRST_TOKEN_TIMEOUT_MS,
      totalTimeoutMs: e.LLM_TOTAL_TIMEOUT_MS,
    },
    admin: { username: e.WORKSHOP_ADMIN_USERNAME, password: e.WORKSHOP_ADMIN_PASSWORD },
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    login: { maxAttempts: e.LOGIN_MAX_ATTEMPTS, windowSeconds: e.LOGIN_WINDOW_SECONDS },
    testRateLimitPerMinute: e.TEST_RATE_LIMIT_PER_MINUTE,
    draftRetentionDays: e.DRAFT_RETENTION_DAYS,
    sampleCorpus: e.SAMPLE_CORPUS,
    redisUrl: e.REDIS_URL,
    trustProxy: e.TRUST_PROXY,
  };
}

/** Test runs read TEST_DATABASE_URL through here so only this file touches process.env. */
export function testDatabaseUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined;
}

/** Benchmarks use BENCH_DATABASE_URL, else TEST_DATABASE_URL, for their PostgreSQL runs. */
export function benchDatabaseUrl(env: Record<string, string | undefined> = process.env): string | undefined {
  return env.BENCH_DATABASE_URL || env.TEST_DATABASE_URL || undefined;
}
