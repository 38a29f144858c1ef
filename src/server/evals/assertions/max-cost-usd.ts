import type { Check } from './types';

/** Three significant figures: $0.00123, $1.5, $12.3. */
const usd = (n: number) => `$${Number(n.toPrecision(3))}`;

/** The cell's answering cost is at most `max` US dollars (judge costs are counted apart). */
export const check: Check<'max-cost-usd'> = (_answer, { max }, ctx) => {
  const cost = ctx.cost_usd;
  if (cost === null) return { pass: false, score: 0, reason: 'cost is unknown (no price for the model)' };
  const pass = cost <= max;
  return {
    pass,
    score: pass ? 1 : 0,
    reason: `cost ${usd(cost)} ${pass ? 'is within' : 'exceeds'} ${usd(max)}`,
    details: { cost_usd: cost },
  };
};
