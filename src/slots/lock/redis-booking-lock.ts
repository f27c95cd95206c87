import { Injectable, Logger } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { waitAtMost } from '../../common/wait-at-most';
import { RedisService } from '../../infra/redis/redis.service';
import { BookingLock, BookingLockOptions } from '../api/slot-checks.api';

/** Deletes the key only if it still holds our token: an expired lock now owned by someone else is left alone. */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export const lockKey = (locationId: number, localDate: string) => `slots:lock:${locationId}:${localDate}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What drops cached grids (SlotChecksService): `then` queues commands after the version bumps, in one pipeline. */
export interface GridInvalidator {
  invalidateLocations(locationIds: number[], then?: (pipeline: ChainableCommander) => void): Promise<void>;
}

/**
 * SET NX PX with a random owner token, polled briefly while another instance holds it.
 * Best effort by design: a Redis error or a wait past `waitMs` runs `fn` anyway, since the
 * database transaction is what prevents double booking.
 *
 * Requests of this process for the same location-day queue here first, in arrival order, and each
 * takes the Redis lock as its predecessor lets go: no polling among them (each poll cost a SET and
 * 10-20 ms of waiting after the release), only against other instances.
 */
@Injectable()
export class RedisBookingLock extends BookingLock {
  private readonly logger = new Logger(RedisBookingLock.name);
  /** Per lock key: settles when the last request of this process queued for it is done. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: RedisService,
    private readonly options: BookingLockOptions,
    private readonly grids?: GridInvalidator,
  ) {
    super();
  }

  async withLock<T>(
    locationId: number,
    localDate: string,
    fn: () => Promise<T>,
    options: { invalidates?: number[] } = {},
  ): Promise<T> {
    const invalidates = options.invalidates ?? [];
    if (invalidates.length > 0 && !this.grids)
      throw new Error('RedisBookingLock was built without a GridInvalidator');
    const key = lockKey(locationId, localDate);
    const deadline = Date.now() + this.options.waitMs;
    const before = this.queues.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const queue = before ? before.then(() => mine) : mine;
    this.queues.set(key, queue);
    try {
      // A predecessor stuck past the wait no longer holds this one back.
      await waitAtMost(before, this.options.waitMs);
      return await this.locked(key, deadline, fn, invalidates);
    } finally {
      done();
      if (this.queues.get(key) === queue) this.queues.delete(key);
    }
  }

  private async locked<T>(
    key: string,
    deadline: number,
    fn: () => Promise<T>,
    invalidates: number[],
  ): Promise<T> {
    const token = randomBytes(16).toString('hex');
    const held = await this.acquire(key, token, deadline);
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      if (held) await this.release(key, token);
      throw err;
    }
    let released = !held;
    try {
      if (invalidates.length > 0) {
        // INCRs then the release in one pipeline: Redis runs them in order, so the lock is free only once the grids are stale.
        await this.grids!.invalidateLocations(
          invalidates,
          held
            ? (pipeline) => {
                released = true;
                pipeline.eval(RELEASE_SCRIPT, 1, key, token);
              }
            : undefined,
        );
      }
    } catch (err) {
      this.logger.warn(`invalidating slots after a booking change failed: ${(err as Error).message}`);
    } finally {
      if (!released) await this.release(key, token);
    }
    return result;
  }

  private async acquire(key: string, token: string, deadline: number): Promise<boolean> {
    const { ttlMs, waitMs, retryMs } = this.options;
    for (;;) {
      try {
        if ((await this.redis.client.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') return true;
      } catch (err) {
        this.logger.warn(`booking lock unavailable, continuing without it: ${(err as Error).message}`);
        return false;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.logger.warn(`booking lock ${key} still taken after ${waitMs} ms, continuing without it`);
        return false;
      }
      // Jitter keeps waiters from retrying in lockstep.
      await sleep(Math.min(left, retryMs + Math.floor(Math.random() * retryMs)));
    }
  }

  private async release(key: string, token: string): Promise<void> {
    try {
      await this.redis.client.eval(RELEASE_SCRIPT, 1, key, token);
    } catch (err) {
      // The TTL frees it anyway.
      this.logger.warn(`booking lock release failed: ${(err as Error).message}`);
    }
  }
}
