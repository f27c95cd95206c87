import { ChatScheduler } from './chat-scheduler';
import { ProcessingGovernor, RESERVE } from './processing-governor';

/** A scheduler whose work never finishes, with `waiting` chats in line. */
function backlogged(waiting: number): ChatScheduler<number> {
  const scheduler = new ChatScheduler<number>(64, () => new Promise<void>(() => undefined));
  for (let chat = 0; chat < waiting; chat++) scheduler.push(String(chat), chat);
  return scheduler;
}

/** What the governor reads every tick: updates arrived, and how busy the loop was. */
class Load {
  arriving = 0;
  busy = 0.2;
  readonly arrivals = () => this.arriving;
  readonly utilization = () => this.busy;
}

function governed(scheduler: ChatScheduler<number>, load = new Load()): ProcessingGovernor {
  const governor = new ProcessingGovernor(
    scheduler as ChatScheduler<unknown>,
    load.arrivals,
    load.utilization,
  );
  governor.start();
  return governor;
}

describe('ProcessingGovernor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts from a few chats and grows while the loop keeps up and work waits', () => {
    const scheduler = backlogged(200);
    const governor = governed(scheduler);
    expect(scheduler.limit).toBe(4);
    jest.advanceTimersByTime(20 * 10);
    expect(scheduler.limit).toBeGreaterThan(16);
    governor.stop();
  });

  it('halves the chats processed at once when the event loop ran late, so acks come first', () => {
    jest.useFakeTimers({ doNotFake: ['performance'] });
    const scheduler = backlogged(200);
    const governor = governed(scheduler);
    scheduler.limit = 32;
    const busyUntil = performance.now() + 30;
    while (performance.now() < busyUntil); // the loop is held up for 30 ms
    jest.advanceTimersByTime(20);
    expect(scheduler.limit).toBe(16);
    governor.stop();
  });

  it('in a flood on a loop busy over 90%, halves processing down to the reserve and keeps it there', () => {
    const load = new Load();
    const scheduler = backlogged(200);
    const governor = governed(scheduler, load);
    scheduler.limit = 64;
    load.arriving = 200;
    load.busy = 1;
    jest.advanceTimersByTime(20);
    expect(scheduler.limit).toBe(32);
    jest.advanceTimersByTime(20 * 50);
    expect(scheduler.limit).toBe(RESERVE);
    governor.stop();
  });

  it('a trickle of updates on a busy loop (busy with REST, say) keeps the reserve processing', () => {
    const load = new Load();
    const scheduler = backlogged(200);
    const governor = governed(scheduler, load);
    scheduler.limit = 2;
    load.arriving = 3;
    load.busy = 0.97;
    jest.advanceTimersByTime(20 * 5);
    expect(scheduler.limit).toBe(RESERVE);
    governor.stop();
  });

  it('a busy loop with no updates arriving is processing the backlog: it keeps growing', () => {
    const load = new Load();
    const scheduler = backlogged(200);
    const governor = governed(scheduler, load);
    load.busy = 1;
    jest.advanceTimersByTime(20 * 5);
    expect(scheduler.limit).toBeGreaterThan(4);
    governor.stop();
  });

  it('grows beyond the reserve while updates arrive only when the loop has room to spare', () => {
    const load = new Load();
    const scheduler = backlogged(200);
    const governor = governed(scheduler, load);
    scheduler.limit = RESERVE;
    load.arriving = 150;
    // Between 75% and 90% busy it holds: neither more nor less processing.
    load.busy = 0.85;
    jest.advanceTimersByTime(20 * 5);
    expect(scheduler.limit).toBe(RESERVE);
    load.busy = 0.5;
    jest.advanceTimersByTime(20 * 5);
    expect(scheduler.limit).toBeGreaterThan(RESERVE);
    governor.stop();
  });

  it('drops back to a few chats when nothing waits', () => {
    const scheduler = new ChatScheduler<number>(64, async () => undefined);
    const governor = governed(scheduler);
    scheduler.limit = 64;
    jest.advanceTimersByTime(20);
    expect(scheduler.limit).toBe(4);
    governor.stop();
  });

  it('never leaves processing stopped once nothing waits', () => {
    const scheduler = new ChatScheduler<number>(64, async () => undefined);
    const governor = governed(scheduler);
    scheduler.limit = 0;
    jest.advanceTimersByTime(20);
    expect(scheduler.limit).toBe(1);
    governor.stop();
  });
});
