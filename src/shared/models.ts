import { z } from 'zod';

/** One model the server can call (or could, once its provider is configured). */
export const modelInfo = z.object({
  /** provider:model */
  id: z.string(),
  provider: z.string(),
  model: z.string(),
  label: z.string(),
  /** Tokens; for unknown models a conservative figure. */
  context_window: z.number().int().nullable(),
  /** USD per million input tokens; null = unknown, never guessed. */
  input_price_per_mtok: z.number().nullable(),
  output_price_per_mtok: z.number().nullable(),
  /** The provider has credentials/a host configured, so the model is usable. */
  configured: z.boolean(),
  /** The deterministic offline demo: not an AI model. */
  offline: z.boolean(),
  default: z.boolean(),
});
export type ModelInfo = z.infer<typeof modelInfo>;

export const modelsQuery = z.object({
  /** Also list catalog models of providers that are not configured (configured: false). */
  all: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

export const modelsResponse = z.object({
  models: z.array(modelInfo),
  default_model: z.string(),
});
export type ModelsResponse = z.infer<typeof modelsResponse>;
