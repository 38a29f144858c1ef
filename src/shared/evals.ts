import { z } from 'zod';
import { idParam } from './common';
import { topicName } from './corpus';
import { TEST_QUERY_MAX, TEST_QUERY_MIN } from './workshop';

// Evaluation suites: named, owned lists of test cases, each change an immutable version.
// Assertion types are a discriminated union on `type`; scoring (and more types) builds on it.

export const SUITE_CASES_MAX = 5000;
export const SUITE_NAME_MAX = 100;
export const SUITE_DESCRIPTION_MAX = 2000;
export const CASE_REFERENCE_MAX = 20_000;
export const CASE_TAGS_MAX = 20;

const textValue = z
  .string()
  .min(1, 'value must not be empty')
  .max(10_000, 'value must be at most 10,000 characters');

const assertionBase = {
  /** Inverts the check. */
  not: z.boolean().optional(),
  /** Relative weight in a case's weighted score. */
  weight: z.number().positive('weight must be positive').max(100).optional(),
};

export const assertion = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('contains'), value: textValue, ...assertionBase }).strict(),
    z.object({ type: z.literal('icontains'), value: textValue, ...assertionBase }).strict(),
    z.object({ type: z.literal('equals'), value: textValue, ...assertionBase }).strict(),
    z.object({ type: z.literal('starts-with'), value: textValue, ...assertionBase }).strict(),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'unknown assertion type' : undefined) },
);
export type Assertion = z.infer<typeof assertion>;

const variableValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const evalCase = z
  .object({
    query: z
      .string()
      .trim()
      .min(TEST_QUERY_MIN, `query must be ${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters`)
      .max(TEST_QUERY_MAX, `query must be ${TEST_QUERY_MIN}–${TEST_QUERY_MAX} characters`),
    topic: topicName,
    description: z.string().trim().max(500, 'description must be at most 500 characters').optional(),
    variables: z.record(z.string().min(1).max(100), variableValue).optional(),
    reference: z
      .string()
      .max(CASE_REFERENCE_MAX, `reference must be at most ${CASE_REFERENCE_MAX} characters`)
      .optional(),
    assertions: z.array(assertion).max(50, 'at most 50 assertions a case').optional(),
    tags: z
      .array(z.string().trim().min(1).max(50, 'a tag must be at most 50 characters'))
      .max(CASE_TAGS_MAX, `at most ${CASE_TAGS_MAX} tags a case`)
      .optional(),
  })
  .strict();
export type EvalCase = z.infer<typeof evalCase>;

export const suiteCases = z
  .array(evalCase)
  .max(SUITE_CASES_MAX, `a suite holds at most ${SUITE_CASES_MAX.toLocaleString('en')} cases`);

const suiteName = z
  .string()
  .trim()
  .min(1, `name must be 1–${SUITE_NAME_MAX} characters`)
  .max(SUITE_NAME_MAX, `name must be 1–${SUITE_NAME_MAX} characters`);
const suiteDescription = z
  .string()
  .trim()
  .max(SUITE_DESCRIPTION_MAX, `description must be at most ${SUITE_DESCRIPTION_MAX} characters`);

export const createSuiteRequest = z.object({
  name: suiteName,
  description: suiteDescription.default(''),
  cases: suiteCases.default([]),
});
export type CreateSuiteRequest = z.infer<typeof createSuiteRequest>;

/** Every field optional; a change to the cases (or name/description) makes a new version. */
export const updateSuiteRequest = z.object({
  name: suiteName.optional(),
  description: suiteDescription.optional(),
  cases: suiteCases.optional(),
});
export type UpdateSuiteRequest = z.infer<typeof updateSuiteRequest>;

export const addCasesRequest = z.object({
  cases: z.array(evalCase).min(1, 'give at least one case').max(SUITE_CASES_MAX),
});

export const suiteSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  version: z.number().int(),
  case_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SuiteSummary = z.infer<typeof suiteSummary>;

export const suiteResponse = suiteSummary.extend({
  /** The id of the immutable version these cases belong to (what a run records). */
  version_id: z.number().int(),
  cases: z.array(evalCase),
});
export type SuiteResponse = z.infer<typeof suiteResponse>;

export const listSuitesResponse = z.object({ suites: z.array(suiteSummary) });

export const suiteFormat = z.enum(['csv', 'jsonl', 'yaml'], { error: 'format must be csv, jsonl or yaml' });
export type SuiteFormat = z.infer<typeof suiteFormat>;

export const importSuiteRequest = z.object({
  format: suiteFormat,
  content: z
    .string()
    .min(1, 'content is empty')
    .max(20 * 1024 * 1024),
  /** append (default) adds to the current cases; replace swaps them. */
  mode: z.enum(['append', 'replace']).default('append'),
});
export type ImportSuiteRequest = z.infer<typeof importSuiteRequest>;

export const importError = z.object({ line: z.number().int(), message: z.string() });
export type ImportLineError = z.infer<typeof importError>;

export const importSuiteResponse = suiteResponse.extend({ imported: z.number().int() });

export const exportSuiteQuery = z.object({ format: suiteFormat.default('jsonl') });

export const suiteIdParams = z.object({ id: idParam });
