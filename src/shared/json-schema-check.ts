// The json-schema assertion's config is a schema ajv must accept. ajv compiles schemas to code,
// which the browser refuses under the app's CSP (no 'unsafe-eval'), and it is heavy; so the check
// is given by the server at start-up (evals/assertions/json-schema-compiler) and the web accepts
// any object schema as it stands: the server checks it again when the suite is stored.

type Checker = (schema: Record<string, unknown>) => string | null;
let checker: Checker | null = null;

export function setJsonSchemaChecker(fn: Checker): void {
  checker = fn;
}

/** Why the schema is refused, or null when it is accepted (always null without a checker). */
export const jsonSchemaProblem = (schema: Record<string, unknown>): string | null =>
  checker?.(schema) ?? null;
