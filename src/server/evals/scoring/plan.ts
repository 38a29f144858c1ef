import type { Assertion, EvalCase } from '../../../shared/evals';

// What a cell is scored against: its case's assertions, then the suite's (every case), then a
// re-score's (every case), each numbered so a score row names the assertion it came from.

export interface Scoring {
  assertions: Assertion[];
  threshold?: number;
}

export interface PlannedAssertion {
  position: number;
  source: 'case' | 'suite' | 'run';
  assertion: Assertion;
}

export interface Plan {
  items: PlannedAssertion[];
  /** A re-score's threshold replaces the suite's. */
  threshold?: number;
}

export function planFor(c: EvalCase, suite: Scoring | null, run: Scoring | null): Plan {
  const lists: [PlannedAssertion['source'], Assertion[]][] = [
    ['case', c.assertions ?? []],
    ['suite', suite?.assertions ?? []],
    ['run', run?.assertions ?? []],
  ];
  const items = lists.flatMap(([source, list]) => list.map((assertion) => ({ source, assertion })));
  return {
    items: items.map((item, position) => ({ ...item, position })),
    threshold: run?.threshold ?? suite?.threshold,
  };
}

/** Whether scoring against the plan calls a model (an llm-rubric judge). */
export const callsJudge = (p: Plan): boolean => p.items.some((i) => i.assertion.type === 'llm-rubric');

export const parseScoring = (json: string | null): Scoring | null =>
  json === null ? null : (JSON.parse(json) as Scoring);
