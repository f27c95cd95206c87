import type { ChatScheduler } from './chat-scheduler';

const INTERVAL_MS = 20;
const LAGGING_MS = 3;
const RELAXED_MS = 1;
/** Chats processed at once when work arrives after a quiet spell; the limit grows from here while the loop keeps up. */
const START_LIMIT = 4;

/**
 * Answering Telegram comes before processing. Every 20 ms: when the event loop ran late (a sign
 * that requests wait), the number of chats processed at once is halved; while it keeps up and work
 * is waiting, it grows by a quarter. After a quiet spell it starts again from a few: a burst that
 * found the limit at its maximum started 64 chats at once and delayed the first acks by ~100 ms.
 * The journal holds what waits meanwhile.
 */
export class ProcessingGovernor {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(private readonly scheduler: ChatScheduler<unknown>) {}

  start(): void {
    this.last = performance.now();
    this.scheduler.limit = START_LIMIT;
    this.timer = setInterval(() => this.tick(), INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = performance.now();
    const lag = now - this.last - INTERVAL_MS;
    this.last = now;
    const { scheduler } = this;
    if (lag > LAGGING_MS) scheduler.limit = scheduler.limit / 2;
    else if (scheduler.size === 0) scheduler.limit = Math.min(scheduler.limit, START_LIMIT);
    else if (lag < RELAXED_MS && scheduler.size > scheduler.limit)
      scheduler.limit = scheduler.limit + Math.max(1, scheduler.limit / 4);
  }
}
