import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { setJsonSchemaChecker } from '../../../shared/json-schema-check';

// The one ajv configuration: the json-schema assertion's config is compiled with it when a suite is
// parsed (a schema ajv refuses is a zod issue, so a 400), and the check validates answers with it.
// JSON Schema draft-07 (ajv's default); unknown keywords and formats are errors (a typo such as
// "requried" would otherwise accept everything), valid but loose schemas (a format without a type)
// are not; the ajv-formats formats (date, date-time, email, uri …).

let ajv: Ajv | null = null;

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({
      strictSchema: true,
      strictNumbers: true,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
      allErrors: true,
      allowUnionTypes: true,
    });
    addFormats(ajv);
  }
  return ajv;
}

const cache = new Map<string, ValidateFunction>();
const CACHE_MAX = 500;

/** A compiled validator for the schema, cached by its JSON text. Throws what ajv throws. */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = cache.get(key);
  if (!fn) {
    // Schemas with an $id would clash on a second compile: compile a copy without it.
    const { $id: _id, ...rest } = schema;
    fn = instance().compile(rest);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, fn);
  }
  return fn;
}

/** Why ajv refuses the schema, or null when it compiles. */
export function jsonSchemaProblem(schema: Record<string, unknown>): string | null {
  try {
    compileJsonSchema(schema);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

// Loaded with the assertion registry, so every server process checks schemas when parsing suites.
setJsonSchemaChecker(jsonSchemaProblem);

/** ajv's errors as one short sentence: "/price must be number; must have required property 'name'". */
export function jsonSchemaErrors(fn: ValidateFunction): string {
  return (fn.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath ? `${e.instancePath} ` : ''}${e.message ?? 'is invalid'}`)
    .join('; ');
}
