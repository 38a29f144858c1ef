import type { Usage } from './types';

// The maintained model catalog: context windows and list prices of well-known hosted models.
//
// Prices are USD per million tokens, standard tier (no batch, cache or priority discounts), as
// published on openai.com/api/pricing and anthropic.com/pricing, taken on 2025-10-15. Update them
// by hand from those pages; a model missing here gets null prices (shown as unknown), never a guess.

export interface CatalogEntry {
  provider: 'openai' | 'anthropic';
  model: string;
  label: string;
  context_window: number;
  input_price_per_mtok: number;
  output_price_per_mtok: number;
  /** Dated snapshot ids billed exactly like this entry. */
  aliases?: string[];
  /** The provider's default pick when DEFAULT_MODEL names none. */
  preferred?: boolean;
}

export const CATALOG: readonly CatalogEntry[] = [
  // OpenAI
  entry('openai', 'gpt-5', 'GPT-5', 400_000, 1.25, 10),
  entry('openai', 'gpt-5-mini', 'GPT-5 mini', 400_000, 0.25, 2),
  entry('openai', 'gpt-5-nano', 'GPT-5 nano', 400_000, 0.05, 0.4),
  entry('openai', 'gpt-4.1', 'GPT-4.1', 1_047_576, 2, 8, ['gpt-4.1-2025-04-14']),
  {
    ...entry('openai', 'gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 0.4, 1.6, ['gpt-4.1-mini-2025-04-14']),
    preferred: true,
  },
  entry('openai', 'gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 0.1, 0.4, ['gpt-4.1-nano-2025-04-14']),
  entry('openai', 'gpt-4o', 'GPT-4o', 128_000, 2.5, 10, ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20']),
  entry('openai', 'gpt-4o-mini', 'GPT-4o mini', 128_000, 0.15, 0.6, ['gpt-4o-mini-2024-07-18']),
  entry('openai', 'o3', 'o3', 200_000, 2, 8, ['o3-2025-04-16']),
  entry('openai', 'o4-mini', 'o4-mini', 200_000, 1.1, 4.4, ['o4-mini-2025-04-16']),
  entry('openai', 'o3-mini', 'o3-mini', 200_000, 1.1, 4.4, ['o3-mini-2025-01-31']),
  // Anthropic
  {
    ...entry('anthropic', 'claude-sonnet-4-5', 'Claude Sonnet 4.5', 200_000, 3, 15, [
      'claude-sonnet-4-5-20250929',
    ]),
    preferred: true,
  },
  entry('anthropic', 'claude-haiku-4-5', 'Claude Haiku 4.5', 200_000, 1, 5, ['claude-haiku-4-5-20251001']),
  entry('anthropic', 'claude-opus-4-1', 'Claude Opus 4.1', 200_000, 15, 75, ['claude-opus-4-1-20250805']),
  entry('anthropic', 'claude-opus-4-0', 'Claude Opus 4', 200_000, 15, 75, ['claude-opus-4-20250514']),
  entry('anthropic', 'claude-sonnet-4-0', 'Claude Sonnet 4', 200_000, 3, 15, ['claude-sonnet-4-20250514']),
  entry('anthropic', 'claude-3-7-sonnet-latest', 'Claude Sonnet 3.7', 200_000, 3, 15, [
    'claude-3-7-sonnet-20250219',
  ]),
  entry('anthropic', 'claude-3-5-haiku-latest', 'Claude Haiku 3.5', 200_000, 0.8, 4, [
    'claude-3-5-haiku-20241022',
  ]),
];

/** Context window assumed for a model the catalog does not know: small, so packing never overflows. */
export const UNKNOWN_CONTEXT_WINDOW = 8_192;
/** Ollama serves a 4096-token context unless the model file raises it. */
export const OLLAMA_CONTEXT_WINDOW = 4_096;

export function catalogEntry(provider: string, model: string): CatalogEntry | undefined {
  return CATALOG.find(
    (e) => e.provider === provider && (e.model === model || (e.aliases ?? []).includes(model)),
  );
}

export function catalogFor(provider: string): CatalogEntry[] {
  return CATALOG.filter((e) => e.provider === provider);
}

/** USD for a usage at the given prices; null when a count or a price is unknown. */
export function costOf(
  usage: Usage,
  prices: { input_price_per_mtok: number | null; output_price_per_mtok: number | null },
): number | null {
  const { input_tokens: i, output_tokens: o } = usage;
  const { input_price_per_mtok: pi, output_price_per_mtok: po } = prices;
  if (i === null || o === null || pi === null || po === null) return null;
  // Rounded to 1e-8 USD so float noise does not show in stored figures.
  return Math.round(((i * pi + o * po) / 1_000_000) * 1e8) / 1e8;
}

function entry(
  provider: CatalogEntry['provider'],
  model: string,
  label: string,
  context_window: number,
  input_price_per_mtok: number,
  output_price_per_mtok: number,
  aliases?: string[],
): CatalogEntry {
  return { provider, model, label, context_window, input_price_per_mtok, output_price_per_mtok, aliases };
}
