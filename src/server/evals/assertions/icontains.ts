import { folded } from './text';
import type { Check } from './types';
import { quoted } from './types';

/** The answer contains the value, ignoring case. */
export const check: Check<'icontains'> = (answer, { value }) =>
  folded(answer).includes(folded(value))
    ? { pass: true, score: 1, reason: `answer contains ${quoted(value)} (ignoring case)` }
    : { pass: false, score: 0, reason: `answer does not contain ${quoted(value)} (ignoring case)` };
