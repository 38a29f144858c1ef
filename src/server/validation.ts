// How a zod issue reads to a person: a field that is missing "is required" (zod's own words are
// "Invalid input: expected string, received undefined"), and in an imported row the field is named
// once and an assertion by its number ("assertion 2: value is required").

export interface Issue {
  path: readonly PropertyKey[];
  code: string;
  message: string;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The issue's message, or "<field> is required" when the value at its path is absent. */
export function issueMessage(issue: Issue, root: unknown): string {
  const field = issue.path.at(-1);
  if (issue.code === 'invalid_type' && typeof field === 'string' && valueAt(root, issue.path) === undefined)
    return `${field} is required`;
  return issue.message;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One issue of an imported case: `query must be …`, `assertion 2: value is required`, `tags.0: …`. */
export function rowIssueText(issue: Issue, root: unknown): string {
  const message = issueMessage(issue, root);
  const path = issue.path.map(String);
  const where: string[] = [];
  let rest = path;
  if (path[0] === 'assertions' && /^\d+$/.test(path[1] ?? '')) {
    where.push(`assertion ${Number(path[1]) + 1}`);
    rest = path.slice(2);
  }
  const last = rest.at(-1);
  // A message that already says its field ("query must be …") is not prefixed with it again.
  if (last !== undefined && !new RegExp(`\\b${escapeRegExp(last)}\\b`).test(message))
    where.push(rest.join('.'));
  return [...where, message].join(': ');
}
