import type { AppContext } from './context';

export interface PeriodicJob {
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` after `firstDelayMs`, then every `intervalMs`, never two runs at once. Timers are
 * unref'd so a job never keeps the process alive; failures are logged and the schedule goes on.
 */
export function startPeriodicJob(
  ctx: AppContext,
  name: string,
  task: () => Promise<unknown>,
  intervalMs: number,
  firstDelayMs = intervalMs,
): PeriodicJob {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = task()
      .catch((err) => ctx.log.error({ err }, `${name} failed`))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(run, Math.min(firstDelayMs, intervalMs));
  const every = setInterval(run, intervalMs);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
