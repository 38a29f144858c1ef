import { describe, expect, it } from 'vitest';
import type { CellDetailResponse, CellReview } from '../../../shared/scoring';
import { withMyReview } from './use-review';

const ME = { id: 7, username: 'ana', display_name: 'Ana' };
const NOW = '2025-06-01T10:00:00.000Z';
const review = (over: Partial<CellReview>): CellReview => ({
  reviewer_id: 7,
  reviewer: 'Ana',
  pass: null,
  rating: null,
  notes: '',
  updated_at: '2025-05-01T00:00:00.000Z',
  ...over,
});
const cell = (reviews: CellReview[]) => ({ id: 3, reviews }) as unknown as CellDetailResponse;

describe('withMyReview: the optimistic review', () => {
  it.each([
    ['a first verdict adds my review', [], { pass: true }, [review({ pass: true, updated_at: NOW })]],
    [
      'a rating keeps my verdict and notes',
      [review({ pass: false, notes: 'off topic' })],
      { rating: 2 },
      [review({ pass: false, rating: 2, notes: 'off topic', updated_at: NOW })],
    ],
    [
      'null clears a field; others’ reviews are left alone',
      [review({ reviewer_id: 9, reviewer: 'Bo', pass: true }), review({ pass: true, rating: 4 })],
      { pass: null, notes: 'unsure' },
      [
        review({ reviewer_id: 9, reviewer: 'Bo', pass: true }),
        review({ pass: null, rating: 4, notes: 'unsure', updated_at: NOW }),
      ],
    ],
  ])('%s', (_name, before, body, after) => {
    expect(withMyReview(cell(before), ME, body, NOW)).toEqual(cell(after));
  });
});
