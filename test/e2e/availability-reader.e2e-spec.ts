import { AvailabilityReader } from '../../src/slots/api';
import { SpecialistEntity } from '../../src/booking/entities/specialist.entity';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { SlotsFixtures } from '../support/slots-fixtures';
import { TestApp } from '../support/test-app';

describe('AvailabilityReader', () => {
  let t: TestApp;
  let f: SlotsFixtures;
  let reader: AvailabilityReader;
  const ids = {} as Record<'l1' | 'l2' | 'l3' | 'cut' | 'old' | 's1' | 's2' | 's3' | 'client', number>;
  const booking: Record<string, number> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    f = new SlotsFixtures(t);
    reader = t.get(AvailabilityReader);
    const user = async (name: string) => (await t.userWithToken('specialist', name)).id;
    ids.client = (await t.userWithToken('client')).id;
    ids.l1 = await f.location('Europe/Berlin');
    ids.l2 = await f.location('Asia/Kolkata');
    ids.l3 = await f.location('Europe/Moscow');
    ids.cut = await f.service(60, 100);
    ids.old = await f.service(30, 50, false);
    ids.s1 = await f.specialist(
      await user('One'),
      [ids.l1, ids.l2],
      [{ serviceId: ids.cut, durationMin: 45, price: 80 }, { serviceId: ids.old }],
    );
    ids.s2 = await f.specialist(await user('Two'), [ids.l1], [{ serviceId: ids.cut }]);
    ids.s3 = await f.specialist(await user('Three'), [ids.l2], [{ serviceId: ids.cut }]);
    await t.get(UnitOfWork).run((em) => em.update(SpecialistEntity, { id: ids.s2 }, { active: false }));
    await f.weekly(ids.s1, ids.l1, [5], '09:00-12:00', '13:00-18:00');
    await f.weekly(ids.s1, ids.l2, [5], '06:00-07:00');
    await f.exception({ locationId: ids.l1, specialistId: null, date: '2026-04-10', kind: 'day_off' });
    await f.exception({
      locationId: ids.l1,
      specialistId: ids.s1,
      date: '2026-04-11',
      kind: 'custom_hours',
      range: '10:00-11:00',
    });
    await f.exception({ locationId: ids.l2, specialistId: ids.s1, date: '2026-04-11', kind: 'day_off' });
    await f.exception({ locationId: ids.l1, specialistId: null, date: '2026-04-20', kind: 'day_off' });
    const book = async (name: string, startAt: string, locationId = ids.l1, specialistId = ids.s1) => {
      booking[name] = await f.booking({
        clientId: ids.client,
        specialistId,
        locationId,
        serviceId: ids.cut,
        startAt,
        durationMin: 60,
      });
    };
    await book('here', '2026-04-10T08:00:00Z');
    await book('elsewhere', '2026-04-11T03:00:00Z', ids.l2);
    await book('overnight', '2026-04-09T23:30:00Z');
    await book('cancelled', '2026-04-10T10:00:00Z');
    await book('done', '2026-04-10T11:00:00Z');
    await book('farBefore', '2026-04-07T08:00:00Z');
    await book('farAfter', '2026-04-14T08:00:00Z');
    await book('otherSpecialist', '2026-04-10T08:00:00Z', ids.l2, ids.s3);
    await f.setBookingStatus(booking.cancelled, ids.l1, 'cancelled');
    await f.setBookingStatus(booking.done, ids.l1, 'done');
  });
  afterAll(() => t.stop());

  it('reads location, settings, active linked specialists with their hours here, exceptions here in range, live bookings anywhere', async () => {
    const snapshot = await reader.read(ids.l1, '2026-04-10', '2026-04-11');
    expect(snapshot).not.toBeNull();
    expect(snapshot!.location).toEqual({ id: ids.l1, timeZone: 'Europe/Berlin', active: true });
    expect(snapshot!.settings).toEqual({ minNoticeMin: 60, horizonDays: 60 });
    expect(snapshot!.specialists).toEqual([
      {
        id: ids.s1,
        userId: expect.any(Number),
        name: 'One',
        intervals: [
          { weekday: 5, startMin: 540, endMin: 720 },
          { weekday: 5, startMin: 780, endMin: 1080 },
        ],
        services: [
          { specialistId: ids.s1, serviceId: ids.cut, durationMin: 45, price: 80, active: true },
          { specialistId: ids.s1, serviceId: ids.old, durationMin: 30, price: 50, active: false },
        ],
      },
    ]);
    expect(snapshot!.exceptions).toEqual(
      expect.arrayContaining([
        { specialistId: null, date: '2026-04-10', kind: 'day_off', startMin: null, endMin: null },
        { specialistId: ids.s1, date: '2026-04-11', kind: 'custom_hours', startMin: 600, endMin: 660 },
      ]),
    );
    expect(snapshot!.exceptions).toHaveLength(2);
    const seen = snapshot!.bookings.map((b) => b.id).sort((x, y) => x - y);
    expect(seen).toEqual([booking.here, booking.elsewhere, booking.overnight].sort((x, y) => x - y));
    expect(snapshot!.bookings.find((b) => b.id === booking.here)).toEqual({
      id: booking.here,
      specialistId: ids.s1,
      startAt: new Date('2026-04-10T08:00:00Z'),
      endAt: new Date('2026-04-10T09:00:00Z'),
    });
  });

  it('leaves out the booking being moved', async () => {
    const snapshot = await reader.read(ids.l1, '2026-04-10', '2026-04-11', {
      excludeBookingId: booking.here,
    });
    expect(snapshot!.bookings.map((b) => b.id)).not.toContain(booking.here);
    expect(snapshot!.bookings).toHaveLength(2);
  });

  it('answers null for an unknown location and an empty snapshot for one nobody works at', async () => {
    expect(await reader.read(9999, '2026-04-10', '2026-04-10')).toBeNull();
    expect(await reader.location(9999)).toBeNull();
    expect(await reader.location(ids.l2)).toEqual({ id: ids.l2, timeZone: 'Asia/Kolkata', active: true });
    expect(await reader.read(ids.l3, '2026-04-10', '2026-04-10')).toMatchObject({
      specialists: [],
      exceptions: [],
      bookings: [],
    });
  });

  it('finds who offers a service at a location, with their own duration and price', async () => {
    expect(await reader.serviceAt(ids.l1, ids.cut)).toEqual({
      location: { id: ids.l1, timeZone: 'Europe/Berlin', active: true },
      settings: { minNoticeMin: 60, horizonDays: 60 },
      service: { id: ids.cut, name: 'S 60', active: true, durationMin: 60, price: 100 },
      offers: [{ specialistId: ids.s1, serviceId: ids.cut, durationMin: 45, price: 80, active: true }],
    });
    expect(
      (await reader.serviceAt(ids.l2, ids.cut))!.offers.map((o) => [o.specialistId, o.durationMin]),
    ).toEqual([
      [ids.s1, 45],
      [ids.s3, 60],
    ]);
    expect(await reader.serviceAt(ids.l1, 9999)).toMatchObject({ service: null, offers: [] });
    expect(await reader.serviceAt(9999, ids.cut)).toBeNull();
  });

  it('narrows a read to one specialist: their hours, offers and bookings, their own and the location-wide exceptions', async () => {
    const s4 = await f.specialist(
      (await t.userWithToken('specialist', 'Four')).id,
      [ids.l1],
      [{ serviceId: ids.cut }],
    );
    await f.weekly(s4, ids.l1, [5], '08:00-10:00');
    await f.exception({ locationId: ids.l1, specialistId: s4, date: '2026-04-11', kind: 'day_off' });
    const theirs = await f.booking({
      clientId: ids.client,
      specialistId: s4,
      locationId: ids.l1,
      serviceId: ids.cut,
      startAt: '2026-04-10T06:00:00Z',
      durationMin: 60,
    });

    const full = await reader.read(ids.l1, '2026-04-10', '2026-04-11');
    expect(full!.specialists.map((s) => s.id)).toEqual([ids.s1, s4]);
    expect(full!.exceptions).toHaveLength(3);
    const one = await reader.read(ids.l1, '2026-04-10', '2026-04-11', { specialistId: ids.s1 });
    expect(one!.location).toEqual(full!.location);
    expect(one!.settings).toEqual(full!.settings);
    expect(one!.specialists).toEqual([full!.specialists[0]]);
    expect(one!.exceptions).toEqual(full!.exceptions.filter((e) => e.specialistId !== s4));
    expect(one!.bookings.map((b) => b.id).sort((x, y) => x - y)).toEqual(
      [booking.here, booking.elsewhere, booking.overnight].sort((x, y) => x - y),
    );

    const four = await reader.read(ids.l1, '2026-04-10', '2026-04-11', {
      specialistId: s4,
      excludeBookingId: booking.here,
    });
    expect(four!.specialists).toEqual([
      {
        id: s4,
        userId: expect.any(Number),
        name: 'Four',
        intervals: [{ weekday: 5, startMin: 480, endMin: 600 }],
        services: [{ specialistId: s4, serviceId: ids.cut, durationMin: 60, price: 100, active: true }],
      },
    ]);
    expect(four!.exceptions.map((e) => [e.specialistId, e.date]).sort()).toEqual([
      [null, '2026-04-10'],
      [s4, '2026-04-11'],
    ]);
    expect(four!.bookings.map((b) => b.id)).toEqual([theirs]);
    const excluded = await reader.read(ids.l1, '2026-04-10', '2026-04-11', {
      specialistId: s4,
      excludeBookingId: theirs,
    });
    expect(excluded!.bookings).toEqual([]);

    // Inactive (s2) or not linked here (s3): nobody, like the full read.
    expect(await reader.read(ids.l1, '2026-04-10', '2026-04-11', { specialistId: ids.s2 })).toMatchObject({
      specialists: [],
      bookings: [],
    });
    expect(await reader.read(ids.l1, '2026-04-10', '2026-04-11', { specialistId: ids.s3 })).toMatchObject({
      specialists: [],
      bookings: [],
    });
    expect(await reader.read(9999, '2026-04-10', '2026-04-10', { specialistId: ids.s1 })).toBeNull();
  });

  it('lists the locations that share a specialist', async () => {
    expect((await reader.linkedLocationIds(ids.l1)).sort()).toEqual([ids.l1, ids.l2].sort());
    expect((await reader.linkedLocationIds(ids.l2)).sort()).toEqual([ids.l1, ids.l2].sort());
    expect(await reader.linkedLocationIds(ids.l3)).toEqual([ids.l3]);
  });
});
