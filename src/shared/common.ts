import { z } from 'zod';

export const errorResponse = z.object({
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponse>;

/** The largest id both engines' integer id columns hold (PostgreSQL's `integer`). */
export const MAX_ROW_ID = 2_147_483_647;

const idRule = 'id must be a positive integer';
// An id past the column's range names no row: it becomes 0, which no row has, so it answers 404
// like any other missing id instead of overflowing in PostgreSQL.
const toRowId = (id: number) => (id <= MAX_ROW_ID ? id : 0);

/** A row id in a body field (integers past 2^53 arrive as floats; they are still integers). */
export const rowId = z
  .number({ error: idRule })
  .positive(idRule)
  .refine(Number.isInteger, idRule)
  .transform(toRowId);

/** Route params that are numeric ids: "12" -> 12, anything else is a 400 with a clear detail. */
export const idParam = z
  .string()
  .regex(/^0*[1-9]\d*$/, idRule)
  .transform((id) => toRowId(Number(id)));

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ engine: z.enum(['sqlite', 'postgres']), reachable: z.boolean() }),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponse>;
