import { jsonOf } from './json';
import { compileJsonSchema, jsonSchemaErrors } from './json-schema-compiler';
import type { Check } from './types';

/** The answer is JSON that the schema accepts (ajv, draft-07, formats). */
export const check: Check<'json-schema'> = (answer, { schema }) => {
  // First, so a schema ajv refuses is an error whatever the answer.
  const validate = compileJsonSchema(schema);
  const j = jsonOf(answer);
  if (!j.ok) return { pass: false, score: 0, reason: `answer is not valid JSON: ${j.error}` };
  if (validate(j.value)) return { pass: true, score: 1, reason: 'answer matches the JSON Schema' };
  const errors = jsonSchemaErrors(validate);
  return {
    pass: false,
    score: 0,
    reason: `answer does not match the JSON Schema: ${errors}`,
    details: {
      errors: (validate.errors ?? []).slice(0, 20).map((e) => ({ path: e.instancePath, message: e.message })),
    },
  };
};
