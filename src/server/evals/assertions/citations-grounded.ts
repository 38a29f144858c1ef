import { groundingReport } from './grounding/report';
import type { Check } from './types';

/**
 * Every cited URL (or at least min_precision of them) is an article this cell retrieved; with
 * allow_unretrieved, a corpus article it did not retrieve counts too. An answer that cites
 * nothing fails: there is nothing grounded (pair it with `not` or leave it out for answers that
 * need no sources).
 */
export const check: Check<'citations-grounded'> = (answer, { min_precision, allow_unretrieved }, ctx) => {
  const r = groundingReport(answer, ctx);
  const cited = r.citations.length;
  if (cited === 0) return { pass: false, score: 0, reason: 'answer cites no articles' };
  const ok = r.citations.filter(
    (c) => c.status === 'grounded' || (allow_unretrieved && c.status === 'unretrieved'),
  ).length;
  const precision = ok / cited;
  const pass = precision >= min_precision;
  const unretrieved = r.citations.filter((c) => c.status === 'unretrieved').length;
  const notes = [
    r.invented_urls.length > 0 ? `${r.invented_urls.length} invented` : '',
    unretrieved > 0
      ? `${unretrieved} not retrieved for this answer${allow_unretrieved ? ' (allowed)' : ''}`
      : '',
  ].filter(Boolean);
  return {
    pass,
    score: precision,
    reason: `${ok} of ${cited} citations grounded${notes.length ? ` (${notes.join(', ')})` : ''}${pass ? '' : `, below ${min_precision}`}`,
    details: { precision, invented_urls: r.invented_urls, citations: r.citations },
  };
};
