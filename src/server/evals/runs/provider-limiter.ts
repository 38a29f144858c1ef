// How many model calls may be in flight per provider: starts at the most asked for, halves on a
// 429 or overload, waits out a pause, and grows back by one after a window of successes (AIMD, as
// TCP does). Shared by every run in the process, since they share the provider's rate limit.

export interface ProviderLimiter {
  /** Resolves once a call to `provider` may start; call the returned release when it ends. */
  acquire(provider: string, signal?: AbortSignal): Promise<() => void>;
  /** A call's place at once, or null when the provider is paused, full or has callers waiting. */
  tryAcquire(provider: string): (() => void) | null;
  /** Resolves once `provider` has room (without taking it): for callers that wait elsewhere. */
  whenFree(provider: string, signal?: AbortSignal): Promise<void>;
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
  /** Told once there is room, taking none (whenFree). */
  watchers: (() => void)[];
}

export function createProviderLimiter(max: number): ProviderLimiter {
  const states = new Map<string, State>();
  const state = (p: string) => {
    let s = states.get(p);
    if (!s) {
      s = { limit: max, inFlight: 0, successes: 0, pausedUntil: 0, waiters: [], watchers: [] };
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
    const paused = Date.now() < s.pausedUntil;
    if (!paused && s.inFlight < s.limit && s.waiters.length === 0 && s.watchers.length > 0) {
      const told = s.watchers;
      s.watchers = [];
      for (const w of told) w();
    }
    if ((s.waiters.length > 0 || s.watchers.length > 0) && paused) {
      setTimeout(() => wake(s), s.pausedUntil - Date.now()).unref();
    }
  };
  /** Waits in one of the state's lists until wake() calls it; an abort takes it out and refuses. */
  const waitIn = (s: State, list: 'waiters' | 'watchers', signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', stop);
        resolve();
      };
      const stop = () => {
        s[list] = s[list].filter((w) => w !== go);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', stop, { once: true });
      s[list].push(go);
      wake(s);
    });
  const hasRoom = (s: State) => s.inFlight < s.limit && Date.now() >= s.pausedUntil && s.waiters.length === 0;
  const releaser = (s: State) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      s.inFlight--;
      wake(s);
    };
  };
  return {
    async acquire(provider, signal) {
      // An abort listener added after the abort would never fire: the caller would wait it out.
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const s = state(provider);
      if (s.inFlight >= s.limit || Date.now() < s.pausedUntil || s.waiters.length > 0) {
        // Woken by wake(), which has already counted this call in flight.
        await waitIn(s, 'waiters', signal);
      } else {
        s.inFlight++;
      }
      return releaser(s);
    },
    tryAcquire(provider) {
      const s = state(provider);
      if (!hasRoom(s)) return null;
      s.inFlight++;
      return releaser(s);
    },
    async whenFree(provider, signal) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const s = state(provider);
      if (hasRoom(s)) return;
      await waitIn(s, 'watchers', signal);
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
