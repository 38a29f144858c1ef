import { errorResponse } from '../../../shared/common';
import { ApiError } from '../../api/http';

// The case table's own column names; fields it does not show keep their path.
const COLUMNS: Record<string, string> = { query: 'Query', topic: 'Topic', tags: 'Tags' };

function inColumnWords(field: string, message: string): string {
  const column = COLUMNS[field.split('.')[0]];
  if (!column) return field ? `${field}: ${message}` : message;
  const root = field.split('.')[0];
  return message.startsWith(`${root} `) ? `${column}${message.slice(root.length)}` : `${column}: ${message}`;
}

/** The server's field errors about `cases.N.…`, by case index, in the form's own words. */
export function caseErrors(err: unknown): Map<number, string[]> {
  const byCase = new Map<number, string[]>();
  for (const e of fieldErrors(err)) {
    const m = /(?:^|\.)cases\.(\d+)(?:\.(.*))?$/.exec(e.path);
    if (!m) continue;
    const i = Number(m[1]);
    byCase.set(i, [...(byCase.get(i) ?? []), inColumnWords(m[2] ?? '', e.message)]);
  }
  return byCase;
}

/** An import's refusal: each bad row by line and reason. */
export function lineErrors(err: unknown): string[] {
  return fieldErrors(err).map((e) => `${e.path}: ${e.message}`);
}

function fieldErrors(err: unknown) {
  if (!(err instanceof ApiError)) return [];
  const parsed = errorResponse.safeParse(err.body);
  return parsed.success ? (parsed.data.errors ?? []) : [];
}
