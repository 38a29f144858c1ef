import { parseAnswer } from './grounding/parse';
import type { Check } from './types';

/** The answer cites at least `n` distinct URLs (footnotes resolved; unresolved markers do not count). */
export const check: Check<'citations-min'> = (answer, { n }) => {
  const urls = new Set(parseAnswer(answer).citations.flatMap((c) => (c.url === null ? [] : [c.url])));
  const pass = urls.size >= n;
  return {
    pass,
    score: Math.min(1, urls.size / n),
    reason: `answer cites ${urls.size} distinct ${urls.size === 1 ? 'URL' : 'URLs'}${pass ? ', at least' : ', fewer than'} ${n}`,
    details: { cited: urls.size },
  };
};
