import { nfc } from './text';
import type { Check } from './types';
import { quoted } from './types';

/** The answer, less leading whitespace, starts with the value. */
export const check: Check<'starts-with'> = (answer, { value }) =>
  nfc(answer.trimStart()).startsWith(nfc(value))
    ? { pass: true, score: 1, reason: `answer starts with ${quoted(value)}` }
    : { pass: false, score: 0, reason: `answer does not start with ${quoted(value)}` };
