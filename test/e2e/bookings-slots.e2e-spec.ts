import { Clock } from '../../src/infra/clock/clock';
import {
  clientWithToken,
  rows,
  SalonFixture,
  seedSalon,
  setBusinessSettings,
} from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';

interface Start {
  startAt: string;
  localTime: string;
  utcOffset: string;
  specialistId: number;
}

describe('bookings with the slots engine', () => {
  let t: TestApp;
  let now = new Date('2026-03-27T10:00:00Z');
  beforeAll(async () => {
    t = await TestApp.start();
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => now);
  });
  beforeEach(async () => {
    now = new Date('2026-03-27T10:00:00Z');
    await setBusinessSettings(t, {
      autoConfirm: true,
      minNoticeMin: 60,
      horizonDays: 60,
      cancellationCutoffMin: 120,
    });
  });
  afterAll(() => t.stop());

  const starts = async (token: string, salon: SalonFixture, date: string): Promise<Start[]> => {
    const res = await t.request(
      'GET',
      `/api/v1/slots/starts?locationId=${salon.locationId}&serviceId=${salon.serviceId}&date=${date}&specialistId=${salon.specialists[0].id}`,
      { token },
    );
    expect(res.status).toBe(200);
    return res.body.starts;
  };
  const book = (token: string, salon: SalonFixture, startAt: string) =>
    t.request('POST', '/api/v1/bookings', {
      token,
      body: {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt,
      },
    });

  it('Berlin, 2026-03-29: list starts -> book -> the start disappears -> cancel -> it reappears', async () => {
    const salon = await seedSalon(t, { specialists: 1, durationMin: 60, hours: [0, 24 * 60] });
    const client = await clientWithToken(t);
    const before = await starts(client.token, salon, '2026-03-29');
    // 02:00-02:59 does not exist that night; 01:00 is CET, 03:00 already CEST.
    expect(before.filter((s) => s.localTime.startsWith('02:'))).toEqual([]);
    const at3 = before.find((s) => s.localTime === '03:00');
    expect(at3).toMatchObject({ startAt: '2026-03-29T01:00:00.000Z', utcOffset: '+02:00' });
    expect(before.find((s) => s.localTime === '01:00')).toMatchObject({
      startAt: '2026-03-29T00:00:00.000Z',
      utcOffset: '+01:00',
    });

    const created = await book(client.token, salon, at3!.startAt);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      startAt: '2026-03-29T01:00:00.000Z',
      endAt: '2026-03-29T02:00:00.000Z',
      durationMin: 60,
    });

    const during = await starts(client.token, salon, '2026-03-29');
    const overlaps = (s: Start) => {
      const from = Date.parse(s.startAt);
      return (
        from < Date.parse('2026-03-29T02:00:00Z') && from + 60 * 60_000 > Date.parse('2026-03-29T01:00:00Z')
      );
    };
    expect(during.map((s) => s.startAt)).toEqual(before.filter((s) => !overlaps(s)).map((s) => s.startAt));
    expect(during.find((s) => s.localTime === '03:00')).toBeUndefined();
    // 01:45 CET -> one real hour later it is 03:45 CEST: it overlaps 03:00-04:00 and is gone too.
    expect(during.find((s) => s.localTime === '01:45')).toBeUndefined();

    const taken = await book((await clientWithToken(t)).token, salon, at3!.startAt);
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('slot_taken');

    const cancelled = await t.request('POST', `/api/v1/bookings/${created.body.id}/cancel`, {
      token: client.token,
      body: { reason: 'DST' },
    });
    expect(cancelled.status).toBe(200);
    expect((await starts(client.token, salon, '2026-03-29')).map((s) => s.startAt)).toEqual(
      before.map((s) => s.startAt),
    );
  });

  it('a booking across the clock change lasts its real duration', async () => {
    const salon = await seedSalon(t, { specialists: 1, durationMin: 60, hours: [0, 24 * 60] });
    const client = await clientWithToken(t);
    // 01:30 CET + 60 real minutes = 03:30 CEST.
    const res = await book(client.token, salon, '2026-03-29T00:30:00Z');
    expect(res.status).toBe(201);
    expect(res.body.endAt).toBe('2026-03-29T01:30:00.000Z');
    expect(
      await rows(t, 'SELECT COUNT(*) AS n FROM booking_claims WHERE booking_id = ? AND owner_kind = ?', [
        res.body.id,
        's',
      ]),
    ).toEqual([{ n: 4 }]);
  });

  it('minimum notice, horizon and working hours are enforced on create and reschedule', async () => {
    const salon = await seedSalon(t, { specialists: 1, durationMin: 60, hours: [8 * 60, 20 * 60] });
    const client = await clientWithToken(t);
    // now = Fri 10:00Z = 11:00 CET; notice 60 min.
    const soon = await book(client.token, salon, '2026-03-27T10:45:00Z');
    expect(soon.status).toBe(422);
    expect(soon.body.code).toBe('too_soon');
    expect((await book(client.token, salon, '2026-03-27T11:00:00Z')).status).toBe(201);

    const far = await book(client.token, salon, '2026-06-01T09:00:00Z');
    expect(far.status).toBe(422);
    expect(far.body.code).toBe('beyond_horizon');

    const closed = await book(client.token, salon, '2026-03-30T05:00:00Z');
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('slot_unavailable');

    const ok = await book(client.token, salon, '2026-03-30T09:00:00Z');
    expect(ok.status).toBe(201);
    for (const [startAt, code] of [
      ['2026-03-27T10:30:00Z', 'too_soon'],
      ['2026-06-01T09:00:00Z', 'beyond_horizon'],
      ['2026-03-30T19:30:00Z', 'slot_unavailable'],
      ['2026-03-27T11:30:00Z', 'slot_taken'],
    ]) {
      const res = await t.request('POST', `/api/v1/bookings/${ok.body.id}/reschedule`, {
        token: client.token,
        body: { startAt },
      });
      expect({ startAt, code: res.body.code }).toEqual({ startAt, code });
    }
    expect(
      (await t.request('GET', `/api/v1/bookings/${ok.body.id}`, { token: client.token })).body.startAt,
    ).toBe('2026-03-30T09:00:00.000Z');
    // Its own cells do not block a move by 30 minutes.
    const nudged = await t.request('POST', `/api/v1/bookings/${ok.body.id}/reschedule`, {
      token: client.token,
      body: { startAt: '2026-03-30T09:30:00Z' },
    });
    expect(nudged.status).toBe(200);
    expect(nudged.body.endAt).toBe('2026-03-30T10:30:00.000Z');
  });
});
