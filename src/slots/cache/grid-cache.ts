import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import { RedisService } from '../../infra/redis/redis.service';

/** One specialist's row of a cached location-day. */
export interface CachedSpecialist {
  id: number;
  userId: number;
  name: string;
  /** 96 digits: 0 closed, 1 free, 2 booked (see slot-grid.ts). */
  cells: string;
}

/** A location-day as stored under slots:location:{id}:{date}, tagged with the version it was computed at. */
export interface CachedDay {
  v: string;
  tz: string;
  active: boolean;
  specialists: CachedSpecialist[];
}

export const versionKey = (locationId: number) => `slots:location:version:${locationId}`;
export const dayKey = (locationId: number, date: string) => `slots:location:${locationId}:${date}`;

const DAY_TTL_SECONDS = 6 * 3600;
const RETRY_MS = 1000;

/**
 * L1 of the slots engine. A cached day is valid only while its `v` equals the location's version key;
 * bumping the version (INCR) drops every day of the location at once. The version and the days are
 * read in one MGET (or, when the caller holds days of the current version, the version alone first). Redis
 * failures never fail a read: the caller computes from the database.
 *
 * When a bump fails (Redis blip), this process stops trusting the location's cache until a bump
 * succeeds again (retried in the background and before each read), so a grid cached before the write
 * is never served after it. Other processes are bounded by the day TTL.
 */
@Injectable()
export class GridCache implements OnModuleDestroy {
  private readonly logger = new Logger(GridCache.name);
  private readonly pending = new Set<number>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly redis: RedisService) {}

  /**
   * The current version and the cached days that carry it; version null means "do not use or fill the cache now".
   * `held`: the version and days the caller already holds (decoded in memory); while the version is still that
   * one, those days are not fetched again and only the version is read.
   */
  async read(
    locationId: number,
    dates: string[],
    held?: { version: string; has: (date: string) => boolean },
  ): Promise<{ version: string | null; days: Map<string, CachedDay> }> {
    const days = new Map<string, CachedDay>();
    if (this.pending.has(locationId) && !(await this.flushPending(locationId)))
      return { version: null, days };
    try {
      let wanted = dates;
      let version: string | null;
      let values: (string | null)[];
      if (held) {
        version = await this.redis.client.get(versionKey(locationId));
        if (version === held.version) wanted = dates.filter((d) => !held.has(d));
        values = version !== null && wanted.length > 0 ? await this.mget(locationId, wanted) : [];
      } else {
        [version, ...values] = await this.redis.client.mget(
          versionKey(locationId),
          ...dates.map((d) => dayKey(locationId, d)),
        );
      }
      if (version === null) {
        // First use (or an evicted key): start from a value no earlier version can have had.
        await this.redis.client.set(versionKey(locationId), String(Date.now() * 1000), 'NX');
        return { version: null, days };
      }
      values.forEach((raw, i) => {
        if (raw === null) return;
        const day = JSON.parse(raw) as CachedDay;
        if (day.v === version) days.set(wanted[i], day);
      });
      return { version, days };
    } catch (err) {
      this.logger.warn(`slots cache read failed, computing from the database: ${(err as Error).message}`);
      return { version: null, days: new Map() };
    }
  }

  private mget(locationId: number, dates: string[]): Promise<(string | null)[]> {
    return this.redis.client.mget(...dates.map((d) => dayKey(locationId, d)));
  }

  /** Stores freshly computed days under the version read before computing them (a later bump makes them stale, as it should). */
  async write(locationId: number, version: string, days: Map<string, Omit<CachedDay, 'v'>>): Promise<void> {
    if (days.size === 0) return;
    try {
      const pipeline = this.redis.client.pipeline();
      for (const [date, day] of days) {
        pipeline.set(dayKey(locationId, date), JSON.stringify({ v: version, ...day }), 'EX', DAY_TTL_SECONDS);
      }
      await pipeline.exec();
    } catch (err) {
      this.logger.warn(`slots cache write failed: ${(err as Error).message}`);
    }
  }

  /**
   * Invalidates every cached day of these locations. Never throws: a failed bump is remembered and retried.
   * `then` may queue more commands after the INCRs in the same round trip (Redis runs them after the bumps).
   */
  async bump(locationIds: number[], then?: (pipeline: ChainableCommander) => void): Promise<void> {
    try {
      const pipeline = this.redis.client.pipeline();
      for (const id of locationIds) pipeline.incr(versionKey(id));
      then?.(pipeline);
      const results = ((await pipeline.exec()) ?? []).slice(0, locationIds.length);
      const failed = results.find(([err]) => err);
      if (failed || results.length !== locationIds.length)
        throw failed?.[0] ?? new Error('incomplete pipeline');
      for (const id of locationIds) this.pending.delete(id);
    } catch (err) {
      this.logger.warn(
        `slots cache invalidation failed, bypassing the cache until it succeeds: ${(err as Error).message}`,
      );
      for (const id of locationIds) this.pending.add(id);
      this.scheduleRetry();
    }
  }

  private async flushPending(locationId: number): Promise<boolean> {
    await this.bump([locationId]);
    return !this.pending.has(locationId);
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.pending.size > 0) void this.bump([...this.pending]);
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }
}
