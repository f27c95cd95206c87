import { OutboxRelay } from '../../src/notifications/delivery/outbox-relay';
import { OutboxApi } from '../../src/booking/api';
import { Clock } from '../../src/infra/clock/clock';
import {
  addService,
  clientWithToken,
  rows,
  SalonFixture,
  seedSalon,
  setBusinessSettings,
} from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';

// Monday 2026-03-23 in Berlin is CET (UTC+1): 10:00 local = 09:00Z.
const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';
const AT_1030 = '2026-03-23T09:30:00.000Z';
const AT_11 = '2026-03-23T10:00:00.000Z';
const AT_12 = '2026-03-23T11:00:00.000Z';

describe('bookings: lifecycle over REST', () => {
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
    await setBusinessSettings(t, {
      autoConfirm: true,
      cancellationCutoffMin: 120,
      minNoticeMin: 60,
      horizonDays: 60,
    });
    salon = await seedSalon(t, { specialists: 2, durationMin: 60, price: 5000 });
  });
  afterAll(() => t.stop());

  const book = (token: string, body: Record<string, unknown>) =>
    t.request('POST', '/api/v1/bookings', {
      token,
      body: {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt: AT_10,
        ...body,
      },
    });
  const act = (token: string, id: number, action: string, body?: unknown) =>
    t.request('POST', `/api/v1/bookings/${id}/${action}`, { token, body });

  it('a client books for themselves: snapshot, status, history, outbox and audit in one go', async () => {
    const client = await clientWithToken(t);
    const res = await book(client.token, { comment: 'first visit' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      clientId: client.id,
      specialistId: salon.specialists[0].id,
      startAt: AT_10,
      endAt: AT_11,
      durationMin: 60,
      price: 5000,
      status: 'confirmed',
      createdByRole: 'client',
      createdByUserId: client.id,
      comment: 'first visit',
    });
    const id = res.body.id;
    expect(
      await rows(
        t,
        'SELECT owner_kind, owner_id, COUNT(*) AS n FROM booking_claims WHERE booking_id = ? GROUP BY owner_kind, owner_id ORDER BY owner_kind',
        [id],
      ),
    ).toEqual([
      { owner_kind: 'c', owner_id: client.id, n: 4 },
      { owner_kind: 's', owner_id: salon.specialists[0].id, n: 4 },
    ]);
    expect(
      await rows(
        t,
        'SELECT from_status, to_status, actor_role, actor_user_id FROM booking_status_history WHERE booking_id = ?',
        [id],
      ),
    ).toEqual([
      { from_status: null, to_status: 'confirmed', actor_role: 'client', actor_user_id: client.id },
    ]);
    const [event] = await rows(t, 'SELECT type, payload FROM outbox_events WHERE aggregate_id = ?', [id]);
    expect(event.type).toBe('booking_created');
    expect(JSON.parse(event.payload)).toMatchObject({
      booking: { id, startAt: AT_10, price: 5000 },
      initiator: { role: 'client', userId: client.id },
    });
    expect(
      await rows(t, `SELECT action FROM audit_log WHERE entity = 'booking' AND entity_id = ?`, [String(id)]),
    ).toEqual([{ action: 'booking.create' }]);

    // A later price change does not touch the snapshot.
    await rows(t, 'UPDATE services SET price = 9999 WHERE id = ?', [salon.serviceId]);
    expect((await t.request('GET', `/api/v1/bookings/${id}`, { token: client.token })).body.price).toBe(5000);
  });

  it('the auto-confirm setting decides pending vs confirmed; only an admin confirms', async () => {
    await setBusinessSettings(t, { autoConfirm: false });
    const client = await clientWithToken(t);
    const created = await book(client.token, {});
    expect(created.body.status).toBe('pending');
    expect((await act(client.token, created.body.id, 'confirm')).status).toBe(403);
    expect((await act(salon.specialists[0].token, created.body.id, 'confirm')).status).toBe(403);
    const confirmed = await act(admin.token, created.body.id, 'confirm');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    const again = await act(admin.token, created.body.id, 'confirm');
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('illegal_transition');
    expect(
      await rows(
        t,
        'SELECT from_status, to_status, actor_role FROM booking_status_history WHERE booking_id = ? ORDER BY id',
        [created.body.id],
      ),
    ).toEqual([
      { from_status: null, to_status: 'pending', actor_role: 'client' },
      { from_status: 'pending', to_status: 'confirmed', actor_role: 'admin' },
    ]);
  });

  it('an admin books for an existing client or a new one by phone (reused on the next booking)', async () => {
    const client = await clientWithToken(t);
    const forExisting = await book(admin.token, { clientId: client.id });
    expect(forExisting.status).toBe(201);
    expect(forExisting.body).toMatchObject({
      clientId: client.id,
      createdByRole: 'admin',
      createdByUserId: admin.id,
    });

    const phone = `+4917${Math.floor(1e7 + Math.random() * 8e7)}`;
    const first = await book(admin.token, { client: { name: 'Walk In', phone }, startAt: AT_12 });
    expect(first.status).toBe(201);
    const [user] = await rows(t, 'SELECT id, name, role FROM users WHERE phone = ?', [phone]);
    expect(user).toMatchObject({ id: first.body.clientId, name: 'Walk In', role: 'client' });
    const second = await book(admin.token, {
      client: { name: 'Someone Else', phone },
      specialistId: salon.specialists[1].id,
      startAt: '2026-03-24T11:00:00.000Z',
    });
    expect(second.status).toBe(201);
    expect(second.body.clientId).toBe(user.id);
    expect(await rows(t, 'SELECT COUNT(*) AS n FROM users WHERE phone = ?', [phone])).toEqual([{ n: 1 }]);

    // A booking that fails leaves no new client behind: the user is created in the booking's transaction.
    const lostPhone = `+4917${Math.floor(1e7 + Math.random() * 8e7)}`;
    const taken = await book(admin.token, { client: { name: 'Too Late', phone: lostPhone }, startAt: AT_12 });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('slot_taken');
    expect(await rows(t, 'SELECT COUNT(*) AS n FROM users WHERE phone = ?', [lostPhone])).toEqual([{ n: 0 }]);
  });

  it('rejects what a caller may not ask for', async () => {
    const client = await clientWithToken(t);
    const other = await clientWithToken(t);
    expect((await book(client.token, { clientId: other.id })).status).toBe(403);
    expect((await book(salon.specialists[0].token, {})).status).toBe(403);
    const neither = await book(admin.token, {});
    expect(neither.status).toBe(400);
    const misaligned = await book(client.token, { startAt: '2026-03-23T09:05:00Z' });
    expect(misaligned.status).toBe(400);
    expect(misaligned.body.message).toContain('startAt');
    const noZone = await book(client.token, { startAt: '2026-03-23T09:00:00' });
    expect(noZone.status).toBe(400);
    expect((await book(client.token, { unknown: 1 })).status).toBe(400);
    expect((await book(client.token, { locationId: 999999 })).status).toBe(404);
    expect((await book(client.token, { serviceId: 999999 })).status).toBe(404);
    expect((await book(client.token, { specialistId: 999999 })).status).toBe(404);
    expect((await book(admin.token, { clientId: 999999 })).status).toBe(404);
    expect((await book(admin.token, { client: { name: 'X', phone: '12' } })).status).toBe(400);
    // null is not "left out": it would otherwise book the admin themselves or move a booking to 1970.
    for (const body of [{ client: null }, { clientId: null }, { clientId: client.id, comment: null }]) {
      const res = await book(admin.token, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(
      await rows(t, 'SELECT COUNT(*) AS n FROM bookings WHERE location_id = ?', [salon.locationId]),
    ).toEqual([{ n: 0 }]);
  });

  it('overlapping but not equal: 10:00 for 60 min blocks 10:30 for 30 min, not 11:00', async () => {
    const shortService = await addService(t, salon, 30);
    const [a, b, c] = [await clientWithToken(t), await clientWithToken(t), await clientWithToken(t)];
    expect((await book(a.token, {})).status).toBe(201);
    const overlap = await book(b.token, { serviceId: shortService, startAt: AT_1030 });
    expect(overlap.status).toBe(409);
    expect(overlap.body.code).toBe('slot_taken');
    // ...and the other way round: a 30-minute booking at 10:30 blocks a 60-minute one at 10:00.
    const other = salon.specialists[1].id;
    expect(
      (await book(b.token, { serviceId: shortService, startAt: AT_1030, specialistId: other })).status,
    ).toBe(201);
    const reverse = await book(c.token, { specialistId: other });
    expect(reverse.status).toBe(409);
    expect(reverse.body.code).toBe('slot_taken');
    expect((await book(c.token, { serviceId: shortService, startAt: AT_11 })).status).toBe(201);
    expect(
      await rows(t, 'SELECT COUNT(*) AS n FROM bookings WHERE location_id = ?', [salon.locationId]),
    ).toEqual([{ n: 3 }]);
  });

  it('a client cannot hold two overlapping bookings, even with different specialists', async () => {
    const shortService = await addService(t, salon, 30);
    const client = await clientWithToken(t);
    expect((await book(client.token, {})).status).toBe(201);
    const second = await book(client.token, {
      specialistId: salon.specialists[1].id,
      serviceId: shortService,
      startAt: AT_1030,
    });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('client_overlap');
    expect(await rows(t, 'SELECT COUNT(*) AS n FROM bookings WHERE client_id = ?', [client.id])).toEqual([
      { n: 1 },
    ]);
    // The specialist's time was not left claimed by the failed attempt.
    const other = await clientWithToken(t);
    expect(
      (
        await book(other.token, {
          specialistId: salon.specialists[1].id,
          serviceId: shortService,
          startAt: AT_1030,
        })
      ).status,
    ).toBe(201);
  });

  it('cancel: own only, a client before the cutoff, and the time becomes free again', async () => {
    const [owner, stranger] = [await clientWithToken(t), await clientWithToken(t)];
    const created = await book(owner.token, {});
    const id = created.body.id;
    const foreign = await act(stranger.token, id, 'cancel', { reason: 'mine now' });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('not_found');
    expect((await t.request('GET', `/api/v1/bookings/${id}`, { token: stranger.token })).status).toBe(404);
    expect((await act(salon.specialists[1].token, id, 'cancel', {})).status).toBe(404);

    // The deadline is 120 minutes before the 09:00Z start: 07:00Z is the last moment a client may cancel.
    now = new Date('2026-03-23T07:01:00.000Z');
    const late = await act(owner.token, id, 'cancel', { reason: 'sick' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('cancellation_cutoff');
    expect(late.body.details).toEqual({ deadline: '2026-03-23T07:00:00.000Z' });
    now = new Date('2026-03-23T07:00:00.000Z');
    const inTime = await act(owner.token, id, 'cancel', { reason: 'sick' });
    expect(inTime.status).toBe(200);
    expect(inTime.body).toMatchObject({ status: 'cancelled', cancelReason: 'sick' });
    expect(await rows(t, 'SELECT COUNT(*) AS n FROM booking_claims WHERE booking_id = ?', [id])).toEqual([
      { n: 0 },
    ]);
    now = NOW;
    expect((await book(stranger.token, {})).status).toBe(201);
  });

  it('an admin and the booking specialist cancel after the client cutoff', async () => {
    const client = await clientWithToken(t);
    const a = await book(client.token, {});
    const b = await book(client.token, { startAt: AT_12 });
    now = new Date('2026-03-23T08:30:00.000Z');
    const byAdmin = await act(admin.token, a.body.id, 'cancel', { reason: 'closed today' });
    expect(byAdmin.status).toBe(200);
    const bySpecialist = await act(salon.specialists[0].token, b.body.id, 'cancel', {});
    expect(bySpecialist.status).toBe(200);
    expect(bySpecialist.body.status).toBe('cancelled');
    expect(
      await rows(
        t,
        'SELECT actor_role FROM booking_status_history WHERE booking_id IN (?, ?) AND to_status = ? ORDER BY booking_id',
        [a.body.id, b.body.id, 'cancelled'],
      ),
    ).toEqual([{ actor_role: 'admin' }, { actor_role: 'specialist' }]);
  });

  it('done and no-show: admin or the own specialist, only once started; no-show frees the time', async () => {
    const client = await clientWithToken(t);
    const a = await book(client.token, {});
    const b = await book(client.token, { startAt: AT_12 });
    const early = await act(admin.token, a.body.id, 'done');
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('not_started');
    now = new Date('2026-03-23T11:15:00.000Z');
    expect((await act(client.token, a.body.id, 'done')).status).toBe(403);
    expect((await act(salon.specialists[1].token, a.body.id, 'done')).status).toBe(404);
    const done = await act(salon.specialists[0].token, a.body.id, 'done');
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    const noShow = await act(admin.token, b.body.id, 'no-show');
    expect(noShow.status).toBe(200);
    expect(noShow.body.status).toBe('no_show');
    expect(
      await rows(
        t,
        'SELECT booking_id, COUNT(*) AS n FROM booking_claims WHERE booking_id IN (?, ?) GROUP BY booking_id',
        [a.body.id, b.body.id],
      ),
    ).toEqual([{ booking_id: a.body.id, n: 8 }]);
  });

  it('every illegal transition answers 409 illegal_transition and changes nothing', async () => {
    const client = await clientWithToken(t);
    await setBusinessSettings(t, { autoConfirm: false });
    const starts = [
      '2026-03-23T07:00:00Z',
      '2026-03-23T08:00:00Z',
      '2026-03-23T09:00:00Z',
      '2026-03-23T10:00:00Z',
      '2026-03-23T11:00:00Z',
    ];
    const ids: number[] = [];
    for (const startAt of starts) ids.push((await book(client.token, { startAt })).body.id);
    const [pending, confirmed, done, noShow, cancelled] = ids;
    for (const id of [confirmed, done, noShow])
      expect((await act(admin.token, id, 'confirm')).status).toBe(200);
    expect((await act(admin.token, cancelled, 'cancel', {})).status).toBe(200);
    now = new Date('2026-03-23T13:00:00Z');
    expect((await act(admin.token, done, 'done')).status).toBe(200);
    expect((await act(admin.token, noShow, 'no-show')).status).toBe(200);

    const illegal: [number, string, unknown?][] = [
      [confirmed, 'confirm'],
      [done, 'confirm'],
      [noShow, 'confirm'],
      [cancelled, 'confirm'],
      [done, 'cancel', {}],
      [noShow, 'cancel', {}],
      [cancelled, 'cancel', {}],
      [pending, 'done'],
      [done, 'done'],
      [noShow, 'done'],
      [cancelled, 'done'],
      [pending, 'no-show'],
      [done, 'no-show'],
      [noShow, 'no-show'],
      [cancelled, 'no-show'],
      [done, 'reschedule', { startAt: '2026-03-25T09:00:00Z' }],
      [noShow, 'reschedule', { startAt: '2026-03-25T09:00:00Z' }],
      [cancelled, 'reschedule', { startAt: '2026-03-25T09:00:00Z' }],
    ];
    const before = await rows(
      t,
      'SELECT id, status, start_at FROM bookings WHERE client_id = ? ORDER BY id',
      [client.id],
    );
    for (const [id, action, body] of illegal) {
      const res = await act(admin.token, id, action, body);
      expect({ id, action, status: res.status, code: res.body.code }).toEqual({
        id,
        action,
        status: 409,
        code: 'illegal_transition',
      });
    }
    expect(
      await rows(t, 'SELECT id, status, start_at FROM bookings WHERE client_id = ? ORDER BY id', [client.id]),
    ).toEqual(before);
    expect(before.map((b) => b.status)).toEqual(['pending', 'confirmed', 'done', 'no_show', 'cancelled']);
  });

  it('reschedule into a taken slot is 409 and keeps the original; a free one moves it and frees the old time', async () => {
    const [owner, other] = [await clientWithToken(t), await clientWithToken(t)];
    const mine = await book(owner.token, {});
    const theirs = await book(other.token, { startAt: AT_12 });
    const claimsBefore = await rows(
      t,
      'SELECT owner_kind, owner_id, cell FROM booking_claims WHERE booking_id = ? ORDER BY owner_kind, cell',
      [mine.body.id],
    );

    const taken = await act(owner.token, mine.body.id, 'reschedule', { startAt: '2026-03-23T10:30:00Z' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('slot_taken');
    expect(
      (await t.request('GET', `/api/v1/bookings/${mine.body.id}`, { token: owner.token })).body,
    ).toMatchObject({ startAt: AT_10, status: 'confirmed' });
    expect(
      await rows(
        t,
        'SELECT owner_kind, owner_id, cell FROM booking_claims WHERE booking_id = ? ORDER BY owner_kind, cell',
        [mine.body.id],
      ),
    ).toEqual(claimsBefore);

    expect(
      (await act(other.token, mine.body.id, 'reschedule', { startAt: '2026-03-23T13:00:00Z' })).status,
    ).toBe(404);
    expect(
      (await act(salon.specialists[0].token, mine.body.id, 'reschedule', { startAt: '2026-03-23T13:00:00Z' }))
        .status,
    ).toBe(403);
    expect((await act(owner.token, mine.body.id, 'reschedule', {})).status).toBe(400);
    expect((await act(owner.token, mine.body.id, 'reschedule', { startAt: null })).status).toBe(400);
    expect((await act(owner.token, mine.body.id, 'cancel', { reason: null })).status).toBe(400);

    const moved = await act(owner.token, mine.body.id, 'reschedule', {
      startAt: '2026-03-23T13:00:00Z',
      specialistId: salon.specialists[1].id,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: mine.body.id,
      startAt: '2026-03-23T13:00:00.000Z',
      specialistId: salon.specialists[1].id,
      status: 'confirmed',
    });
    // The old time is free for someone else, and the move kept theirs untouched.
    const third = await clientWithToken(t);
    expect((await book(third.token, {})).status).toBe(201);
    expect(
      (await t.request('GET', `/api/v1/bookings/${theirs.body.id}`, { token: admin.token })).body.startAt,
    ).toBe(AT_12);
    const [event] = await rows(
      t,
      `SELECT payload FROM outbox_events WHERE aggregate_id = ? AND type = 'booking_rescheduled'`,
      [mine.body.id],
    );
    expect(JSON.parse(event.payload)).toMatchObject({
      initiator: { role: 'client', userId: owner.id },
      previous: { startAt: AT_10, specialistId: salon.specialists[0].id },
      booking: { startAt: '2026-03-23T13:00:00.000Z' },
    });
    // Past the cutoff a client can no longer move it.
    now = new Date('2026-03-23T12:00:00Z');
    const late = await act(owner.token, mine.body.id, 'reschedule', { startAt: '2026-03-23T15:00:00Z' });
    expect(late.body.code).toBe('cancellation_cutoff');
  });

  it('outbox: every change in order, readable through OutboxApi and marked relayed', async () => {
    // The relay would take the events (every second) before this test reads them: it is held for the test.
    const relay = jest.spyOn(t.get(OutboxRelay), 'relay').mockResolvedValue();
    try {
      await outboxInOrder();
    } finally {
      relay.mockRestore();
    }
  });

  async function outboxInOrder(): Promise<void> {
    const outbox = t.get(OutboxApi);
    const already = await outbox.pending(1000);
    await outbox.markRelayed(already.map((e) => e.id));
    await setBusinessSettings(t, { autoConfirm: false });
    const client = await clientWithToken(t);
    const created = await book(client.token, {});
    const id = created.body.id;
    await act(admin.token, id, 'confirm');
    await act(admin.token, id, 'reschedule', { startAt: AT_12 });
    await act(client.token, id, 'cancel', { reason: 'plans changed' });

    const events = await outbox.pending();
    expect(events.map((e) => [e.type, e.bookingId])).toEqual([
      ['booking_created', id],
      ['booking_confirmed', id],
      ['booking_rescheduled', id],
      ['booking_cancelled', id],
    ]);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
    expect(events.map((e) => [e.payload.initiator.role, e.payload.fromStatus, e.payload.toStatus])).toEqual([
      ['client', null, 'pending'],
      ['admin', 'pending', 'confirmed'],
      ['admin', 'confirmed', 'confirmed'],
      ['client', 'confirmed', 'cancelled'],
    ]);
    expect(events[2].payload.previous?.startAt).toBe(AT_10);
    expect(
      await rows(
        t,
        `SELECT action, role FROM audit_log WHERE entity = 'booking' AND entity_id = ? ORDER BY id`,
        [String(id)],
      ),
    ).toEqual([
      { action: 'booking.create', role: 'client' },
      { action: 'booking.confirmed', role: 'admin' },
      { action: 'booking.reschedule', role: 'admin' },
      { action: 'booking.cancelled', role: 'client' },
    ]);
    expect(events[3].payload.reason).toBe('plans changed');
    expect(await outbox.markRelayed(events.slice(0, 2).map((e) => e.id))).toBe(2);
    expect((await outbox.pending()).map((e) => e.type)).toEqual(['booking_rescheduled', 'booking_cancelled']);
    expect(await outbox.markRelayed(events.map((e) => e.id))).toBe(2);
    expect(await outbox.pending()).toEqual([]);
  }
});
