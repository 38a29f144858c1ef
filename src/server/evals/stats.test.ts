import { describe, expect, it } from 'vitest';
import { type RunFigures, summarizeByPromptText } from './stats';

// Reference values computed in R, the call beside each figure.

const run = (over: Partial<RunFigures>): RunFigures => ({
  sha256: 'A',
  status: 'ok',
  execution_time_ms: 100,
  cost_usd: null,
  user_rating: null,
  created_at: '2026-11-01T10:00:00.000Z',
  ...over,
});

describe('summarizeByPromptText: figures per prompt text', () => {
  it('groups by text, newest text first, numbering texts in the order first tested', () => {
    const runs = [
      run({ sha256: 'B', created_at: '2026-11-03T10:00:00.000Z', execution_time_ms: 300, user_rating: 5 }),
      run({ sha256: 'A', created_at: '2026-11-02T10:00:00.000Z', execution_time_ms: 200, user_rating: 2 }),
      run({ sha256: 'A', created_at: '2026-11-01T10:00:00.000Z', user_rating: 3, cost_usd: 0.002 }),
      run({ sha256: 'A', created_at: '2026-11-01T11:00:00.000Z', status: 'error', execution_time_ms: 9 }),
    ];
    expect(summarizeByPromptText(runs)).toEqual([
      {
        sha256: 'B',
        number: 2,
        runs: 1,
        failed: 0,
        rated: 1,
        mean_rating: 5,
        median_ms: 300,
        mean_cost_usd: null,
        last_tested_at: '2026-11-03T10:00:00.000Z',
      },
      {
        sha256: 'A',
        number: 1,
        runs: 3,
        failed: 1,
        rated: 2,
        mean_rating: 2.5, // mean(c(2, 3))
        median_ms: 150, // median(c(200, 100)): the failed run's 9 ms is left out
        mean_cost_usd: 0.002,
        last_tested_at: '2026-11-02T10:00:00.000Z',
      },
    ]);
  });

  it('takes the middle of an odd count, the mean of the middle two of an even count', () => {
    const times = (ms: number[]) =>
      ms.map((execution_time_ms, i) => run({ execution_time_ms, created_at: `2026-11-0${i + 1}` }));
    // median(c(1200, 80, 95, 4000, 310)) = 310
    expect(summarizeByPromptText(times([1200, 80, 95, 4000, 310]))[0].median_ms).toBe(310);
    // median(c(120, 80, 300, 95)) = 107.5
    expect(summarizeByPromptText(times([120, 80, 300, 95]))[0].median_ms).toBe(107.5);
  });

  it('averages ratings and known costs only', () => {
    const runs = [
      run({ user_rating: 4, cost_usd: 0.0012, created_at: '2026-11-01' }),
      run({ user_rating: 5, cost_usd: null, created_at: '2026-11-02' }),
      run({ user_rating: null, cost_usd: 0.0031, created_at: '2026-11-03' }),
      run({ user_rating: 1, cost_usd: 0.0005, created_at: '2026-11-04' }),
    ];
    const [s] = summarizeByPromptText(runs);
    // mean(c(4, 5, 1)) = 3.333333
    expect(s.mean_rating).toBeCloseTo(3.333333, 6);
    // mean(c(0.0012, 0.0031, 0.0005)) = 0.001600000
    expect(s.mean_cost_usd).toBeCloseTo(0.0016, 12);
    expect([s.runs, s.rated, s.failed]).toEqual([4, 3, 0]);
  });

  it('says null where nothing can be said', () => {
    const [s] = summarizeByPromptText([run({ status: 'error' })]);
    expect([s.mean_rating, s.median_ms, s.mean_cost_usd, s.failed]).toEqual([null, null, null, 1]);
    expect(summarizeByPromptText([])).toEqual([]);
  });
});
