import { isIP } from 'node:net';
import { z } from 'zod';

// The one place that reads process.env: everything else receives a Config.

const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const intFromEnv = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// proxy-addr's names for address ranges, accepted beside addresses and CIDR ranges.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/*
 * Which peers may set X-Forwarded-For: none (the default), the nearest N hops, or a list of proxy
 * addresses. "true" (trust everyone) is refused: any client could then pick its own address and
 * walk past the per-address login limit.
 */
const trustProxyFromEnv = z
  .string()
  .default('false')
  .transform((v, ctx): false | number | string[] => {
    const value = v.trim().toLowerCase();
    if (['false', 'no', 'off', '0'].includes(value)) return false;
    if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
    const entries = value.split(',').map((e) => e.trim());
    if (!['true', 'yes', 'on'].includes(value) && entries.every(isProxyAddress)) return entries;
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a hop count (1 for one proxy in front) or a comma-separated list of proxy addresses or CIDR ranges; "true" would trust any client\'s X-Forwarded-For',
    });
    return z.NEVER;
  });

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
  MODEL_WORKER: boolFromEnv.default(true),
  LLM_CONNECT_TIMEOUT_MS: intFromEnv(100, 600_000).default(10_000),
  LLM_FIRST_TOKEN_TIMEOUT_MS: intFromEnv(100, 600_000).default(60_000),
  LLM_TOTAL_TIMEOUT_MS: intFromEnv(100, 3_600_000).default(300_000),
  WORKSHOP_ADMIN_USERNAME: z.string().min(3).max(50).default('admin'),
  WORKSHOP_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SESSION_IDLE_MINUTES: intFromEnv(1, 60 * 24 * 30).default(60 * 12),
  SESSION_MAX_HOURS: intFromEnv(1, 24 * 90).default(24 * 7),
  LOGIN_MAX_ATTEMPTS: intFromEnv(1, 1000).default(10),
  LOGIN_WINDOW_SECONDS: intFromEnv(1, 86_400).default(15 * 60),
  MODEL_CALLS_PER_MINUTE: intFromEnv(1, 10_000).optional(),
  /** The earlier name of MODEL_CALLS_PER_MINUTE, when only the test route was limited. */
  TEST_RATE_LIMIT_PER_MINUTE: intFromEnv(1, 10_000).optional(),
  HTTP_REQUEST_TIMEOUT_MS: intFromEnv(1000, 3_600_000).default(60_000),
  HTTP_HEADERS_TIMEOUT_MS: intFromEnv(1000, 3_600_000).default(15_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: intFromEnv(1000, 3_600_000).default(72_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  DRAFT_RETENTION_DAYS: intFromEnv(1, 36_500).default(30),
  SAMPLE_CORPUS: boolFromEnv.default(true),
  DATA_DIR: z.string().min(1).default('./data'),
  EVAL_WORKER: boolFromEnv.default(true),
  EVAL_LEASE_SECONDS: intFromEnv(2, 3600).default(30),
  EVAL_POLL_MS: intFromEnv(20, 60_000).default(1000),
  EVAL_JUDGE_MODEL: z
    .string()
    .regex(/^[a-z0-9_-]+:.+$/, 'must look like provider:model')
    .default('offline:demo'),
  REDIS_URL: z.string().optional(),
  TRUST_PROXY: trustProxyFromEnv,
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
  llm: {
    maxRetries: number;
    connectTimeoutMs: number;
    firstTokenTimeoutMs: number;
    totalTimeoutMs: number;
    /** Plain-text model calls' HTTP and parsing on a worker thread. */
    modelWorker: boolean;
  };
  admin: { username: string; password?: string };
  session: { idleMinutes: number; maxHours: number };
  login: { maxAttempts: number; windowSeconds: number };
  /** Per user, shared by every route that calls a model. */
  modelCallsPerMinute: number;
  http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number };
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  draftRetentionDays: number;
  sampleCorpus: boolean;
  /** Where files beside the database live (the first admin's generated password). */
  dataDir: string;
  /** Evaluation runs: whether this process works on cells, how long a claim holds, how often to look. */
  evals: {
    worker: boolean;
    leaseSeconds: number;
    pollMs: number;
    /** The model an llm-rubric or pairwise judge uses when its config names none. */
    judgeModel: string;
  };
  redisUrl?: string;
  trustProxy: false | number | string[];
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
      modelWorker: e.MODEL_WORKER,
      connectTimeoutMs: e.LLM_CONNECT_TIMEOUT_MS,
      firstTokenTimeoutMs: e.LLM_FIRST_TOKEN_TIMEOUT_MS,
      totalTimeoutMs: e.LLM_TOTAL_TIMEOUT_MS,
    },
    admin: { username: e.WORKSHOP_ADMIN_USERNAME, password: e.WORKSHOP_ADMIN_PASSWORD },
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    login: { maxAttempts: e.LOGIN_MAX_ATTEMPTS, windowSeconds: e.LOGIN_WINDOW_SECONDS },
    modelCallsPerMinute: e.MODEL_CALLS_PER_MINUTE ?? e.TEST_RATE_LIMIT_PER_MINUTE ?? 20,
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeoutMs: Math.min(e.HTTP_HEADERS_TIMEOUT_MS, e.HTTP_REQUEST_TIMEOUT_MS),
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    metricsToken: e.METRICS_TOKEN,
    draftRetentionDays: e.DRAFT_RETENTION_DAYS,
    sampleCorpus: e.SAMPLE_CORPUS,
    dataDir: e.DATA_DIR,
    evals: {
      worker: e.EVAL_WORKER,
      leaseSeconds: e.EVAL_LEASE_SECONDS,
      pollMs: e.EVAL_POLL_MS,
      judgeModel: e.EVAL_JUDGE_MODEL,
    },
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
