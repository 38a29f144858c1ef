import { groundingReport } from './grounding/report';
import type { Check } from './types';
import { quoted } from './types';

/** Every quote of min_words or more words appears in the article cited beside it (none: pass). */
export const check: Check<'quotes-verified'> = (answer, { min_words }, ctx) => {
  const { quotes } = groundingReport(answer, ctx, { quote_min_words: min_words });
  if (quotes.length === 0)
    return {
      pass: true,
      score: 1,
      reason: `answer has no cited quotes of ${min_words}+ words`,
      details: { quotes },
    };
  const bad = quotes.filter((q) => !q.verified);
  const score = (quotes.length - bad.length) / quotes.length;
  return bad.length === 0
    ? {
        pass: true,
        score,
        reason:
          quotes.length === 1
            ? 'the quote is in the cited article'
            : `all ${quotes.length} quotes are in the cited articles`,
        details: { quotes },
      }
    : {
        pass: false,
        score,
        reason: `${bad.length} of ${quotes.length} quotes not verified: ${quoted(bad[0].text)} ${bad[0].reason}`,
        details: { quotes },
      };
};
