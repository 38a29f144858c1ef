import { nfc } from './text';
import type { Check } from './types';
import { quoted } from './types';

/** The answer is the value, ignoring leading and trailing whitespace (models end with a newline). */
export const check: Check<'equals'> = (answer, { value }) =>
  nfc(answer.trim()) === nfc(value.trim())
    ? { pass: true, score: 1, reason: `answer equals ${quoted(value)}` }
    : { pass: false, score: 0, reason: `answer does not equal ${quoted(value)}` };
