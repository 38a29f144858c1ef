import { describe, expect, it } from 'vitest';
import { assertion, suiteScoring } from './assertions';
import { createSuiteRequest } from './evals';
// The server's ajv check, as every server process has it.
import '../server/evals/assertions/json-schema-compiler';

// Bad assertion configs are zod issues whose path names the case and the field, so the routes
// answer 400 with e.g. "cases.0.assertions.1.pattern: regex refused: …".

const issues = (schema: { safeParse: (x: unknown) => any }, x: unknown): string[] => {
  const r = schema.safeParse(x);
  return r.success
    ? []
    : r.error.issues.map(
        (i: { path: PropertyKey[]; message: string }) => `${i.path.join('.')}: ${i.message}`,
      );
};

const NESTED =
  'pattern: regex refused: a repetition inside a repetition, such as (a+)+ or (\\w+\\s?)*, can backtrack catastrophically; simplify the pattern';

describe.each([
  [{ type: 'telepathy' }, ['type: unknown assertion type']],
  [{ type: 'regex', pattern: '(a+)+$' }, [NESTED]],
  [{ type: 'regex', pattern: '^(\\w+\\s?)*$' }, [NESTED]],
  [
    { type: 'regex', pattern: '(unclosed' },
    ['pattern: invalid regex: Invalid regular expression: /(unclosed/: Unterminated group'],
  ],
  [{ type: 'regex', pattern: 'x', flags: 'g' }, ['flags: flags may only contain i, m, s and u']],
  [{ type: 'regex', pattern: 'x', flags: 'ii' }, ['flags: flags must not repeat']],
  [{ type: 'length', unit: 'words' }, ['min: give min, max or both']],
  [{ type: 'length', min: 5, max: 2 }, ['max: min must not exceed max']],
  [{ type: 'length', unit: 'pages', max: 2 }, ['unit: unit must be characters or words']],
  [
    { type: 'json-schema', schema: { type: 'object', requried: ['a'] } },
    ['schema: invalid JSON Schema: strict mode: unknown keyword: "requried"'],
  ],
  [{ type: 'json-schema', schema: 'object' }, ['schema: schema must be a JSON Schema object']],
  [
    { type: 'markdown-structure', headings: [] },
    ['headings: ask for headings, bullet_list, numbered_list or table'],
  ],
  [{ type: 'citation-coverage', min: 1.5 }, ['min: min must be between 0 and 1']],
  [{ type: 'citations-min', n: 0 }, ['n: n must be 1–1000']],
  [{ type: 'contains', value: 'x', weight: 0 }, ['weight: weight must be positive']],
  [{ type: 'contains', value: 'x', extra: 1 }, [': Unrecognized key: "extra"']],
  [{ type: 'llm-rubric', rubric: '' }, ['rubric: rubric must be 1–5000 characters']],
  [{ type: 'llm-rubric', rubric: 'ok', scale: '1-10' }, ['scale: scale must be pass-fail or 1-5']],
  [{ type: 'llm-rubric', rubric: 'ok', pass_at: 6 }, ['pass_at: pass_at must be 1–5']],
])('assertion %j', (input, want) => {
  it('is refused with a message naming the field', () => expect(issues(assertion, input)).toEqual(want));
});

describe.each([
  [{ type: 'regex', pattern: String.raw`\d+(\.\d+)? percent`, flags: 'iu' }],
  [{ type: 'regex', pattern: '(?<=\\$)\\d+' }],
  [{ type: 'json-schema', schema: { type: 'object', properties: { at: { format: 'date-time' } } } }],
  [{ type: 'citations-grounded', min_precision: 0.8, not: true, weight: 2 }],
])('assertion %j', (input) => {
  it('is accepted', () => expect(issues(assertion, input)).toEqual([]));
});

describe('defaults', () => {
  it.each([
    [
      { type: 'length', max: 3 },
      { type: 'length', unit: 'characters', max: 3 },
    ],
    [
      { type: 'citations-grounded' },
      { type: 'citations-grounded', min_precision: 1, allow_unretrieved: false },
    ],
    [{ type: 'quotes-verified' }, { type: 'quotes-verified', min_words: 6 }],
    [{ type: 'dates-match' }, { type: 'dates-match', tolerance_days: 0 }],
    [
      { type: 'max-latency-ms', max: 900 },
      { type: 'max-latency-ms', max: 900, metric: 'total' },
    ],
    [
      { type: 'llm-rubric', rubric: 'Cites sources.', scale: '1-5' },
      { type: 'llm-rubric', rubric: 'Cites sources.', scale: '1-5', include_bodies: false, pass_at: 4 },
    ],
  ])('%j parses to %j', (input, want) => expect(assertion.parse(input)).toEqual(want));
});

it('names the case and the field in a suite', () => {
  const c = (assertions: unknown[]) => ({
    query: 'What did the central bank do?',
    topic: 'Markets',
    assertions,
  });
  expect(
    issues(createSuiteRequest, {
      name: 'x',
      cases: [
        c([{ type: 'contains', value: 'a' }]),
        c([
          { type: 'contains', value: 'a' },
          { type: 'regex', pattern: '(a+)+' },
        ]),
      ],
    }),
  ).toEqual([`cases.1.assertions.1.${NESTED}`]);
});

describe('suiteScoring', () => {
  it('defaults to no assertions and no threshold', () => {
    expect(suiteScoring.parse({})).toEqual({ assertions: [] });
  });
  it('refuses a threshold outside 0..1 and a bad suite assertion', () => {
    expect(issues(suiteScoring, { threshold: 2, assertions: [{ type: 'is-json', not: 'yes' }] })).toEqual([
      'assertions.0.not: Invalid input: expected boolean, received string',
      'threshold: threshold must be between 0 and 1',
    ]);
  });
});
