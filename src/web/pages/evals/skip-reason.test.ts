import { describe, expect, it } from 'vitest';
import { cellPreview, skipSentence } from './skip-reason';

describe('skipped cells', () => {
  it.each([
    ['cancelled', 'Not answered: the run was cancelled before this cell finished.'],
    ['budget', "Not answered: the run reached its budget before this cell's turn."],
    ['pinned run has no answer', 'Not answered: pinned run has no answer.'],
  ])('says why %s', (reason, sentence) => {
    expect(skipSentence(reason)).toBe(sentence);
  });

  it.each([
    [
      {
        status: 'skipped',
        error: 'The request was cancelled before the answer finished',
        answer: '',
        skipped_reason: 'cancelled',
      },
      'skipped: cancelled',
    ],
    [{ status: 'error', error: 'HTTP 500', answer: '', skipped_reason: null }, 'HTTP 500'],
    [{ status: 'ok', error: null, answer: 'An answer [1]', skipped_reason: null }, 'An answer [1]'],
    [{ status: 'pending', error: null, answer: null, skipped_reason: null }, ''],
    [
      {
        status: 'ok',
        error: null,
        answer: '**TL;DR:** costs rose [Lumen](https://x.example/a).',
        skipped_reason: null,
      },
      'TL;DR: costs rose Lumen.',
    ],
  ])('previews %o as %s', (cell, preview) => {
    expect(cellPreview(cell)).toBe(preview);
  });
});
