import { describe, expect, it } from 'vitest';
import { fts5Match, MAX_TERMS, searchTerms } from './fts-query';

describe('searchTerms', () => {
  it.each([
    [
      'plain words, lower-cased, stop words dropped',
      'What is the AI adoption rate?',
      ['ai', 'adoption', 'rate'],
    ],
    [
      'FTS5 operators and syntax become separators',
      'a* NEAR(x y) col:val ^b -c "d"',
      ['near', 'x', 'y', 'col', 'val', 'b', 'c', 'd'],
    ],
    ['tsquery syntax', "crane & !union | 'x':*", ['crane', 'union', 'x']],
    ['duplicates kept once', 'Bank bank BANK banks', ['bank', 'banks']],
    ['non-Latin letters and digits', 'Zürich 2025 東京 café', ['zürich', '2025', '東京', 'café']],
    ['punctuation and emoji only', '"\'()*^:-🙂 …', []],
    ['stop words only', 'and or not the', []],
  ])('%s', (_name, q, terms) => {
    expect(searchTerms(q)).toEqual(terms);
  });

  it('caps the number and length of terms', () => {
    const many = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    expect(searchTerms(many)).toHaveLength(MAX_TERMS);
    expect(searchTerms('x'.repeat(1000))).toEqual(['x'.repeat(64)]);
  });
});

describe('fts5Match', () => {
  it('quotes each term as an FTS5 string and ORs them', () => {
    expect(fts5Match(['ai', 'near'])).toBe('"ai" OR "near"');
  });
});
