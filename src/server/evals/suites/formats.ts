import { stringify as stringifyCsv } from 'csv-stringify/sync';
import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isSeq,
  LineCounter,
  parseDocument,
  stringify as stringifyYaml,
} from 'yaml';
import {
  type Assertion,
  type EvalCase,
  evalCase,
  type ImportLineError,
  SUITE_FILE_MAX_CHARS,
  type SuiteFormat,
} from '../../../shared/evals';
import { quoteCell, unquoteCell } from '../../../shared/spreadsheet-cells';
import { parseCsv, parseJsonl, type RawRecord } from '../../corpus/parsers';
import { badRequest } from '../../errors';
import { rowIssueText } from '../../validation';

// Suite files in and out: CSV, JSONL and promptfoo's `tests:` YAML. Parsing gives records with
// the line each starts on; every record is then checked by the shared case schema, so a file is
// either wholly valid or reported line by line.

export interface ParsedCases {
  cases: { line: number; value: EvalCase }[];
  errors: ImportLineError[];
}

const CSV_COLUMNS = [
  'query',
  'topic',
  'description',
  'reference',
  'tags',
  'variables',
  'assertions',
] as const;

function json(value: string, what: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

// An array or a string would spread into numbered variables; a number would vanish.
function jsonObject(value: string, what: string): Record<string, unknown> {
  const parsed = json(value, what);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    throw new Error(`${what} must be a JSON object such as {"audience": "analysts"}, not ${kind}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * A CSV row to a case: empty cells are absent, tags split on ";", JSON in variables/assertions,
 * var.X columns. Every cell first loses the quote the export put before a formula-like start.
 */
function csvRecordToCase(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const variables: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(fields)) {
    const value = unquoteCell(String(raw ?? ''));
    if (value.trim() === '') continue;
    if (key.startsWith('var.') || key.startsWith('vars.')) variables[key.slice(key.indexOf('.') + 1)] = value;
    else if (key === 'tags')
      out.tags = value
        .split(';')
        .map((t) => t.trim())
        .filter(Boolean);
    else if (key === 'variables') Object.assign(variables, jsonObject(value, 'variables'));
    else if (key === 'assertions') out.assertions = json(value, 'assertions');
    else out[key] = value;
  }
  if (Object.keys(variables).length > 0) out.variables = variables;
  return out;
}

// promptfoo's spelling of the types we share: `not-` inverts; a regex's pattern and the
// contains-any/-all lists are its `value`; icontains-any/-all are contains-any/-all ignoring case.
const PROMPTFOO_VALUE_KEY: Record<string, string> = {
  regex: 'pattern',
  'contains-any': 'values',
  'contains-all': 'values',
};

function fromPromptfooAssertion(a: unknown): unknown {
  if (!a || typeof a !== 'object') return a;
  const { type: named, ...rest } = a as Record<string, unknown>;
  if (typeof named !== 'string') return a;
  const flags: Record<string, unknown> = {};
  let type = named;
  if (type.startsWith('not-')) {
    type = type.slice(4);
    flags.not = true;
  }
  if (type === 'icontains-any' || type === 'icontains-all') {
    type = type.slice(1);
    flags.ignore_case = true;
  }
  const key = PROMPTFOO_VALUE_KEY[type];
  if (key && 'value' in rest && !(key in rest)) {
    const { value, ...others } = rest;
    return { type, ...flags, [key]: value, ...others };
  }
  return { type, ...flags, ...rest };
}

function toPromptfooAssertion(a: Assertion): Record<string, unknown> {
  const { type, not, ...rest } = a as Assertion & Record<string, unknown>;
  let name: string = type;
  const key = PROMPTFOO_VALUE_KEY[type];
  const out: Record<string, unknown> = {};
  if (key && key in rest) {
    const { [key]: value, ...others } = rest;
    if (type !== 'regex' && others.ignore_case === true) {
      name = `i${type}`;
      delete others.ignore_case;
    }
    Object.assign(out, { value }, others);
  } else Object.assign(out, rest);
  return { type: not ? `not-${name}` : name, ...out };
}

/** A promptfoo test to a case: vars.query (or vars.question) and vars.topic, the other vars as variables. */
function promptfooTestToCase(test: Record<string, unknown>): Record<string, unknown> {
  const { vars, assert, description, metadata, ...unknown } = test;
  if (Object.keys(unknown).length > 0)
    throw new Error(`unsupported keys: ${Object.keys(unknown).join(', ')}`);
  if (vars !== undefined && (typeof vars !== 'object' || vars === null || Array.isArray(vars))) {
    throw new Error('vars must be a mapping');
  }
  const { query, question, topic, reference, ...variables } = (vars ?? {}) as Record<string, unknown>;
  const tags = (metadata as { tags?: unknown } | undefined)?.tags;
  const out: Record<string, unknown> = { query: query ?? question, topic };
  if (description !== undefined) out.description = description;
  if (reference !== undefined) out.reference = reference;
  if (Object.keys(variables).length > 0) out.variables = variables;
  if (assert !== undefined)
    out.assertions = Array.isArray(assert) ? assert.map(fromPromptfooAssertion) : assert;
  if (tags !== undefined) out.tags = tags;
  return out;
}

// Aliases may repeat a node a few times; more than this across the file is an alias bomb
// ("billion laughs"), refused while the aliases are being resolved, before it takes memory.
const YAML_MAX_ALIAS_COUNT = 1000;

function yamlToJs(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    if (/excessive alias count/i.test((err as Error).message))
      throw badRequest(
        `YAML refused: its aliases (*name) expand to more than ${YAML_MAX_ALIAS_COUNT} copies of what they point to, as an alias bomb does`,
      );
    throw badRequest(`YAML could not be read: ${(err as Error).message.split('\n')[0]}`);
  }
}

function parseYaml(text: string): { records: RawRecord[]; errors: ImportLineError[] } {
  const lineCounter = new LineCounter();
  // promptfoo configs share vars through anchors and `<<:` merge keys, as YAML 1.1 had them.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    return {
      records: [],
      errors: doc.errors.map((e) => ({ line: e.linePos?.[0].line ?? 1, message: e.message.split('\n')[0] })),
    };
  }
  // The whole document at once: an alias or merge key inside a test may point anywhere above it.
  const root = yamlToJs(doc);
  const rootNode = doc.contents;
  const listed = isMap(rootNode) ? rootNode.get('tests', true) : rootNode;
  const testsNode = isAlias(listed) ? listed.resolve(doc) : listed;
  const tests =
    root && typeof root === 'object' && !Array.isArray(root) ? (root as Record<string, unknown>).tests : root;
  if (!isSeq(testsNode) || !Array.isArray(tests))
    throw badRequest('YAML must be a list of tests, or a mapping with a tests: list (promptfoo)');
  // Aliases share one value, so a few large anchors repeated may stand for gigabytes once stored:
  // what the tests expand to may be no larger than a file the import takes.
  let expanded = 0;
  for (const test of tests) {
    expanded += JSON.stringify(test ?? null).length;
    if (expanded > SUITE_FILE_MAX_CHARS)
      throw badRequest(
        `YAML refused: its aliases (*name) expand to more than ${SUITE_FILE_MAX_CHARS / 1024 / 1024} MB of tests, the most an import takes`,
      );
  }
  const records: RawRecord[] = [];
  const errors: ImportLineError[] = [];
  tests.forEach((value, i) => {
    const item = testsNode.items[i];
    const line = lineCounter.linePos((isNode(item) ? item.range?.[0] : undefined) ?? 0).line;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      errors.push({ line, message: 'a test must be a mapping' });
      return;
    }
    records.push({ line, fields: value as Record<string, unknown> });
  });
  return { records, errors };
}

/** Why a case is invalid: each field named once, assertions by number (`assertion 2: value is required`). */
function caseProblem(value: unknown): string | null {
  const parsed = evalCase.safeParse(value);
  if (parsed.success) return null;
  return parsed.error.issues.map((i) => rowIssueText(i, value)).join('; ');
}

export function parseSuiteFile(format: SuiteFormat, text: string): ParsedCases {
  const parsed = format === 'jsonl' ? parseJsonl(text) : format === 'csv' ? parseCsv(text) : parseYaml(text);
  const errors: ImportLineError[] = parsed.errors.map((e) => ({
    line: e.line,
    message: 'message' in e ? e.message : String(e),
  }));
  const cases: ParsedCases['cases'] = [];
  for (const { line, fields } of parsed.records) {
    let candidate: unknown;
    try {
      candidate =
        format === 'csv' ? csvRecordToCase(fields) : format === 'yaml' ? promptfooTestToCase(fields) : fields;
    } catch (err) {
      errors.push({ line, message: (err as Error).message });
      continue;
    }
    const problem = caseProblem(candidate);
    if (problem) errors.push({ line, message: problem });
    else cases.push({ line, value: evalCase.parse(candidate) });
  }
  return { cases, errors: errors.sort((a, b) => a.line - b.line) };
}

export const SUITE_CONTENT_TYPES: Record<SuiteFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  yaml: 'application/yaml; charset=utf-8',
};

export function formatSuite(format: SuiteFormat, cases: EvalCase[]): string {
  if (format === 'jsonl') return cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length ? '\n' : '');
  if (format === 'csv') {
    const rows = cases.map((c) => [
      c.query,
      c.topic,
      c.description ?? '',
      c.reference ?? '',
      (c.tags ?? []).join(';'),
      c.variables ? JSON.stringify(c.variables) : '',
      c.assertions ? JSON.stringify(c.assertions) : '',
    ]);
    return stringifyCsv([[...CSV_COLUMNS], ...rows.map((row) => row.map(quoteCell))]);
  }
  const tests = cases.map((c) => ({
    ...(c.description ? { description: c.description } : {}),
    vars: {
      query: c.query,
      topic: c.topic,
      ...(c.reference !== undefined ? { reference: c.reference } : {}),
      ...c.variables,
    },
    ...(c.assertions ? { assert: c.assertions.map(toPromptfooAssertion) } : {}),
    ...(c.tags ? { metadata: { tags: c.tags } } : {}),
  }));
  return stringifyYaml({ tests }, { lineWidth: 0 });
}
