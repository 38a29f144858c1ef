import { partition } from './text';
import type { Check } from './types';
import { quoted } from './types';

/** The answer contains every value; the score is the share it contains. */
export const check: Check<'contains-all'> = (answer, { values, ignore_case }) => {
  const { found, missing } = partition(answer, values, ignore_case);
  const score = found.length / values.length;
  if (missing.length === 0)
    return { pass: true, score, reason: `answer contains all ${values.length} values`, details: { missing } };
  const more = missing.length > 1 ? ` and ${missing.length - 1} more` : '';
  return {
    pass: false,
    score,
    reason: `answer does not contain ${quoted(missing[0])}${more}`,
    details: { missing },
  };
};
