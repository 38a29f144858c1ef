import { partition } from './text';
import type { Check } from './types';
import { quoted } from './types';

/** The answer contains at least one of the values. */
export const check: Check<'contains-any'> = (answer, { values, ignore_case }) => {
  const { found } = partition(answer, values, ignore_case);
  return found.length > 0
    ? { pass: true, score: 1, reason: `answer contains ${quoted(found[0])}`, details: { found } }
    : {
        pass: false,
        score: 0,
        reason: `answer contains none of ${values.length === 1 ? quoted(values[0]) : `the ${values.length} values`}`,
        details: { found },
      };
};
