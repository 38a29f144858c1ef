import ret, { type Token, type Tokens, types } from 'ret';

// Catastrophic backtracking needs an unbounded repetition inside another one, (a+)+ or (\w+\s?)*:
// star height above 1. This is safe-regex2's test, over the same parser (ret), except that a
// repetition of at most one ((\.\d+)? or {0,1}) does not count, so common patterns such as
// \d+(\.\d+)? are not refused. What it cannot see (overlapping alternatives like (a|a)*, or a
// pattern ret cannot parse) is caught by the time box the regex check runs under.

function height(node: Tokens, depth: number): number {
  let d = depth;
  if (node.type === types.REPETITION) {
    if (node.max > 1) d++;
    return height(node.value, d);
  }
  let max = d;
  const visit = (list: Token[] | undefined) => {
    for (const t of list ?? []) max = Math.max(max, height(t, d));
  };
  if (node.type === types.ROOT || node.type === types.GROUP) {
    visit(node.stack);
    for (const option of node.options ?? []) visit(option);
  }
  return max;
}

/** Star height of the pattern, or null when ret cannot parse it (lookbehind, say). */
export function starHeight(pattern: string): number | null {
  try {
    return height(ret(pattern), 0);
  } catch {
    return null;
  }
}
