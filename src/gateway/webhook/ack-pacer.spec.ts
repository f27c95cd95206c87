import { AckPacer } from './ack-pacer';

/** A pacer whose backlog the test sets, on jest's fake clock. */
function paced(holdMs = 25) {
  const state = { behind: false };
  const pacer = new AckPacer(
    holdMs,
    () => state.behind,
    () => Date.now(),
  );
  const released: number[] = [];
  const hold = (n: number) => {
    const held = pacer.hold();
    if (!held) released.push(n);
    else void held.then(() => released.push(n));
  };
  return { pacer, state, released, hold };
}

const flush = () =>
  new Promise<void>((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));

describe('AckPacer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds nothing while processing keeps up', async () => {
    const { pacer, released, hold } = paced();
    hold(1);
    hold(2);
    await flush();
    expect(released).toEqual([1, 2]);
    expect(pacer.holding).toBe(0);
  });

  it('while behind, lets one held ack go per processed update, oldest first', async () => {
    const { pacer, state, released, hold } = paced();
    state.behind = true;
    [1, 2, 3].forEach(hold);
    expect(pacer.holding).toBe(3);
    pacer.processed();
    await flush();
    expect(released).toEqual([1]);
    pacer.processed();
    await flush();
    expect(released).toEqual([1, 2]);
    expect(pacer.holding).toBe(1);
  });

  it('lets every held ack go once processing has caught up', async () => {
    const { pacer, state, released, hold } = paced();
    state.behind = true;
    [1, 2, 3, 4].forEach(hold);
    state.behind = false;
    pacer.processed();
    await flush();
    expect(released).toEqual([1, 2, 3, 4]);
  });

  it('never holds an ack longer than holdMs, each counted from its own arrival', async () => {
    const { pacer, state, released, hold } = paced(25);
    state.behind = true;
    hold(1);
    jest.advanceTimersByTime(10);
    hold(2);
    jest.advanceTimersByTime(14);
    await flush();
    expect(released).toEqual([]);
    jest.advanceTimersByTime(1);
    await flush();
    expect(released).toEqual([1]);
    jest.advanceTimersByTime(9);
    await flush();
    expect(released).toEqual([1]);
    jest.advanceTimersByTime(1);
    await flush();
    expect(released).toEqual([1, 2]);
    expect(pacer.holding).toBe(0);
  });

  it('lets everything go at shutdown', async () => {
    const { pacer, state, released, hold } = paced();
    state.behind = true;
    [1, 2].forEach(hold);
    pacer.releaseAll();
    await flush();
    expect(released).toEqual([1, 2]);
  });
});
