import { AsyncResource } from 'node:async_hooks';
import { waitAtMost } from '../../common/wait-at-most';

/**
 * Runs work items one at a time per key (a chat) in push order, and at most `concurrency`
 * keys at once. A key that finishes an item goes to the back of the line, so one busy chat
 * cannot starve the others.
 */
export class ChatScheduler<T> {
  private readonly pendingByKey = new Map<string, T[]>();
  private ready: string[] = [];
  private readyHead = 0;
  private running = 0;
  private queued = 0;
  private idleWaiters: (() => void)[] = [];
  /** Work runs in the scheduler's own async context, not in that of the request that happened to push it. */
  private readonly scope = new AsyncResource('ChatScheduler');

  private currentLimit: number;

  constructor(
    readonly concurrency: number,
    private readonly work: (item: T) => Promise<void>,
  ) {
    this.currentLimit = concurrency;
  }

  /** How many keys may run at once right now (0..concurrency); lowered under load, raised when it passes. */
  get limit(): number {
    return this.currentLimit;
  }

  set limit(value: number) {
    this.currentLimit = Math.max(0, Math.min(this.concurrency, Math.floor(value)));
    this.pump();
  }

  /** Items waiting or running. */
  get size(): number {
    return this.queued + this.running;
  }

  /** Items waiting to run. */
  get waiting(): number {
    return this.queued;
  }

  push(key: string, item: T): void {
    this.queued++;
    const pending = this.pendingByKey.get(key);
    if (pending) {
      // The key is running or already in line; it picks this item up in order.
      pending.push(item);
      return;
    }
    this.pendingByKey.set(key, [item]);
    this.ready.push(key);
    this.pump();
  }

  /** Resolves when nothing is running (waiting items are left alone), or after `timeoutMs`. */
  async whenRunningDone(timeoutMs: number): Promise<void> {
    if (this.running === 0) return;
    await waitAtMost(new Promise<void>((resolve) => this.idleWaiters.push(resolve)), timeoutMs);
  }

  /** Stops starting new items; those waiting stay where they are (the journal still has them). */
  pause(): void {
    this.paused = true;
  }

  private paused = false;

  private pump(): void {
    while (!this.paused && this.running < this.currentLimit && this.readyHead < this.ready.length) {
      const key = this.ready[this.readyHead++];
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      const pending = this.pendingByKey.get(key)!;
      const item = pending.shift()!;
      this.queued--;
      this.running++;
      void this.scope
        .runInAsyncScope(() => this.work(item))
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          if (pending.length > 0) this.ready.push(key);
          else this.pendingByKey.delete(key);
          if (this.running === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
          this.pump();
        });
    }
  }
}
