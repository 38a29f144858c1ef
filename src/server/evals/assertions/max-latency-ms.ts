import type { Check } from './types';

/** The cell's execution time (or time to first token) is at most `max` ms. */
export const check: Check<'max-latency-ms'> = (_answer, { max, metric }, ctx) => {
  const ms = metric === 'first_token' ? ctx.first_token_ms : ctx.execution_time_ms;
  const what = metric === 'first_token' ? 'time to first token' : 'execution time';
  if (ms === null) return { pass: false, score: 0, reason: `${what} was not recorded` };
  const pass = ms <= max;
  return {
    pass,
    score: pass ? 1 : 0,
    reason: `${what} ${ms.toLocaleString('en')} ms ${pass ? 'is within' : 'exceeds'} ${max.toLocaleString('en')} ms`,
    details: { ms },
  };
};
