import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
  it.each([
    [0, 'article', undefined, '0 articles'],
    [1, 'article', undefined, '1 article'],
    [2, 'article', undefined, '2 articles'],
    [1.5, 'article', undefined, '1.5 articles'],
    [1200, 'draft', undefined, '1,200 drafts'],
    [1, 'query', 'queries', '1 query'],
    [3, 'query', 'queries', '3 queries'],
  ])('%d %s → %s', (n, one, many, expected) => {
    expect(plural(n, one, many)).toBe(expected);
  });
});
