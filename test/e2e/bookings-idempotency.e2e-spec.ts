import { BookingsApi } from '../../src/booking/api';
import { BookingAlarms } from '../../src/booking/bookings/booking-alarms';
import type { Actor } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import {
  clientWithToken,
  rows,
  SalonFixture,
  seedSalon,
  setBusinessSettings,
} from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';

// Monday 2026-03-23, 10:00 in Berlin = 09:00Z.
const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';
const AT_12 = '2026-03-23T11:00:00.000Z';

describe('bookings: one write per idempotency key', () => {
  let t: TestApp;
  let salon: SalonFixture;
  let admin: { id: number; token: string };
  let now = NOW;

  beforeAll(async () => {
    t = await TestApp.start();
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => now);
    admin = await t.userWithToken('admin');
  });
  beforeEach(async () => {
    now = NOW;
    await setBusinessSettings(t, { autoConfirm: false, cancellationCutoffMin: 120, minNoticeMin: 60 });
    salon = await seedSalon(t, { specialists: 2 });
  });
  afterAll(() => t.stop());

  const book = (token: string, key?: string, startAt = AT_10) =>
    t.request('POST', '/api/v1/bookings', {
      token,
      headers: key === undefined ? {} : { 'idempotency-key': key },
      body: {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt,
      },
    });
  const act = (token: string, id: number, action: string, key: string, body?: unknown) =>
    t.request('POST', `/api/v1/bookings/${id}/${action}`, {
      token,
      body,
      headers: { 'idempotency-key': key },
    });
  const events = async (id: number) =>
    (await rows(t, 'SELECT type FROM outbox_events WHERE aggregate_id = ? ORDER BY id', [id])).map(
      (r: { type: string }) => r.type,
    );
  const asActor = (user: { id: number }, role: Actor['role']): Actor => ({
    userId: user.id,
    role,
    clientType: 'internal',
  });

  it('a create repeated with its key answers the first booking and writes nothing more', async () => {
    const client = await clientWithToken(t);
    const first = await book(client.token, 'tg:update:1001');
    expect(first.status).toBe(201);
    const again = await book(client.token, 'tg:update:1001');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await rows(t, 'SELECT COUNT(*) AS n FROM bookings WHERE client_id = ?', [client.id])).toEqual([
      { n: 1 },
    ]);
    expect(await events(first.body.id)).toEqual(['booking_created']);

    // Without a key, the same request is a new attempt: the slot is now taken.
    expect((await book(client.token)).body.code).toBe('slot_taken');
  });

  it('20 concurrent creates with one key: all answer the same booking, one row, one event', async () => {
    const client = await clientWithToken(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => book(client.token, 'same-key')));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await rows(t, 'SELECT COUNT(*) AS n FROM bookings WHERE client_id = ?', [client.id])).toEqual([
      { n: 1 },
    ]);
    expect(await events(id)).toEqual(['booking_created']);
  });

  it('20 concurrent creates with one key through the contract, as the bot calls it: one booking', async () => {
    const client = await clientWithToken(t);
    const api = t.get(BookingsApi);
    const dto = {
      locationId: salon.locationId,
      serviceId: salon.serviceId,
      specialistId: salon.specialists[1].id,
      startAt: AT_12,
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.create(asActor(client, 'client'), dto, { idempotencyKey: 'k' })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await events(results[0].id)).toEqual(['booking_created']);
  });

  it("keys belong to their actor: another user's same key neither sees nor replays the booking", async () => {
    const [a, b] = [await clientWithToken(t), await clientWithToken(t)];
    const mine = await book(a.token, 'shared');
    const theirs = await book(b.token, 'shared');
    expect(theirs.status).toBe(409);
    expect(theirs.body.code).toBe('slot_taken');
    const elsewhere = await book(b.token, 'shared', AT_12);
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.id).not.toBe(mine.body.id);
    expect(elsewhere.body.clientId).toBe(b.id);
  });

  it('confirm, reschedule and cancel replayed with their keys answer the current booking, once each', async () => {
    const client = await clientWithToken(t);
    const { id } = (await book(client.token, 'create')).body;

    for (let i = 0; i < 2; i++) {
      const res = await act(admin.token, id, 'confirm', 'confirm-1');
      expect([res.status, res.body.status]).toEqual([200, 'confirmed']);
    }
    for (let i = 0; i < 2; i++) {
      const res = await act(client.token, id, 'reschedule', 'move-1', { startAt: AT_12 });
      expect([res.status, res.body.startAt]).toEqual([200, AT_12]);
    }
    const cancels = await Promise.all(
      Array.from({ length: 10 }, () => act(client.token, id, 'cancel', 'cancel-1', { reason: 'ill' })),
    );
    expect(cancels.map((r) => `${r.status} ${r.body.status}`)).toEqual(Array(10).fill('200 cancelled'));
    // A replay of an earlier step now sees the booking as it is, not as it was.
    expect((await act(admin.token, id, 'confirm', 'confirm-1')).body.status).toBe('cancelled');
    expect(await events(id)).toEqual([
      'booking_created',
      'booking_confirmed',
      'booking_rescheduled',
      'booking_cancelled',
    ]);
    expect(
      await rows(t, 'SELECT to_status FROM booking_status_history WHERE booking_id = ? ORDER BY id', [id]),
    ).toEqual([{ to_status: 'pending' }, { to_status: 'confirmed' }, { to_status: 'cancelled' }]);
  });

  it('done and no-show replayed with their keys: one change each', async () => {
    const client = await clientWithToken(t);
    const specialist = salon.specialists[0];
    const first = (await book(client.token, 'c1')).body.id;
    const second = (await book(client.token, 'c2', AT_12)).body.id;
    await act(admin.token, first, 'confirm', 'x1');
    await act(admin.token, second, 'confirm', 'x2');
    now = new Date('2026-03-23T13:00:00Z');
    const done = await Promise.all([1, 2, 3].map(() => act(specialist.token, first, 'done', 'done-1')));
    expect(done.map((r) => `${r.status} ${r.body.status}`)).toEqual(Array(3).fill('200 done'));
    const api = t.get(BookingsApi);
    const noShows = await Promise.all(
      [1, 2, 3].map(() =>
        api.markNoShow(asActor(admin, 'admin'), second, { idempotencyKey: 'tg:callback:77' }),
      ),
    );
    expect(noShows.map((b) => b.status)).toEqual(['no_show', 'no_show', 'no_show']);
    expect(await events(first)).toEqual(['booking_created', 'booking_confirmed', 'booking_marked_done']);
    expect(await events(second)).toEqual(['booking_created', 'booking_confirmed', 'booking_marked_no_show']);
  });

  it('a failed write records no key: the same key may try again', async () => {
    const [a, b] = [await clientWithToken(t), await clientWithToken(t)];
    await book(a.token);
    expect((await book(b.token, 'retry-me')).body.code).toBe('slot_taken');
    expect((await book(b.token, 'retry-me', AT_12)).status).toBe(201);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(101)],
    ['a space', 'two words'],
    ['not ASCII', 'clé'],
  ])('an Idempotency-Key that is %s is a 400 with our error body', async (_, key) => {
    const client = await clientWithToken(t);
    const res = await t.request('POST', '/api/v1/bookings', {
      token: client.token,
      headers: { 'idempotency-key': key },
      body: {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt: AT_10,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
      traceId: expect.any(String),
    });
    expect(res.body.message).toMatch(/Idempotency-Key/);
    expect(await rows(t, 'SELECT COUNT(*) AS n FROM bookings WHERE client_id = ?', [client.id])).toEqual([
      { n: 0 },
    ]);
  });

  it('keys are forgotten after three days by the periodic pass', async () => {
    const client = await clientWithToken(t);
    const first = await book(client.token, 'old');
    now = new Date(NOW.getTime() + 3 * 24 * 3600_000 - 60_000);
    expect(await t.get(BookingAlarms).purgeIdempotencyKeys()).toBe(0);
    now = new Date(NOW.getTime() + 3 * 24 * 3600_000 + 60_000);
    expect(await t.get(BookingAlarms).purgeIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    expect(
      await rows(t, 'SELECT COUNT(*) AS n FROM idempotency_keys WHERE booking_id = ?', [first.body.id]),
    ).toEqual([{ n: 0 }]);
  });
});
