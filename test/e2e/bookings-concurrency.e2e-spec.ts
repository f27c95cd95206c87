import { Clock } from '../../src/infra/clock/clock';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { BookingLockOptions, SlotChecks } from '../../src/slots/api';
import { rows, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

const NOW = new Date('2026-03-20T09:00:00Z');
const SLOT = '2026-03-23T09:00:00.000Z';
const RACERS = 50;

/** 50 clients race for one slot over REST; exactly one wins, whatever the lock and Redis did. */
async function race(
  t: TestApp,
  tokens: string[],
  redisUp = true,
): Promise<{ locationId: number; specialistId: number }> {
  const salon = await seedSalon(t, { specialists: 1, tokens: redisUp });
  const body = {
    locationId: salon.locationId,
    serviceId: salon.serviceId,
    specialistId: salon.specialists[0].id,
    startAt: SLOT,
  };
  const results = await Promise.all(
    tokens.map((token) => t.request('POST', '/api/v1/bookings', { token, body })),
  );
  const statuses = results.map((r) => `${r.status} ${r.status === 201 ? 'created' : r.body.code}`);
  expect(statuses.filter((s) => s === '201 created')).toHaveLength(1);
  expect(statuses.filter((s) => s === '409 slot_taken')).toHaveLength(RACERS - 1);
  expect(
    await rows(t, 'SELECT COUNT(*) AS n FROM bookings WHERE specialist_id = ?', [salon.specialists[0].id]),
  ).toEqual([{ n: 1 }]);
  expect(
    await rows(t, `SELECT COUNT(*) AS n FROM booking_claims WHERE owner_kind = 's' AND owner_id = ?`, [
      salon.specialists[0].id,
    ]),
  ).toEqual([{ n: 4 }]);
  expect(
    await rows(
      t,
      `SELECT COUNT(*) AS n FROM outbox_events e JOIN bookings b ON b.id = e.aggregate_id WHERE b.specialist_id = ?`,
      [salon.specialists[0].id],
    ),
  ).toEqual([{ n: 1 }]);
  return { locationId: salon.locationId, specialistId: salon.specialists[0].id };
}

async function clients(t: TestApp): Promise<string[]> {
  return Promise.all(Array.from({ length: RACERS }, async () => (await t.userWithToken('client')).token));
}

describe('bookings: no double booking under concurrency', () => {
  describe('with Redis up', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start();
      jest.spyOn(t.get(Clock), 'now').mockReturnValue(NOW);
      await setBusinessSettings(t, { autoConfirm: true });
    });
    afterAll(() => t.stop());

    it('50 concurrent creates for one slot: one 201, 49 slot_taken, one row', async () => {
      await race(t, await clients(t));
    });

    it('the same with the lock TTL forced tiny and the first transaction held open', async () => {
      const lockOptions = t.get(BookingLockOptions);
      const ttl = lockOptions.ttlMs;
      // The lock expires long before its holder commits, so the next racer gets in and passes the availability check.
      lockOptions.ttlMs = 1;
      const uow = t.get(UnitOfWork);
      const run = uow.run.bind(uow);
      // The first booking's transaction (the first after a passed check; seeding's come before any) waits,
      // before it writes, until a second racer has passed the availability check: racers that passed it pile
      // up behind the first, and only the database can stop the second booking.
      let held = false;
      const slow = jest.spyOn(uow, 'run').mockImplementation((work) =>
        run(async (em) => {
          if (!held && passedCheck > 0) {
            held = true;
            await until(() => passedCheck > 1, 10_000, 'a second racer past the availability check');
          }
          return work(em);
        }),
      );
      const slots = t.get(SlotChecks);
      const check = slots.checkStart.bind(slots);
      let passedCheck = 0;
      const checks = jest.spyOn(slots, 'checkStart').mockImplementation(async (c) => {
        const result = await check(c);
        if (result.ok) passedCheck++;
        return result;
      });
      try {
        await race(t, await clients(t));
        // Several racers got past the check: only the database stopped the second booking.
        expect(passedCheck).toBeGreaterThan(1);
      } finally {
        lockOptions.ttlMs = ttl;
        slow.mockRestore();
        checks.mockRestore();
      }
    });
  });

  describe('with Redis unreachable', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ REDIS_URL: 'redis://127.0.0.1:1' });
      jest.spyOn(t.get(Clock), 'now').mockReturnValue(NOW);
      await setBusinessSettings(t, { autoConfirm: true });
    });
    afterAll(() => t.stop());

    it('50 concurrent creates for one slot: one 201, 49 slot_taken, one row', async () => {
      // Sessions live in the database: tokens are issued and checked with Redis down.
      const tokens = await clients(t);
      await race(t, tokens, false);
    });
  });
});
