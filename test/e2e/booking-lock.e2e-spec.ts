import Redis from 'ioredis';
import { RedisService } from '../../src/infra/redis/redis.service';
import { BookingLock, BookingLockOptions } from '../../src/slots/api';
import { versionKey } from '../../src/slots/cache/grid-cache';
import { GridInvalidator, lockKey, RedisBookingLock } from '../../src/slots/lock/redis-booking-lock';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

/** A promise and the function that resolves it: one side signals an event, the other awaits it. */
function signal(): { fired: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => (fire = resolve));
  return { fired, fire };
}

describe('BookingLock on Redis', () => {
  let t: TestApp;
  let redis: RedisService;
  let date = 0;
  // Each test locks its own location-day.
  const nextKey = (): [number, string] => [1, `2026-01-${String(++date).padStart(2, '0')}`];
  const lock = (options: Partial<BookingLockOptions>) =>
    new RedisBookingLock(redis, new BookingLockOptions(options));
  /** Counts the SET NX of the location-day's lock that Redis refused (someone held it) until stopped. */
  const countRefusals = (location: number, day: string) => {
    const refusals = { count: 0, stop: () => spy.mockRestore() };
    const set = redis.client.set.bind(redis.client) as (...args: unknown[]) => Promise<unknown>;
    const spy = jest.spyOn(redis.client, 'set').mockImplementation((async (...args: unknown[]) => {
      const answer = await set(...args);
      if (args[0] === lockKey(location, day) && answer === null) refusals.count++;
      return answer;
    }) as never);
    return refusals;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    redis = t.get(RedisService);
  });
  afterAll(() => t.stop());

  it('holds slots:lock:{location}:{date} with a random token and a 30 s TTL while fn runs, then releases it', async () => {
    const [location, day] = nextKey();
    const tokens: string[] = [];
    const value = await t.get(BookingLock).withLock(location, day, async () => {
      tokens.push((await redis.client.get(lockKey(location, day)))!);
      const ttl = await redis.client.pttl(lockKey(location, day));
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
      return 42;
    });
    await t
      .get(BookingLock)
      .withLock(location, day, async () => tokens.push((await redis.client.get(lockKey(location, day)))!));
    expect(value).toBe(42);
    expect(tokens[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(await redis.client.exists(lockKey(location, day))).toBe(0);
  });

  it('serializes contenders on one location-day and lets other days run in parallel', async () => {
    const [location, day] = nextKey();
    const [, otherDay] = nextKey();
    const spans: { key: string; from: number; to: number }[] = [];
    // Contenders refused the lock of `day`, counted at Redis: a holder keeps it until one was refused.
    const refusals = countRefusals(location, day);
    let waiting = 6;
    const otherDayIn = signal();
    const work = (d: string) =>
      lock({ waitMs: 5_000, retryMs: 5 }).withLock(location, d, async () => {
        const from = performance.now();
        if (d === day) {
          waiting--;
          const seen = refusals.count;
          // Held until a contender has been turned away meanwhile (or none is left), and the other day got in.
          await until(() => waiting === 0 || refusals.count > seen, 5_000, 'a contender refused');
          await otherDayIn.fired;
        } else otherDayIn.fire();
        spans.push({ key: d, from, to: performance.now() });
      });
    try {
      await Promise.all([...Array.from({ length: 6 }, () => work(day)), work(otherDay)]);
    } finally {
      refusals.stop();
    }
    const same = spans.filter((s) => s.key === day).sort((a, b) => a.from - b.from);
    expect(same).toHaveLength(6);
    for (let i = 1; i < same.length; i++) expect(same[i].from).toBeGreaterThanOrEqual(same[i - 1].to);
    const other = spans.find((s) => s.key === otherDay)!;
    expect(other.from).toBeLessThan(same[same.length - 1].from);
  });

  it("queues one process's contenders in arrival order, each taking the lock as its predecessor lets go, without polling Redis", async () => {
    const [location, day] = nextKey();
    const refusals = countRefusals(location, day);
    // retryMs 500: a contender that polled would wait at least that long after a release.
    const locker = lock({ waitMs: 5_000, retryMs: 500 });
    const order: number[] = [];
    const spans: { from: number; to: number }[] = [];
    const started = performance.now();
    try {
      await Promise.all(
        [0, 1, 2, 3, 4, 5].map((n) =>
          locker.withLock(location, day, async () => {
            const from = performance.now();
            order.push(n);
            await new Promise((resolve) => setTimeout(resolve, 10));
            spans.push({ from, to: performance.now() });
          }),
        ),
      );
    } finally {
      refusals.stop();
    }
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    for (let i = 1; i < spans.length; i++) expect(spans[i].from).toBeGreaterThanOrEqual(spans[i - 1].to);
    expect(refusals.count).toBe(0);
    expect(performance.now() - started).toBeLessThan(500);
    expect(await redis.client.exists(lockKey(location, day))).toBe(0);
  });

  it('a queued contender stops waiting for a stuck predecessor of its own process after waitMs', async () => {
    const [location, day] = nextKey();
    const locker = lock({ waitMs: 80, retryMs: 5 });
    const stuckIn = signal();
    const letGo = signal();
    const stuck = locker.withLock(location, day, async () => {
      stuckIn.fire();
      await letGo.fired;
    });
    await stuckIn.fired;
    const started = performance.now();
    const waited = await locker.withLock(location, day, async () => performance.now() - started);
    expect(waited).toBeGreaterThanOrEqual(75);
    expect(waited).toBeLessThan(400);
    letGo.fire();
    await stuck;
    // Both done: the queue is empty again and the next one goes in at once.
    const next = performance.now();
    await locker.withLock(location, day, async () => undefined);
    expect(performance.now() - next).toBeLessThan(50);
  });

  it('after the TTL expires another request gets the lock, and the late owner does not delete it', async () => {
    const [location, day] = nextKey();
    const events: string[] = [];
    const slowIn = signal();
    const fastIn = signal();
    // The slow owner holds on until the fast one got in: only its lock's 60 ms TTL can let that happen.
    const slow = lock({ ttlMs: 60, waitMs: 5_000, retryMs: 5 }).withLock(location, day, async () => {
      events.push('slow in');
      slowIn.fire();
      await fastIn.fired;
      events.push('slow out');
    });
    await slowIn.fired;
    const fast = lock({ ttlMs: 5_000, waitMs: 5_000, retryMs: 5 }).withLock(location, day, async () => {
      events.push('fast in');
      fastIn.fire();
      await slow;
      // The slow owner has released by now: only its own token could be deleted, so ours is still there.
      events.push(`fast sees lock: ${await redis.client.exists(lockKey(location, day))}`);
    });
    await fast;
    expect(events).toEqual(['slow in', 'fast in', 'slow out', 'fast sees lock: 1']);
    expect(await redis.client.exists(lockKey(location, day))).toBe(0);
  });

  it('stops waiting after waitMs and runs anyway, leaving the holder its lock', async () => {
    const [location, day] = nextKey();
    let holderDone = false;
    const holderIn = signal();
    const waiterDone = signal();
    const holder = lock({}).withLock(location, day, async () => {
      holderIn.fire();
      await waiterDone.fired;
      holderDone = true;
    });
    await holderIn.fired;
    const started = performance.now();
    const waited = await lock({ waitMs: 60, retryMs: 5 }).withLock(
      location,
      day,
      async () => performance.now() - started,
    );
    expect(waited).toBeGreaterThanOrEqual(55);
    expect(waited).toBeLessThan(300);
    expect(holderDone).toBe(false);
    expect(await redis.client.exists(lockKey(location, day))).toBe(1);
    waiterDone.fire();
    await holder;
    expect(await redis.client.exists(lockKey(location, day))).toBe(0);
  });

  it('releases the lock when fn throws, and passes the error on', async () => {
    const [location, day] = nextKey();
    const locker = lock({ waitMs: 5_000 });
    await expect(
      locker.withLock(location, day, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await redis.client.exists(lockKey(location, day))).toBe(0);
    const started = performance.now();
    await locker.withLock(location, day, async () => undefined);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('takes its TTL and wait from the injectable BookingLockOptions', async () => {
    const [location, day] = nextKey();
    const options = t.get(BookingLockOptions);
    const saved = { ...options };
    options.ttlMs = 500;
    try {
      await t.get(BookingLock).withLock(location, day, async () => {
        expect(await redis.client.pttl(lockKey(location, day))).toBeLessThanOrEqual(500);
      });
    } finally {
      Object.assign(options, saved);
    }
  });

  describe('with invalidates', () => {
    it('bumps the location version, then releases the lock, in one pipeline queued in that order', async () => {
      const [location, day] = nextKey();
      const before = Number((await redis.client.get(versionKey(location))) ?? 0);
      // Every pipeline made meanwhile, with what was queued on it (auto-pipelining makes its own too).
      const pipelines: string[][] = [];
      const pipeline = redis.client.pipeline.bind(redis.client);
      const spy = jest.spyOn(redis.client, 'pipeline').mockImplementation((commands?: unknown[][]) => {
        const p = pipeline(commands);
        const queued: string[] = [];
        pipelines.push(queued);
        for (const name of ['incr', 'eval', 'exec'] as const) {
          const original = p[name].bind(p) as (...args: unknown[]) => unknown;
          jest.spyOn(p, name).mockImplementation(((...args: unknown[]) => {
            queued.push(name);
            return original(...args);
          }) as never);
        }
        return p;
      });
      const evalSpy = jest.spyOn(redis.client, 'eval');
      try {
        const value = await t
          .get(BookingLock)
          .withLock(location, day, async () => 7, { invalidates: [location] });
        expect(value).toBe(7);
      } finally {
        spy.mockRestore();
        evalSpy.mockRestore();
      }
      expect(pipelines.filter((queued) => queued.includes('incr'))).toEqual([['incr', 'eval', 'exec']]);
      expect(evalSpy).not.toHaveBeenCalled();
      expect(Number(await redis.client.get(versionKey(location)))).toBe(before + 1);
      expect(await redis.client.exists(lockKey(location, day))).toBe(0);
    });

    it('does not invalidate when fn throws; releases the lock when the invalidation fails or skips the release', async () => {
      const [location, day] = nextKey();
      const calls: number[][] = [];
      const failing: GridInvalidator = {
        invalidateLocations: async (ids) => {
          calls.push(ids);
          throw new Error('database gone');
        },
      };
      const locker = new RedisBookingLock(redis, new BookingLockOptions({ waitMs: 5_000 }), failing);
      await expect(
        locker.withLock(location, day, () => Promise.reject(new Error('boom')), { invalidates: [location] }),
      ).rejects.toThrow('boom');
      expect(calls).toEqual([]);
      expect(await redis.client.exists(lockKey(location, day))).toBe(0);

      expect(
        await locker.withLock(location, day, async () => 'committed', { invalidates: [location, 9] }),
      ).toBe('committed');
      expect(calls).toEqual([[location, 9]]);
      expect(await redis.client.exists(lockKey(location, day))).toBe(0);

      const ignoring = new RedisBookingLock(redis, new BookingLockOptions(), {
        invalidateLocations: async () => undefined,
      });
      await ignoring.withLock(location, day, async () => undefined, { invalidates: [location] });
      expect(await redis.client.exists(lockKey(location, day))).toBe(0);
    });

    it('still invalidates, without a release to piggyback, when the lock could not be taken', async () => {
      const down = new Redis('redis://127.0.0.1:1', {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      down.on('error', () => undefined);
      try {
        const seen: { ids: number[]; withRelease: boolean }[] = [];
        const locker = new RedisBookingLock({ client: down } as RedisService, new BookingLockOptions(), {
          invalidateLocations: async (ids, then) => {
            seen.push({ ids, withRelease: then !== undefined });
          },
        });
        expect(await locker.withLock(1, '2026-02-02', async () => 3, { invalidates: [1] })).toBe(3);
        expect(seen).toEqual([{ ids: [1], withRelease: false }]);
      } finally {
        down.disconnect();
      }
    });
  });

  it('runs fn at once when Redis is unreachable', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    try {
      const locker = new RedisBookingLock({ client: down } as RedisService, new BookingLockOptions());
      const started = performance.now();
      const results = await Promise.all(
        [1, 2, 3].map((n) => locker.withLock(1, '2026-02-01', async () => n * 2)),
      );
      expect(results).toEqual([2, 4, 6]);
      expect(performance.now() - started).toBeLessThan(500);
    } finally {
      down.disconnect();
    }
  });
});
