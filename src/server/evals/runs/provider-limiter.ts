// How many model calls may be in flight per provider: starts at the most asked for, halves on a
// 429 or overload, waits out a pause, and grows back by one after a window of successes (AIMD, as
// TCP does). Shared by every run in the process, since they share the provider's rate limit.

export interface ProviderLimiter {
  /** Resolves once a call to `provider` may start; call the returned release when it ends. */
  acquire(provider: string, signal?: AbortSignal): Promise<() => void>;
  /** The provider refused for load: fewer calls at once, and none for `pauseMs`. */
  slowDown(provider: string, pauseMs: number): void;
  succeeded(provider: string): void;
  limitOf(provider: string): number;
}

interface State {
  limit: number;
  inFlight: number;
  successes: number;
  pausedUntil: number;
  waiters: (() => void)[];
}

export function createProviderLimiter(max: number): ProviderLimiter {
  const states = new Map<string, State>();
  const state = (p: string) => {
    let s = states.get(p);
    if (!s) {
      s = { limit: max, inFlight: 0, successes: 0, pausedUntil: 0, waiters: [] };
      states.set(p, s);
    }
    return s;
  };
  // A woken waiter's place is taken here, before it resumes, so one release admits one waiter.
  const wake = (s: State) => {
    while (s.inFlight < s.limit && s.waiters.length > 0 && Date.now() >= s.pausedUntil) {
      s.inFlight++;
      s.waiters.shift()!();
    }
    if (s.waiters.length > 0 && Date.now() < s.pausedUntil) {
      setTimeout(() => wake(s), s.pausedUntil - Date.now()).unref();
    }
  };
  return {
    async acquire(provider, signal) {
      // An abort listener added after the abort would never fire: the caller would wait it out.
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const s = state(provider);
      if (s.inFlight >= s.limit || Date.now() < s.pausedUntil || s.waiters.length > 0) {
        // Woken by wake(), which has already counted this call in flight.
        await new Promise<void>((resolve, reject) => {
          const go = () => {
            signal?.removeEventListener('abort', stop);
            resolve();
          };
          const stop = () => {
            s.waiters = s.waiters.filter((w) => w !== go);
            reject(signal?.reason ?? new Error('aborted'));
          };
          signal?.addEventListener('abort', stop, { once: true });
          s.waiters.push(go);
          wake(s);
        });
      } else {
        s.inFlight++;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        s.inFlight--;
        wake(s);
      };
    },
    slowDown(provider, pauseMs) {
      const s = state(provider);
      s.limit = Math.max(1, Math.floor(s.limit / 2));
      s.successes = 0;
      s.pausedUntil = Math.max(s.pausedUntil, Date.now() + pauseMs);
    },
    succeeded(provider) {
      const s = state(provider);
      if (s.limit >= max) return;
      if (++s.successes >= s.limit) {
        s.limit++;
        s.successes = 0;
        wake(s);
      }
    },
    limitOf: (provider) => state(provider).limit,
  };
}
