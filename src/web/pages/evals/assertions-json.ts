import type { z } from 'zod';

/** A zod error in the form's words: each problem with where it is ("assertions.0.value: …"). */
export function zodMessage(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * The assertions typed as JSON and the optional threshold, checked with `schema` (the request's own
 * shared schema) before anything is sent: the parsed request, or what is wrong with it.
 */
export function parseScoringForm<S extends z.ZodType>(
  schema: S,
  assertionsText: string,
  thresholdText: string,
  extra: Record<string, unknown> = {},
): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  let assertions: unknown = [];
  if (assertionsText.trim() !== '') {
    try {
      assertions = JSON.parse(assertionsText);
    } catch (err) {
      return { ok: false, message: `Assertions are not valid JSON: ${(err as Error).message}` };
    }
  }
  if (!Array.isArray(assertions)) return { ok: false, message: 'Assertions must be a JSON array, e.g. []' };
  const threshold = thresholdText.trim() === '' ? undefined : Number(thresholdText);
  if (threshold !== undefined && Number.isNaN(threshold))
    return { ok: false, message: 'threshold: must be a number from 0 to 1' };
  const parsed = schema.safeParse({
    assertions,
    ...(threshold === undefined ? {} : { threshold }),
    ...extra,
  });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: zodMessage(parsed.error) };
}
