import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Config } from './config';
import type { AppContext } from './context';
import { AppError } from './errors';

/** A count per key over a fixed window, shared through Redis when there is one. */
export interface Budget {
  /** Counts one use of `key`; throws a 429 with Retry-After once the window's allowance is spent. */
  take(key: string): Promise<void>;
  /** Forgets what `key` has used (a successful sign-in clears its failures). */
  clear(key: string): Promise<void>;
}

export interface BudgetOptions {
  name: string;
  points: number;
  windowSeconds: number;
  /** The 429's detail; gets "; retry in N s" appended. */
  refusal: string;
  redis: Redis | null;
}

export function createBudget(o: BudgetOptions): Budget {
  const memory = new RateLimiterMemory({ keyPrefix: o.name, points: o.points, duration: o.windowSeconds });
  // With Redis every process shares one count; if Redis is unreachable, this process counts alone.
  const limiter: RateLimiterAbstract = o.redis
    ? new RateLimiterRedis({
        storeClient: o.redis,
        keyPrefix: `pw:${o.name}`,
        points: o.points,
        duration: o.windowSeconds,
        insuranceLimiter: memory,
      })
    : memory;
  return {
    async take(key) {
      try {
        await limiter.consume(key);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new AppError('rate_limited', `${o.refusal}; retry in ${seconds} s`, undefined, {
          'retry-after': String(seconds),
        });
      }
    },
    async clear(key) {
      await limiter.delete(key);
    },
  };
}

/** The app's budgets: failed sign-ins per username and address, model calls per user on every route. */
export function createBudgets(config: Config, redis: Redis | null): AppContext['budgets'] {
  return {
    login: createBudget({
      name: 'login',
      points: config.login.maxAttempts,
      windowSeconds: config.login.windowSeconds,
      refusal: 'Too many sign-in attempts',
      redis,
    }),
    modelCalls: createBudget({
      name: 'model-calls',
      points: config.modelCallsPerMinute,
      windowSeconds: 60,
      refusal: `Too many model calls (${config.modelCallsPerMinute} a minute per user)`,
      redis,
    }),
  };
}

/** At most `max` things open at once per key in this process (event streams per user). */
export interface Slots {
  /** Takes a place for `key`, or throws a 429 with `refusal` when all are taken; call the result to free it. */
  take(key: string | number): () => void;
}

export function createSlots(max: number, refusal: string): Slots {
  const open = new Map<string | number, number>();
  return {
    take(key) {
      const held = open.get(key) ?? 0;
      if (held >= max) throw new AppError('rate_limited', refusal);
      open.set(key, held + 1);
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      };
    },
  };
}
