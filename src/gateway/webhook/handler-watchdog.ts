import { DomainError, ErrorCode } from '../../common/errors';

interface Watched {
  until: number;
  fail: (err: Error) => void;
}

/**
 * Bounds how long a bot handler may hold its chat, with one sweep timer for all of them. A timer per
 * update (telegraf's own handlerTimeout) cost more than the handlers: thousands of 90-second timers a
 * second made the major GC pause the webhook's acks for 40-60 ms.
 */
export class HandlerWatchdog {
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limitMs: number,
    private readonly sweepMs = Math.min(1000, limitMs),
  ) {}

  /** The work's own outcome, or a rejection once it has run past the limit (the work itself cannot be stopped). */
  guard<T>(work: Promise<T>): Promise<T> {
    let entry!: Watched;
    const expired = new Promise<never>((_, reject) => {
      entry = { until: Date.now() + this.limitMs, fail: reject };
    });
    this.watched.add(entry);
    this.timer ??= setInterval(() => this.sweep(), this.sweepMs).unref();
    return Promise.race([work, expired]).finally(() => this.watched.delete(entry));
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const entry of this.watched) {
      if (entry.until > now) continue;
      this.watched.delete(entry);
      entry.fail(new DomainError(ErrorCode.ServiceUnavailable, `The handler ran past ${this.limitMs} ms`));
    }
    if (this.watched.size === 0) this.stop();
  }
}
