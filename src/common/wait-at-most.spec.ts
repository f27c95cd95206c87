import { waitAtMost } from './wait-at-most';

describe('waitAtMost', () => {
  it('returns as soon as the work settles, fulfilled or rejected', async () => {
    const started = performance.now();
    await waitAtMost(new Promise((resolve) => setTimeout(resolve, 10)), 5_000);
    await waitAtMost(Promise.reject(new Error('gone')), 5_000);
    await waitAtMost(undefined, 5_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('gives up after ms while the work is still pending, and leaves no timer behind', async () => {
    const started = performance.now();
    await waitAtMost(new Promise(() => undefined), 40);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    jest.useFakeTimers();
    try {
      let settle!: () => void;
      const waiting = waitAtMost(new Promise<void>((resolve) => (settle = resolve)), 60_000);
      settle();
      await waiting;
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
