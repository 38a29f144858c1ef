import { describe, expect, it } from 'vitest';
import { suiteScoring } from '../../../shared/evals';
import { rescoreRequest } from '../../../shared/scoring';
import { parseScoringForm } from './assertions-json';

describe('parseScoringForm', () => {
  it.each([
    ['empty text is no assertion', '', '', { ok: true, value: { assertions: [] } }],
    [
      'a valid assertion and a threshold',
      '[{"type":"icontains","value":"AI","weight":2}]',
      '0.5',
      { ok: true, value: { assertions: [{ type: 'icontains', value: 'AI', weight: 2 }], threshold: 0.5 } },
    ],
    [
      'not JSON',
      '[{type:',
      '',
      { ok: false, message: expect.stringMatching(/^Assertions are not valid JSON: /) },
    ],
    [
      'not an array',
      '{"type":"contains"}',
      '',
      { ok: false, message: 'Assertions must be a JSON array, e.g. []' },
    ],
    [
      'an unknown type, by the shared schema',
      '[{"type":"telepathy"}]',
      '',
      { ok: false, message: 'assertions.0.type: unknown assertion type' },
    ],
    [
      'an empty value',
      '[{"type":"contains","value":""}]',
      '',
      { ok: false, message: 'assertions.0.value: value must not be empty' },
    ],
    ['a threshold out of range', '[]', '2', { ok: false, message: 'threshold: threshold must be 0–1' }],
    [
      'a threshold that is not a number',
      '[]',
      'half',
      { ok: false, message: 'threshold: must be a number from 0 to 1' },
    ],
  ])('%s', (_name, assertions, threshold, expected) => {
    expect(parseScoringForm(suiteScoring, assertions, threshold)).toEqual(expected);
  });

  it('passes the extra fields to the schema (the re-score request’s suite_version)', () => {
    expect(parseScoringForm(rescoreRequest, '[]', '', { suite_version: 'current' })).toEqual({
      ok: true,
      value: { assertions: [], suite_version: 'current' },
    });
    expect(parseScoringForm(rescoreRequest, '[]', '', { suite_version: 'latest' })).toEqual({
      ok: false,
      message: expect.stringMatching(/^suite_version: /),
    });
  });
});
