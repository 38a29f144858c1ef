import { groundingReport } from './grounding/report';
import type { Check } from './types';

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** At least `min` of the answer's paragraphs and bullet points carry a citation. */
export const check: Check<'citation-coverage'> = (answer, { min }, ctx) => {
  const r = groundingReport(answer, ctx);
  if (r.coverage === null)
    return { pass: false, score: 0, reason: 'answer has no paragraphs or bullet points' };
  const pass = r.coverage >= min;
  return {
    pass,
    score: r.coverage,
    reason: `${r.blocks.cited} of ${r.blocks.total} paragraphs and bullet points cite (${pct(r.coverage)})${pass ? '' : `, below ${pct(min)}`}`,
    details: { coverage: r.coverage, ...r.blocks },
  };
};
