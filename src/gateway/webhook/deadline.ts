import { DomainError, ErrorCode } from '../../common/errors';

interface Watched {
  until: number;
  fail: (err: Error) => void;
}

/** What a guarded promise rejects with once it has run past its deadline. */
export class DeadlineExceeded extends DomainError {
  constructor(limitMs: number) {
    super(ErrorCode.ServiceUnavailable, `No answer within ${limitMs} ms`);
  }
}

/**
 * Bounds how long work may take, with one sweep timer for all of it. A timer per guarded promise
 * (telegraf's own handlerTimeout did that per update) cost more than the work: thousands of
 * long-running timers a second made the major GC pause the webhook's acks for 40-60 ms. The sweep
 * runs every tenth of the limit (between 10 ms and 1 s), so work fails between 1x and 1.1x the limit.
 */
export class Deadline {
  private readonly watched = new Set<Watched>();
  private readonly sweepMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limitMs: number,
    sweepMs = Math.max(10, Math.min(1000, limitMs / 10)),
  ) {
    this.sweepMs = sweepMs;
  }

  /** The work's own outcome, or DeadlineExceeded once it has run past the limit (the work itself is not stopped). */
  guard<T>(work: Promise<T>): Promise<T> {
    // One promise of its own (no race, no finally): this wraps every update's handler and admission.
    return new Promise<T>((resolve, reject) => {
      const entry: Watched = { until: Date.now() + this.limitMs, fail: reject };
      this.watched.add(entry);
      this.timer ??= setInterval(() => this.sweep(), this.sweepMs).unref();
      work.then(
        (value) => {
          this.watched.delete(entry);
          resolve(value);
        },
        (err: unknown) => {
          this.watched.delete(entry);
          reject(err);
        },
      );
    });
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
      entry.fail(new DeadlineExceeded(this.limitMs));
    }
    if (this.watched.size === 0) this.stop();
  }
}
