import { describe, expect, it } from 'vitest';
import { eta } from './eta';

const counts = (finished: number, left: number) => ({
  total: finished + left,
  pending: left,
  running: 0,
  ok: finished,
  error: 0,
  skipped: 0,
});
const START = '2026-12-03T10:00:00.000Z';
const at = (s: number) => Date.parse(START) + s * 1000;
const stamp = (s: number) => new Date(at(s)).toISOString();

describe('time left', () => {
  // 200 cells in waves of 50 every 10 s: the figure counts down between waves instead of climbing.
  it.each([
    ['just after the first wave', 10, 10, 30],
    ['halfway to the second', 10, 15, 25],
    ['just before the second', 10, 19.6, 20],
    ['just after the second', 20, 20, 20],
  ])('%s', (_, lastWave, now, seconds) => {
    const finished = (lastWave / 10) * 50;
    expect(eta('running', START, counts(finished, 200 - finished), stamp(lastWave), at(now))).toBe(seconds);
  });

  it.each([
    ['no cell finished', 'running', START, counts(0, 10), null],
    ['not started', 'queued', null, counts(1, 9), null],
    ['ended', 'done', START, counts(10, 0), null],
  ] as const)('is unknown when %s', (_, status, started, c, expected) => {
    expect(eta(status, started, c, stamp(1), at(2))).toBe(expected);
  });

  it('is 0, not negative, when the run is late against its pace', () => {
    expect(eta('running', START, counts(50, 50), stamp(10), at(60))).toBe(0);
  });
});
