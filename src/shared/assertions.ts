import { z } from 'zod';
import { jsonSchemaProblem } from './json-schema-check';
import { starHeight } from './regex-safety';

// Assertion types: a discriminated union on `type`, so server, web and CLI know every type and its
// config. The deterministic types are checked by src/server/evals/assertions (one file per type);
// llm-rubric is configured here and scored by the judge module. Every type takes `not` (inverts
// the check) and `weight` (its share of a case's weighted score). Issue paths name the field, so a
// bad config becomes a 400 like "cases.3.assertions.1.pattern: …".

export const ASSERTIONS_MAX = 50;
const VALUES_MAX = 50;
export const REGEX_PATTERN_MAX = 1000;
export const REGEX_FLAGS = ['i', 'm', 's', 'u'] as const;
export const RUBRIC_MAX = 5000;

const textValue = z
  .string()
  .min(1, 'value must not be empty')
  .max(10_000, 'value must be at most 10,000 characters');

const assertionBase = {
  /** Inverts the check: pass becomes fail, score becomes 1 − score. */
  not: z.boolean().optional(),
  /** Relative weight in a case's weighted score (default 1). */
  weight: z.number().positive('weight must be positive').max(100, 'weight must be at most 100').optional(),
};

const share = (field: string) =>
  z.number().min(0, `${field} must be between 0 and 1`).max(1, `${field} must be between 0 and 1`);

const textAssertion = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), value: textValue, ...assertionBase }).strict();

const valuesAssertion = <T extends string>(type: T) =>
  z
    .object({
      type: z.literal(type),
      values: z
        .array(textValue)
        .min(1, `give 1–${VALUES_MAX} values`)
        .max(VALUES_MAX, `give 1–${VALUES_MAX} values`),
      /** Compare case-insensitively. */
      ignore_case: z.boolean().optional(),
      ...assertionBase,
    })
    .strict();

/** Why a regex is refused: its SyntaxError, or that it can backtrack catastrophically. */
export function regexProblem(pattern: string, flags = ''): string | null {
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    return `invalid regex: ${err instanceof Error ? err.message : String(err)}`;
  }
  if ((starHeight(pattern) ?? 0) > 1)
    return 'regex refused: a repetition inside a repetition, such as (a+)+ or (\\w+\\s?)*, can backtrack catastrophically; simplify the pattern';
  return null;
}

export const regexAssertion = z
  .object({
    type: z.literal('regex'),
    pattern: z
      .string()
      .min(1, 'pattern must not be empty')
      .max(REGEX_PATTERN_MAX, `pattern must be at most ${REGEX_PATTERN_MAX} characters`),
    /** A subset of "imsu"; g and y make a regex stateful and are refused. */
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags may only contain i, m, s and u')
      .refine((f) => new Set(f).size === f.length, 'flags must not repeat')
      .optional(),
    ...assertionBase,
  })
  .strict()
  .superRefine((a, ctx) => {
    // Flags are checked on their own; a bad set of flags is not the pattern's fault.
    const flags = a.flags ?? '';
    const flagsOk = /^[imsu]*$/.test(flags) && new Set(flags).size === flags.length;
    const problem = regexProblem(a.pattern, flagsOk ? flags : '');
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['pattern'] });
  });

export const lengthAssertion = z
  .object({
    type: z.literal('length'),
    unit: z
      .enum(['characters', 'words'], { error: 'unit must be characters or words' })
      .default('characters'),
    min: z.number().int().min(0, 'min must be 0 or more').optional(),
    max: z.number().int().min(0, 'max must be 0 or more').optional(),
    ...assertionBase,
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.min === undefined && a.max === undefined)
      ctx.addIssue({ code: 'custom', message: 'give min, max or both', path: ['min'] });
    if (a.min !== undefined && a.max !== undefined && a.min > a.max)
      ctx.addIssue({ code: 'custom', message: 'min must not exceed max', path: ['max'] });
  });

export const jsonSchemaAssertion = z
  .object({
    type: z.literal('json-schema'),
    schema: z.record(z.string(), z.unknown(), { error: 'schema must be a JSON Schema object' }),
    ...assertionBase,
  })
  .strict()
  .superRefine((a, ctx) => {
    const problem = jsonSchemaProblem(a.schema);
    if (problem)
      ctx.addIssue({ code: 'custom', message: `invalid JSON Schema: ${problem}`, path: ['schema'] });
  });

export const markdownStructureAssertion = z
  .object({
    type: z.literal('markdown-structure'),
    /** Headings (any level) the answer must have; case-insensitive, see the check for matching. */
    headings: z
      .array(z.string().trim().min(1, 'a heading must not be empty').max(200))
      .max(VALUES_MAX, `at most ${VALUES_MAX} headings`)
      .optional(),
    bullet_list: z.boolean().optional(),
    numbered_list: z.boolean().optional(),
    table: z.boolean().optional(),
    ...assertionBase,
  })
  .strict()
  .refine((a) => (a.headings?.length ?? 0) > 0 || a.bullet_list || a.numbered_list || a.table, {
    message: 'ask for headings, bullet_list, numbered_list or table',
    path: ['headings'],
  });

export const llmRubricAssertion = z
  .object({
    type: z.literal('llm-rubric'),
    rubric: z
      .string()
      .trim()
      .min(1, `rubric must be 1–${RUBRIC_MAX} characters`)
      .max(RUBRIC_MAX, `rubric must be 1–${RUBRIC_MAX} characters`),
    scale: z.enum(['pass-fail', '1-5'], { error: 'scale must be pass-fail or 1-5' }).default('pass-fail'),
    /** provider:model of the judge; the judge module's default when absent. */
    model: z.string().trim().min(1).max(200).optional(),
    /** Show the judge the retrieved articles' bodies, not only their titles. */
    include_bodies: z.boolean().default(false),
    /** On the 1–5 scale, the lowest grade that passes. */
    pass_at: z.number().int().min(1, 'pass_at must be 1–5').max(5, 'pass_at must be 1–5').default(4),
    ...assertionBase,
  })
  .strict();

export const assertion = z.discriminatedUnion(
  'type',
  [
    textAssertion('contains'),
    textAssertion('icontains'),
    valuesAssertion('contains-any'),
    valuesAssertion('contains-all'),
    textAssertion('equals'),
    textAssertion('starts-with'),
    regexAssertion,
    lengthAssertion,
    z.object({ type: z.literal('is-json'), ...assertionBase }).strict(),
    jsonSchemaAssertion,
    markdownStructureAssertion,
    z
      .object({
        type: z.literal('citations-min'),
        /** Distinct cited URLs the answer must have. */
        n: z.number().int().min(1, 'n must be 1–1000').max(1000, 'n must be 1–1000'),
        ...assertionBase,
      })
      .strict(),
    z
      .object({
        type: z.literal('max-latency-ms'),
        max: z.number().int().positive('max must be a positive number of milliseconds'),
        /** total: the cell's execution time (default); first_token: its time to first token. */
        metric: z.enum(['total', 'first_token']).default('total'),
        ...assertionBase,
      })
      .strict(),
    z
      .object({
        type: z.literal('max-cost-usd'),
        max: z.number().positive('max must be a positive amount of US dollars'),
        ...assertionBase,
      })
      .strict(),
    z
      .object({
        type: z.literal('citations-grounded'),
        /** Share of cited URLs that must be retrieved articles. */
        min_precision: share('min_precision').default(1),
        /** Count a citation of a corpus article this cell did not retrieve as grounded. */
        allow_unretrieved: z.boolean().default(false),
        ...assertionBase,
      })
      .strict(),
    z
      .object({
        type: z.literal('citation-coverage'),
        /** Share of paragraphs and bullet points that must carry a citation. */
        min: share('min'),
        ...assertionBase,
      })
      .strict(),
    z
      .object({
        type: z.literal('quotes-verified'),
        /** Quoted spans this long (in words) or longer are checked. */
        min_words: z
          .number()
          .int()
          .min(2, 'min_words must be 2–50')
          .max(50, 'min_words must be 2–50')
          .default(6),
        ...assertionBase,
      })
      .strict(),
    z
      .object({
        type: z.literal('dates-match'),
        /** Days a date may differ from the publication date (time zones). */
        tolerance_days: z
          .number()
          .int()
          .min(0, 'tolerance_days must be 0–31')
          .max(31, 'tolerance_days must be 0–31')
          .default(0),
        ...assertionBase,
      })
      .strict(),
    llmRubricAssertion,
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'unknown assertion type' : undefined) },
);
export type Assertion = z.infer<typeof assertion>;
export type AssertionType = Assertion['type'];
/** The assertion of one type, e.g. `AssertionOf<'regex'>`. */
export type AssertionOf<T extends AssertionType> = Extract<Assertion, { type: T }>;
/** Types checked without a model; llm-rubric is the judge module's. */
export type DeterministicType = Exclude<AssertionType, 'llm-rubric'>;

/** Assertions every case of a suite gets, and the weighted score that passes a case. */
export const suiteScoring = z.object({
  assertions: z
    .array(assertion)
    .max(ASSERTIONS_MAX, `at most ${ASSERTIONS_MAX} suite assertions`)
    .default([]),
  /** A case passes when its weighted score reaches this, even if an assertion failed. */
  threshold: share('threshold').optional(),
});
export type SuiteScoring = z.infer<typeof suiteScoring>;
