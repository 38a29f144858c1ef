import { jsonOf } from './json';
import type { Check } from './types';

/** The answer is JSON (on its own, or as the one fenced code block it consists of). */
export const check: Check<'is-json'> = (answer) => {
  const j = jsonOf(answer);
  return j.ok
    ? { pass: true, score: 1, reason: 'answer is valid JSON' }
    : { pass: false, score: 0, reason: `answer is not valid JSON: ${j.error}` };
};
