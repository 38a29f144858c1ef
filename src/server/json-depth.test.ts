import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan } from './json-depth';

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('jsonNestsDeeperThan', () => {
  it.each([
    [nested(64), false],
    [nested(65), true],
    [`{"a":${nested(63)}}`, false],
    [`{"a":${nested(64)}}`, true],
    // Brackets inside strings, escaped quotes included, are text, not nesting.
    [JSON.stringify({ a: '['.repeat(100), b: '\\"[[[['.repeat(50) }), false],
    [`[${Array(1000).fill('[]').join(',')}]`, false],
  ])('%#: %s… is too deep: %s', (text, deep) => {
    expect(jsonNestsDeeperThan(text)).toBe(deep);
  });
});
