import { z } from 'zod';

export const errorResponse = z.object({
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponse>;

/** Route params that are numeric ids: "12" -> 12, anything else is a 400 with a clear detail. */
export const idParam = z.coerce.number().int().positive();

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ engine: z.enum(['sqlite', 'postgres']), reachable: z.boolean() }),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponse>;
