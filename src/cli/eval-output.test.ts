import { describe, expect, it } from 'vitest';
import { reportFormatOf } from './eval-output';

describe('eval --output', () => {
  it.each([
    ['out.json', 'json'],
    ['out.csv', 'csv'],
    ['results.xml', 'junit'],
  ])('knows the format of %s', (file, format) => {
    expect(reportFormatOf(file)).toBe(format);
  });
  it('refuses other file names', () => {
    expect(() => reportFormatOf('out.txt')).toThrow(
      '--output must end in .json, .csv or .xml (JUnit), not "out.txt"',
    );
  });
});
