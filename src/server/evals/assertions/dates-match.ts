import { groundingReport } from './grounding/report';
import type { Check } from './types';
import { quoted } from './types';

/** Every date written next to a citation is the cited article's publication date (none: pass). */
export const check: Check<'dates-match'> = (answer, { tolerance_days }, ctx) => {
  const { dates } = groundingReport(answer, ctx, { date_tolerance_days: tolerance_days });
  if (dates.length === 0)
    return { pass: true, score: 1, reason: 'answer gives no dates next to citations', details: { dates } };
  const bad = dates.filter((d) => !d.matches);
  const score = (dates.length - bad.length) / dates.length;
  if (bad.length === 0)
    return {
      pass: true,
      score,
      reason:
        dates.length === 1
          ? 'the date matches the publication date'
          : `all ${dates.length} dates match the publication dates`,
      details: { dates },
    };
  const first = bad[0];
  const why = first.expected === null ? 'the cited article has no known date' : `published ${first.expected}`;
  return {
    pass: false,
    score,
    reason: `${bad.length} of ${dates.length} dates do not match: ${quoted(first.text)} (${why})`,
    details: { dates },
  };
};
