import type { ChatScheduler } from './chat-scheduler';

const INTERVAL_MS = 20;
const LAGGING_MS = 5;
const RELAXED_MS = 2;

/**
 * Answering Telegram comes before processing: when the event loop runs late (a sign that requests
 * wait), the number of updates processed at once is halved; while it keeps up, it grows by one per
 * tick. The journal holds what waits meanwhile.
 */
export class ProcessingGovernor {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(private readonly scheduler: ChatScheduler<unknown>) {}

  start(): void {
    this.last = performance.now();
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
    if (lag > LAGGING_MS) this.scheduler.limit = this.scheduler.limit / 2;
    else if (lag < RELAXED_MS && this.scheduler.limit < this.scheduler.concurrency)
      this.scheduler.limit = this.scheduler.limit + 1;
  }
}
