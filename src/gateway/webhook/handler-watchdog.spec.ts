import { HandlerWatchdog } from './handler-watchdog';

describe('HandlerWatchdog', () => {
  it('passes a result or an error through, and rejects work that runs past the limit', async () => {
    const watchdog = new HandlerWatchdog(60, 10);
    await expect(watchdog.guard(Promise.resolve(7))).resolves.toBe(7);
    await expect(watchdog.guard(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const started = Date.now();
    await expect(watchdog.guard(new Promise(() => undefined))).rejects.toMatchObject({
      code: 'service_unavailable',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    watchdog.stop();
  });

  it('does not fail work that finished in time, even when the sweep comes later', async () => {
    const watchdog = new HandlerWatchdog(30, 10);
    const quick = watchdog.guard(new Promise((resolve) => setTimeout(() => resolve('done'), 5)));
    await expect(quick).resolves.toBe('done');
    await new Promise((r) => setTimeout(r, 60));
    watchdog.stop();
  });
});
