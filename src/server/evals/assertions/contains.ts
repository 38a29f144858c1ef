import { nfc } from './text';
import type { Check } from './types';
import { quoted } from './types';

/** The answer contains the value (case-sensitive, Unicode-normalised). */
export const check: Check<'contains'> = (answer, { value }) =>
  nfc(answer).includes(nfc(value))
    ? { pass: true, score: 1, reason: `answer contains ${quoted(value)}` }
    : { pass: false, score: 0, reason: `answer does not contain ${quoted(value)}` };
