import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { CATALOG, catalogEntry, costOf } from './catalog';
import { backoffMs, retryAfterMs } from './failures';
import { countTokens } from './tokens';

describe('catalog', () => {
  it('knows each model once, with positive prices and windows', () => {
    const ids = CATALOG.flatMap((e) => [e.model, ...(e.aliases ?? [])].map((m) => `${e.provider}:${m}`));
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of CATALOG) {
      expect(e.input_price_per_mtok).toBeGreaterThan(0);
      expect(e.output_price_per_mtok).toBeGreaterThanOrEqual(e.input_price_per_mtok);
      expect(e.context_window).toBeGreaterThanOrEqual(100_000);
    }
    expect(CATALOG.filter((e) => e.preferred).map((e) => e.provider)).toEqual(['openai', 'anthropic']);
  });

  it('finds dated snapshots through their aliases and nothing it does not know', () => {
    expect(catalogEntry('anthropic', 'claude-sonnet-4-5-20250929')?.model).toBe('claude-sonnet-4-5');
    expect(catalogEntry('openai', 'gpt-4o-mini')?.input_price_per_mtok).toBe(0.15);
    expect(catalogEntry('openai', 'gpt-4o-2024-05-13')).toBeUndefined();
    expect(catalogEntry('anthropic', 'gpt-4o')).toBeUndefined();
  });

  it.each([
    [{ input_tokens: 1_000_000, output_tokens: 1_000_000 }, 2, 8, 10],
    [{ input_tokens: 1234, output_tokens: 567 }, 0.15, 0.6, 0.0005253],
    [{ input_tokens: 0, output_tokens: 0 }, 3, 15, 0],
    [{ input_tokens: null, output_tokens: 10 }, 3, 15, null],
    [{ input_tokens: 10, output_tokens: 10 }, null, 15, null],
  ])('cost of %j at %s/%s per Mtok is %s', (usage, pi, po, expected) => {
    expect(costOf(usage, { input_price_per_mtok: pi, output_price_per_mtok: po })).toBe(expected);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'Retry-After': '0.5' }, 500],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }, 0],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'soon' }, null],
    [{}, null],
  ])('%j -> %s ms', (headers, expected) => {
    expect(retryAfterMs(headers, now)).toBe(expected);
  });

  it('backs off exponentially with jitter, capped, and never below Retry-After', () => {
    const o = (r: number) => ({ baseDelayMs: 100, maxDelayMs: 1000, random: () => r });
    expect([0, 1, 2, 3, 4].map((a) => backoffMs(a, null, o(0)))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 4].map((a) => backoffMs(a, null, o(0.999999)))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(0, 5000, o(0.5))).toBe(5000);
  });
});

describe('countTokens', () => {
  it('counts with o200k_base and treats special-token text as plain text', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('<|endoftext|>')).toBeGreaterThan(1);
  });

  it('gives a remembered long text the same count as the encoder', () => {
    const text = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const direct = getEncoding('o200k_base').encode(text).length;
    expect([countTokens(text), countTokens(text), countTokens(`${text}`)]).toEqual([direct, direct, direct]);
  });
});
