import { Deadline } from './deadline';

describe('Deadline', () => {
  it('passes a result or an error through, and rejects work that runs past the limit', async () => {
    const deadline = new Deadline(60, 10);
    await expect(deadline.guard(Promise.resolve(7))).resolves.toBe(7);
    await expect(deadline.guard(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const started = Date.now();
    await expect(deadline.guard(new Promise(() => undefined))).rejects.toMatchObject({
      code: 'service_unavailable',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    deadline.stop();
  });

  it('does not fail work that finished in time, even when the sweep comes later', async () => {
    const deadline = new Deadline(30, 10);
    const quick = deadline.guard(new Promise((resolve) => setTimeout(() => resolve('done'), 5)));
    await expect(quick).resolves.toBe('done');
    await new Promise((r) => setTimeout(r, 60));
    deadline.stop();
  });
});
