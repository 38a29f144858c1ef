import { LlmError } from '../../llm/types';
import { createProviderLimiter, type ProviderLimiter } from './provider-limiter';

// When a run's cell may call its model: one of the run's `concurrency` call slots (in the order
// cells ask), then one of the provider's (shared by every run in the process, provider-limiter.ts),
// then a read of the run's status. A cell whose provider has no room gives its run slot back until
// it has, so one rate-limited provider does not hold a run's other providers up. A cell claimed
// ahead starts its call the moment another ends, with no claim between that would read the run's
// state; this read does, so a cancel made by another process (or on PostgreSQL by this one, a
// moment before it aborts the pool) starts nothing new. Calls that start together share one read.

export interface HeldSlots {
  /** Frees the provider's slot (once the answer has streamed). */
  provider(): void;
  /** Frees the run's slot (then too, or once a judge has scored the answer). */
  run(): void;
}

export function createCallSlots(o: {
  concurrency: number;
  limiter: ProviderLimiter;
  /** The pool's: once aborted, every wait is refused. */
  signal: AbortSignal;
  /** Reads the run's status and aborts the pool when the run was cancelled. */
  stillRunning(): Promise<void>;
}): (provider: string) => Promise<HeldSlots> {
  // One key: the run's own limit on calls in flight.
  const runSlots = createProviderLimiter(o.concurrency);
  let statusRead: Promise<void> | null = null;
  const checkStatus = () =>
    (statusRead ??= o
      .stillRunning()
      // A failed read stops nothing: the next claim or lease renewal meets the same database.
      .catch(() => undefined)
      .finally(() => {
        statusRead = null;
      }));

  return async (provider) => {
    let run = () => {};
    try {
      let providerSlot: (() => void) | null = null;
      for (;;) {
        run = await runSlots.acquire('model', o.signal);
        providerSlot = o.limiter.tryAcquire(provider);
        if (providerSlot) break;
        // The provider is paused (a 429) or full: wait for it without holding a run slot, which
        // the cells of the run's other providers can use meanwhile.
        run();
        run = () => {};
        await o.limiter.whenFree(provider, o.signal);
      }
      await checkStatus();
      if (o.signal.aborted) {
        providerSlot();
        throw o.signal.reason;
      }
      return { provider: providerSlot, run };
    } catch {
      // Only an aborted pool refuses: a cancel, shutting down, or a failed claim.
      run();
      throw new LlmError('The run stopped before this call started', 'aborted');
    }
  };
}
