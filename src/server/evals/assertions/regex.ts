import { createContext, Script } from 'node:vm';
import type { Check } from './types';
import { quoted } from './types';

// Patterns that nest repetition are refused when a suite is parsed (safe-regex2), but star height
// misses others, e.g. ^(a|a)*$. So every match runs in a vm context with a timeout: a runaway match
// is stopped and the assertion becomes an error (never a pass, even under `not`).

/** How long one match may run. */
export const REGEX_TIMEOUT_MS = 50;

export class RegexTimeoutError extends Error {
  constructor(ms: number) {
    super(`regex timed out after ${ms} ms`);
    this.name = 'RegexTimeoutError';
  }
}

const sandbox = createContext(Object.create(null) as object);
const script = new Script(
  '(() => { const m = new RegExp(p, f).exec(s); return m === null ? null : { index: m.index, text: m[0].slice(0, 200) }; })()',
);

export interface RegexMatch {
  index: number;
  /** The match, at most 200 characters. */
  text: string;
}

/** The pattern's first match in `text`, or null; throws RegexTimeoutError past `timeoutMs`. */
export function boxedSearch(
  pattern: string,
  flags: string,
  text: string,
  timeoutMs = REGEX_TIMEOUT_MS,
): RegexMatch | null {
  const env = sandbox as Record<string, unknown>;
  env.p = pattern;
  env.f = flags;
  env.s = text;
  try {
    const m = script.runInContext(sandbox, { timeout: timeoutMs }) as RegexMatch | null;
    return m === null ? null : { index: m.index, text: m.text };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw new RegexTimeoutError(timeoutMs);
    throw err;
  } finally {
    env.s = undefined;
  }
}

/** The answer matches the pattern somewhere (use ^ and $ to anchor). */
export const check: Check<'regex'> = (answer, { pattern, flags }) => {
  const m = boxedSearch(pattern, flags ?? '', answer);
  const shown = `/${pattern.length > 60 ? `${pattern.slice(0, 59)}…` : pattern}/${flags ?? ''}`;
  return m
    ? { pass: true, score: 1, reason: `answer matches ${shown} at ${quoted(m.text)}`, details: { ...m } }
    : { pass: false, score: 0, reason: `answer does not match ${shown}` };
};
