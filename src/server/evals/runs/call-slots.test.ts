import { describe, expect, it } from 'vitest';
import { createCallSlots } from './call-slots';
import { createProviderLimiter } from './provider-limiter';

// A run's call slots: a cell whose provider is paused waits without holding one, so the run's
// cells of another provider go ahead.

const slotsFor = (concurrency: number, limiter = createProviderLimiter(8)) => ({
  limiter,
  take: createCallSlots({
    concurrency,
    limiter,
    signal: new AbortController().signal,
    stillRunning: async () => undefined,
  }),
});

describe('call slots', () => {
  it('lets another provider call while the one a cell waits for is paused', async () => {
    const { limiter, take } = slotsFor(1);
    limiter.slowDown('anthropic', 200);
    const order: string[] = [];
    const paused = take('anthropic').then((held) => {
      order.push('anthropic');
      held.provider();
      held.run();
    });
    const other = await take('openai');
    order.push('openai');
    other.provider();
    other.run();
    await paused;
    expect(order).toEqual(['openai', 'anthropic']);
  });

  it('never has more calls open than the run allows', async () => {
    const { take } = slotsFor(2);
    let open = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const held = await take(i % 2 ? 'openai' : 'anthropic');
        most = Math.max(most, ++open);
        await new Promise((r) => setTimeout(r, 5));
        open--;
        held.provider();
        held.run();
      }),
    );
    expect(most).toBe(2);
  });
});
