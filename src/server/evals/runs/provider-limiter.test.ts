import { describe, expect, it } from 'vitest';
import { createProviderLimiter } from './provider-limiter';

// The limiter admits at most `limit` calls per provider, halves on slowDown and grows back.

async function peak(limiterMax: number, callers: number, slowDownFirst = false) {
  const limiter = createProviderLimiter(limiterMax);
  if (slowDownFirst) limiter.slowDown('p', 0);
  let inFlight = 0;
  let highest = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      const release = await limiter.acquire('p');
      inFlight++;
      highest = Math.max(highest, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      release();
    }),
  );
  return { highest, limit: limiter.limitOf('p') };
}

describe('provider limiter', () => {
  it.each([
    [4, 20, false, 4],
    [1, 20, false, 1],
    [8, 30, true, 4],
  ])(
    'with room for %d, %d callers (slowed down: %s) never exceed %d at once',
    async (max, callers, slow, expected) => {
      expect((await peak(max, callers, slow)).highest).toBe(expected);
    },
  );

  it('halves on a refusal and grows back by one per window of successes', () => {
    const limiter = createProviderLimiter(8);
    limiter.slowDown('p', 0);
    limiter.slowDown('p', 0);
    expect(limiter.limitOf('p')).toBe(2);
    limiter.succeeded('p');
    expect(limiter.limitOf('p')).toBe(2);
    limiter.succeeded('p');
    expect(limiter.limitOf('p')).toBe(3);
    expect(limiter.limitOf('other')).toBe(8);
  });

  it.each([
    ['aborted before it asks', (ac: AbortController) => ac.abort(new Error('stop'))],
    ['aborted while it waits', (ac: AbortController) => setImmediate(() => ac.abort(new Error('stop')))],
  ])('refuses a caller %s at once, even while the provider is paused', async (_, abort) => {
    const limiter = createProviderLimiter(4);
    limiter.slowDown('p', 60_000);
    const ac = new AbortController();
    abort(ac);
    await expect(limiter.acquire('p', ac.signal)).rejects.toThrow('stop');
  });

  it('gives a place at once only when there is room, and says when there is', async () => {
    const limiter = createProviderLimiter(1);
    const first = limiter.tryAcquire('p');
    expect(first).not.toBeNull();
    expect(limiter.tryAcquire('p')).toBeNull();
    let told = false;
    const free = limiter.whenFree('p').then(() => {
      told = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(told).toBe(false);
    first?.();
    await free;
    // Told, not given: the place is still there to take.
    expect(limiter.tryAcquire('p')).not.toBeNull();
  });

  it('says a paused provider has room only once its pause is over', async () => {
    const limiter = createProviderLimiter(4);
    limiter.slowDown('p', 50);
    expect(limiter.tryAcquire('p')).toBeNull();
    await limiter.whenFree('p');
    expect(limiter.tryAcquire('p')).not.toBeNull();
  });
});
