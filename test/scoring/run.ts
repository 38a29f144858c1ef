import { checks } from '../../src/server/evals/assertions/registry';
import type { Check, CheckResult, ScoreContext } from '../../src/server/evals/assertions/types';
import { assertion } from '../../src/shared/assertions';
import { context } from './fixtures';

/** Parses the assertion as a suite would (defaults applied) and runs its check. */
export function run(a: Record<string, unknown>, answer: string, ctx: ScoreContext = context()): CheckResult {
  const parsed = assertion.parse(a);
  if (parsed.type === 'llm-rubric') throw new Error('not a deterministic type');
  return (checks[parsed.type] as Check<typeof parsed.type>)(answer, parsed as never, ctx);
}

export interface Row {
  name: string;
  assertion: Record<string, unknown>;
  answer: string;
  ctx?: ScoreContext;
  want: CheckResult;
}
