import type { ChatScheduler } from './chat-scheduler';

const INTERVAL_MS = 20;
const LAGGING_MS = 3;
const RELAXED_MS = 1;
/** Share of the interval the event loop was busy above which requests are waiting on processing. */
const BUSY = 0.9;
/** Below this the loop has room for more processing while requests arrive. */
const SPARE = 0.75;
/**
 * Chats processed at once while updates wait, however busy acking keeps the loop: processing's share
 * of every loop turn. Stopping processing in a flood (as this governor once did) answered 19-34 users
 * a second while it acked 10,000 updates a second; with 8 chats kept going, acks stayed within 30-70 ms
 * (p99, 40 connections) and replies ran at 330-570/s on a loaded machine, where 32 or 64 chats at
 * once pushed ack p99 to 340-710 ms.
 */
export const RESERVE = 8;
/** Chats processed at once when work arrives after a quiet spell; the limit grows from here while the loop keeps up. */
const START_LIMIT = 4;

/** The share of the time since the previous call that the event loop was busy (0..1). */
export type LoopUtilization = () => number;

export function eventLoopUtilization(): LoopUtilization {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

/**
 * Answering Telegram comes first, but users must go on being answered meanwhile. Every 20 ms the
 * number of chats processed at once is halved, down to RESERVE, when either
 * - the event loop ran late (one long task held every request up), or
 * - updates are arriving and the loop was busy over 90% of the time: no task is long, but requests
 *   wait behind a loop full of processing (at twice our capacity the loop was 100% busy with 2 ms
 *   of timer lag, and acks took 10-100 ms).
 * It never goes below RESERVE while updates wait, not even in a flood: acks then take a little longer
 * (each loop turn also carries a few processing steps), and a flood is answered as it comes instead
 * of after it ends. It grows by a quarter while the loop keeps up, with room to spare when updates
 * arrive. After a quiet spell it starts again from a few: a burst that found the limit at its maximum
 * started 64 chats at once and delayed the first acks by ~100 ms. What waits beyond memory's share
 * (TG_BACKLOG_IN_MEMORY) waits in the journal; with no updates arriving, processing takes the whole loop.
 */
export class ProcessingGovernor {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  constructor(
    private readonly scheduler: ChatScheduler<unknown>,
    /** Updates that arrived (answered or not) since the previous call. */
    private readonly arrivals: () => number,
    private readonly utilization: LoopUtilization = eventLoopUtilization(),
  ) {}

  start(): void {
    this.last = performance.now();
    this.utilization();
    this.arrivals();
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
    const busy = this.utilization();
    const arriving = this.arrivals() > 0;
    const { scheduler } = this;
    if (lag > LAGGING_MS || (arriving && busy > BUSY)) {
      scheduler.limit = Math.max(RESERVE, Math.floor(scheduler.limit / 2));
    } else if (scheduler.size === 0) scheduler.limit = Math.max(1, Math.min(scheduler.limit, START_LIMIT));
    else if (lag < RELAXED_MS && scheduler.size > scheduler.limit && (!arriving || busy < SPARE)) {
      scheduler.limit = scheduler.limit + Math.max(1, scheduler.limit / 4);
    }
  }
}
