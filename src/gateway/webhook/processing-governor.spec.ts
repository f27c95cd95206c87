import { ChatScheduler } from './chat-scheduler';
import { ProcessingGovernor } from './processing-governor';

/** A scheduler whose work never finishes, with `waiting` chats in line. */
function backlogged(waiting: number): ChatScheduler<number> {
  const scheduler = new ChatScheduler<number>(64, () => new Promise<void>(() => undefined));
  for (let chat = 0; chat < waiting; chat++) scheduler.push(String(chat), chat);
  return scheduler;
}

describe('ProcessingGovernor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts from a few chats and grows while the loop keeps up and work waits', () => {
    const scheduler = backlogged(200);
    const governor = new ProcessingGovernor(scheduler as ChatScheduler<unknown>);
    governor.start();
    expect(scheduler.limit).toBe(4);
    jest.advanceTimersByTime(20 * 10);
    expect(scheduler.limit).toBeGreaterThan(16);
    governor.stop();
  });

  it('halves the chats processed at once when the event loop ran late, so acks come first', () => {
    jest.useFakeTimers({ doNotFake: ['performance'] });
    const scheduler = backlogged(200);
    const governor = new ProcessingGovernor(scheduler as ChatScheduler<unknown>);
    governor.start();
    scheduler.limit = 32;
    const busyUntil = performance.now() + 30;
    while (performance.now() < busyUntil); // the loop is held up for 30 ms
    jest.advanceTimersByTime(20);
    expect(scheduler.limit).toBe(16);
    governor.stop();
  });

  it('drops back to a few chats when nothing waits', () => {
    const scheduler = new ChatScheduler<number>(64, async () => undefined);
    const governor = new ProcessingGovernor(scheduler as ChatScheduler<unknown>);
    governor.start();
    scheduler.limit = 64;
    jest.advanceTimersByTime(20);
    expect(scheduler.limit).toBe(4);
    governor.stop();
  });
});
