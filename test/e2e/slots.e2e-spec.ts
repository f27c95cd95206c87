import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookingsApi, UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { BookingEntity } from '../../src/booking/entities/booking.entity';
import { Clock } from '../../src/infra/clock/clock';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { RedisService } from '../../src/infra/redis/redis.service';
import { AvailabilityReader, SlotChecks, SlotsApi } from '../../src/slots/api';
import { gridsFromSnapshot } from '../../src/slots/grid/snapshot-grids';
import { SlotsFixtures } from '../support/slots-fixtures';
import { TestApp } from '../support/test-app';
import { ON_POSTGRES } from '../support/test-database';
import { until } from '../support/until';

const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
const WEEKDAYS = [1, 2, 3, 4, 5, 6];

describe('slots REST and cache (Europe/Berlin across 2026-03-29)', () => {
  let t: TestApp;
  let f: SlotsFixtures;
  let now = new Date('2026-03-20T08:00:00Z');
  let admin: { id: number; token: string };
  let client: { id: number; token: string };
  let userA: { id: number; token: string };
  let berlin: number;
  let kolkata: number;
  let haircut: number;
  let shave: number;
  let a: number;
  let b: number;
  let c: number;

  beforeAll(async () => {
    t = await TestApp.start();
    f = new SlotsFixtures(t);
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => new Date(now));
    admin = await t.userWithToken('admin');
    client = await t.userWithToken('client');
    userA = await t.userWithToken('specialist', 'Anna');
    const userB = await t.userWithToken('specialist', 'Boris');
    const userC = await t.userWithToken('specialist', 'Chen');
    berlin = await f.location('Europe/Berlin');
    kolkata = await f.location('Asia/Kolkata');
    haircut = await f.service(60, 5000);
    shave = await f.service(15, 900);
    a = await f.specialist(userA.id, [berlin], [{ serviceId: haircut }]);
    b = await f.specialist(
      userB.id,
      [berlin],
      [{ serviceId: haircut, durationMin: 30, price: 3000 }, { serviceId: shave }],
    );
    c = await f.specialist(userC.id, [berlin, kolkata], [{ serviceId: haircut }]);
    // Anna works the night across the clock change on Sundays, days otherwise.
    await f.weekly(a, berlin, [7], '00:00-06:00', '09:00-12:00');
    await f.weekly(a, berlin, WEEKDAYS, '09:00-17:00');
    await f.weekly(b, berlin, ALL_WEEK, '10:00-14:00');
    await f.weekly(c, kolkata, ALL_WEEK, '09:00-18:00');
  });
  afterAll(() => t.stop());
  afterEach(() => {
    now = new Date('2026-03-20T08:00:00Z');
  });

  const get = (url: string, token = admin.token) => t.request('GET', url, { token });
  const startsOf = async (date: string, specialistId?: number, token = client.token) => {
    const res = await get(
      `/api/v1/slots/starts?locationId=${berlin}&serviceId=${haircut}&date=${date}${specialistId ? `&specialistId=${specialistId}` : ''}`,
      token,
    );
    expect(res.status).toBe(200);
    return res.body.starts as {
      startAt: string;
      localTime: string;
      utcOffset: string;
      specialistId: number;
      durationMin: number;
      price: number;
      otherSpecialistIds: number[];
    }[];
  };
  const fresh = async (locationId: number, date: string) => {
    const snapshot = await t.get(AvailabilityReader).read(locationId, date, date);
    return gridsFromSnapshot(snapshot!, [date])
      .get(date)!
      .specialists.map((s) => ({
        id: s.id,
        cells: Array.from(s.cells, (x) => ['closed', 'free', 'booked'][x]),
      }));
  };
  const served = async (locationId: number, date: string) => {
    const res = await get(`/api/v1/slots/grid?locationId=${locationId}&date=${date}`);
    expect(res.status).toBe(200);
    return (res.body.specialists as { id: number; cells: string[] }[]).map((s) => ({
      id: s.id,
      cells: s.cells,
    }));
  };

  it('lists starts, books one away, and gets it back on cancel, across the spring-forward night', async () => {
    const before = await startsOf('2026-03-29', a);
    const night = [
      '00:00',
      '00:15',
      '00:30',
      '00:45',
      '01:00',
      '01:15',
      '01:30',
      '01:45',
      '03:00',
      '03:15',
      '03:30',
      '03:45',
      '04:00',
      '04:15',
      '04:30',
      '04:45',
      '05:00',
    ];
    const morning = ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00'];
    expect(before.map((s) => s.localTime)).toEqual([...night, ...morning]);
    const at = (list: typeof before, time: string) => list.find((s) => s.localTime === time);
    expect(at(before, '01:30')).toMatchObject({
      startAt: '2026-03-29T00:30:00.000Z',
      utcOffset: '+01:00',
      specialistId: a,
      durationMin: 60,
      price: 5000,
    });
    expect(at(before, '03:00')).toMatchObject({ startAt: '2026-03-29T01:00:00.000Z', utcOffset: '+02:00' });

    const booking = await f.booking({
      clientId: client.id,
      specialistId: a,
      locationId: berlin,
      serviceId: haircut,
      startAt: '2026-03-29T00:30:00Z',
      durationMin: 60,
    });
    const during = (await startsOf('2026-03-29', a)).map((s) => s.localTime);
    expect(during).not.toContain('01:30');
    expect(during).not.toContain('00:45'); // would overlap
    expect(during).not.toContain('03:15'); // 01:15Z, inside the booking
    expect(during).toEqual(expect.arrayContaining(['00:30', '03:30']));

    await f.setBookingStatus(booking, berlin, 'cancelled');
    expect(await startsOf('2026-03-29', a)).toEqual(before);
  });

  it('"any" offers each start once with the least busy specialist and their own duration and price', async () => {
    const any = await startsOf('2026-03-30');
    const ten = any.find((s) => s.localTime === '10:00')!;
    expect(ten).toMatchObject({ specialistId: a, durationMin: 60, otherSpecialistIds: [b] });
    expect(new Set(any.map((s) => s.startAt)).size).toBe(any.length);
    const onlyB = await startsOf('2026-03-30', b);
    expect(onlyB[0]).toMatchObject({ localTime: '10:00', durationMin: 30, price: 3000 });
    expect(onlyB.at(-1)!.localTime).toBe('13:30');

    await f.booking({
      clientId: client.id,
      specialistId: a,
      locationId: berlin,
      serviceId: haircut,
      startAt: '2026-03-30T13:00:00Z',
      durationMin: 60,
    });
    expect((await startsOf('2026-03-30')).find((s) => s.localTime === '10:00')).toMatchObject({
      specialistId: b,
      otherSpecialistIds: [a],
    });
  });

  it('applies the minimum notice and the horizon to the starts', async () => {
    now = new Date('2026-03-30T08:10:00Z'); // 10:10 local
    expect((await startsOf('2026-03-30', a))[0].localTime).toBe('11:15');
    await f.settings({ minNoticeMin: 0 });
    expect((await startsOf('2026-03-30', a))[0].localTime).toBe('10:15');
    await f.settings({ minNoticeMin: 60, horizonDays: 1 });
    const tomorrow = (await startsOf('2026-03-31', a)).map((s) => s.localTime);
    expect(tomorrow.at(-1)).toBe('10:00'); // horizon 08:10Z (10:10 local) + 1 day, exclusive
    expect(await startsOf('2026-04-01', a)).toEqual([]);
    await f.settings({ horizonDays: 60 });
  });

  it('shows the grid with missing and repeated cells explicit', async () => {
    const spring = await get(`/api/v1/slots/grid?locationId=${berlin}&date=2026-03-29`);
    expect(spring.status).toBe(200);
    expect(spring.body).toMatchObject({ timeZone: 'Europe/Berlin', quarterHours: 92 });
    expect(spring.body.cells[8]).toEqual({
      label: '02:00',
      exists: false,
      repeated: false,
      startAt: null,
      utcOffset: null,
    });
    expect(spring.body.cells[12]).toEqual({
      label: '03:00',
      exists: true,
      repeated: false,
      startAt: '2026-03-29T01:00:00.000Z',
      utcOffset: '+02:00',
    });
    const anna = spring.body.specialists.find((s: { id: number }) => s.id === a);
    expect(anna.name).toBe('Anna');
    expect(anna.cells).toHaveLength(96);
    expect(anna.cells.slice(6, 14)).toEqual([
      'free',
      'free',
      'closed',
      'closed',
      'closed',
      'closed',
      'free',
      'free',
    ]);

    const fall = await get(`/api/v1/slots/grid?locationId=${berlin}&date=2026-10-25`);
    expect(fall.body.quarterHours).toBe(100);
    expect(fall.body.cells[8]).toEqual({
      label: '02:00',
      exists: true,
      repeated: true,
      startAt: '2026-10-25T00:00:00.000Z',
      utcOffset: '+02:00',
    });
    expect(fall.body.cells[12]).toMatchObject({ label: '03:00', repeated: false, utcOffset: '+01:00' });
    now = new Date('2026-10-20T00:00:00Z');
    const fallStarts = (await startsOf('2026-10-25', a)).filter((s) => s.localTime.startsWith('02:'));
    expect(fallStarts.map((s) => `${s.localTime}${s.utcOffset}`)).toEqual(['02:00+02:00']);
  });

  it('lets a specialist see only their own row and refuses clients', async () => {
    const own = await get(`/api/v1/slots/grid?locationId=${berlin}&date=2026-03-30`, userA.token);
    expect(own.status).toBe(200);
    expect(own.body.specialists.map((s: { id: number }) => s.id)).toEqual([a]);
    const refused = await get(`/api/v1/slots/grid?locationId=${berlin}&date=2026-03-30`, client.token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await t.request('GET', `/api/v1/slots/grid?locationId=${berlin}&date=2026-03-30`)).status).toBe(
      401,
    );
  });

  it('lists the days of a month with a start, honouring closures, days off and the horizon', async () => {
    const days = async (month: string, specialistId?: number) => {
      const res = await get(
        `/api/v1/slots/days?locationId=${berlin}&serviceId=${haircut}&month=${month}${specialistId ? `&specialistId=${specialistId}` : ''}`,
        client.token,
      );
      expect(res.status).toBe(200);
      return res.body.days as string[];
    };
    const march = Array.from({ length: 12 }, (_, i) => `2026-03-${String(20 + i).padStart(2, '0')}`);
    expect(await days('2026-03')).toEqual(march);
    const closed = await f.exception({
      locationId: berlin,
      specialistId: null,
      date: '2026-03-25',
      kind: 'day_off',
    });
    await f.exception({ locationId: berlin, specialistId: a, date: '2026-03-26', kind: 'day_off' });
    expect(await days('2026-03')).toEqual(march.filter((d) => d !== '2026-03-25'));
    expect(await days('2026-03', a)).toEqual(march.filter((d) => d !== '2026-03-25' && d !== '2026-03-26'));
    await f.removeException(closed, berlin);
    expect(await days('2026-03')).toContain('2026-03-25');
    expect(await days('2026-02')).toEqual([]);
    await f.settings({ horizonDays: 10 });
    expect((await days('2026-03')).at(-1)).toBe('2026-03-30');
    expect(await days('2026-04')).toEqual([]);
    await f.settings({ horizonDays: 60 });
    expect(await days('2026-04')).toHaveLength(30);
    expect(await days('2026-05')).toHaveLength(19); // up to 05-19 08:00Z
  });

  it('documents the three endpoints and their query parameters in OpenAPI', async () => {
    const docs = await t.request('GET', '/docs/json');
    const params = (path: string) =>
      docs.body.paths[path].get.parameters.map((p: { name: string }) => p.name).sort();
    expect(params('/api/v1/slots/grid')).toEqual(['date', 'locationId']);
    expect(params('/api/v1/slots/starts')).toEqual(['date', 'locationId', 'serviceId', 'specialistId']);
    expect(params('/api/v1/slots/days')).toEqual(['locationId', 'month', 'serviceId', 'specialistId']);
    expect(docs.body.components.schemas.StartDto.required).toEqual(
      expect.arrayContaining(['startAt', 'localTime', 'utcOffset', 'specialistId']),
    );
  });

  it.each([
    ['/grid?locationId=abc&date=2026-03-29', 'locationId'],
    ['/grid?locationId=1&date=2026-02-30', 'date'],
    ['/grid?locationId=1&date=29.03.2026', 'date'],
    ['/grid?locationId=1', 'date'],
    ['/grid?locationId=1&date=2026-03-29&extra=1', 'extra'],
    ['/starts?locationId=1&date=2026-03-29', 'serviceId'],
    ['/starts?locationId=1&serviceId=1&date=2026-03-29&specialistId=0', 'specialistId'],
    ['/starts?locationId=1.5&serviceId=1&date=2026-03-29', 'locationId'],
    ['/days?locationId=1&serviceId=1&month=2026-13', 'month'],
    ['/days?locationId=1&serviceId=1&month=2026-3', 'month'],
    ['/days?locationId=99999999999&serviceId=1&month=2026-03', 'locationId'],
  ])('GET %s is a 400 naming %s', async (url, field) => {
    const res = await get(`/api/v1/slots${url}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.message).toContain(field);
  });

  it('answers 404 for unknown ids and for inactive locations and services (to clients)', async () => {
    const q = (loc: number, svc: number, extra = '') =>
      `/api/v1/slots/starts?locationId=${loc}&serviceId=${svc}&date=2026-03-30${extra}`;
    expect((await get(`/api/v1/slots/grid?locationId=9999&date=2026-03-30`)).status).toBe(404);
    expect((await get(q(9999, haircut))).status).toBe(404);
    expect((await get(q(berlin, 9999))).status).toBe(404);
    expect((await get(`/api/v1/slots/days?locationId=${berlin}&serviceId=9999&month=2026-03`)).status).toBe(
      404,
    );
    const wrongPlace = await get(q(kolkata, haircut, `&specialistId=${a}`));
    expect(wrongPlace.status).toBe(404);
    expect(wrongPlace.body.code).toBe('not_found');

    const retired = await f.service(30, 100, false);
    expect((await get(q(berlin, retired), client.token)).status).toBe(404);
    const staffView = await get(q(berlin, retired));
    expect(staffView.status).toBe(200);
    expect(staffView.body.starts).toEqual([]);

    await f.setLocationActive(berlin, false);
    expect((await get(q(berlin, haircut), client.token)).status).toBe(404);
    expect((await get(q(berlin, haircut))).body.starts).toEqual([]);
    expect((await get(`/api/v1/slots/grid?locationId=${berlin}&date=2026-03-30`, userA.token)).status).toBe(
      404,
    );
    await f.setLocationActive(berlin, true);
    expect((await startsOf('2026-03-30', a)).length).toBeGreaterThan(0);
  });

  it('serves the grid from Redis until told, and never serves the old grid after a write returns', async () => {
    const date = '2026-04-06';
    const id = await f.booking({
      clientId: client.id,
      specialistId: a,
      locationId: berlin,
      serviceId: haircut,
      startAt: '2026-04-06T08:00:00Z',
      durationMin: 60,
    });
    const cached = await served(berlin, date);
    const raw = await t
      .get(RedisService)
      .client.mget(`slots:location:version:${berlin}`, `slots:location:${berlin}:${date}`);
    expect(raw[0]).not.toBeNull();
    expect(JSON.parse(raw[1]!).v).toBe(raw[0]);

    // A change nobody announces stays invisible: proof the read came from the cache.
    await f.silentlyCancel(id);
    expect(await served(berlin, date)).toEqual(cached);
    await t.get(SlotChecks).invalidateLocation(berlin);
    expect(await served(berlin, date)).toEqual(await fresh(berlin, date));
    expect(await served(berlin, date)).not.toEqual(cached);

    // Announced writes: every read after the write returns matches the database, even with reads racing the writes.
    const writes: (() => Promise<unknown>)[] = [
      () =>
        f.booking({
          clientId: client.id,
          specialistId: b,
          locationId: berlin,
          serviceId: haircut,
          startAt: '2026-04-06T09:00:00Z',
          durationMin: 30,
        }),
      () =>
        f.exception({
          locationId: berlin,
          specialistId: a,
          date,
          kind: 'custom_hours',
          range: '12:00-13:00',
        }),
      () => f.weekly(b, berlin, [1], '16:00-18:00'),
      () => f.exception({ locationId: berlin, specialistId: null, date, kind: 'day_off' }),
    ];
    for (const write of writes) {
      const racing = [served(berlin, date), served(berlin, date)];
      await write();
      expect(await served(berlin, date)).toEqual(await fresh(berlin, date));
      await Promise.all(racing);
      expect(await served(berlin, date)).toEqual(await fresh(berlin, date));
    }
  });

  it('shows a renamed specialist in the cached grid at once', async () => {
    const nameOfA = async () =>
      (
        (await get(`/api/v1/slots/grid?locationId=${berlin}&date=2026-03-24`)).body.specialists as {
          id: number;
          name: string;
        }[]
      ).find((s) => s.id === a)!.name;
    expect(await nameOfA()).toBe('Anna');
    expect(
      (
        await t.request('PATCH', `/api/v1/users/${userA.id}`, {
          token: admin.token,
          body: { name: 'Anna K.' },
        })
      ).status,
    ).toBe(200);
    expect(await nameOfA()).toBe('Anna K.');
    await t.request('PATCH', `/api/v1/users/${userA.id}`, { token: admin.token, body: { name: 'Anna' } });
  });

  it('does not cache a grid that saw rows of a transaction which then rolled back', async () => {
    const date = '2026-04-09';
    let rollBack!: () => void;
    const gate = new Promise<void>((resolve) => (rollBack = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const failing = t.get(UnitOfWork).run(async (em) => {
      await em.insert(BookingEntity, {
        clientId: client.id,
        specialistId: a,
        locationId: berlin,
        serviceId: haircut,
        startAt: new Date('2026-04-09T08:00:00Z'),
        endAt: new Date('2026-04-09T09:00:00Z'),
        durationMin: 60,
        price: 0,
        status: 'confirmed',
        createdByRole: 'admin',
        createdByUserId: null,
        comment: '',
        cancelReason: null,
      });
      wrote();
      await gate;
      throw new Error('slot taken after all');
    });
    await written;
    // SQLite's one connection lets this read see the uncommitted row; that is fine for one answer, not for the cache.
    // PostgreSQL reads on another connection, READ COMMITTED: the row is not seen until it commits.
    const during = await served(berlin, date);
    expect(during.find((s) => s.id === a)!.cells[40]).toBe(ON_POSTGRES ? 'free' : 'booked');
    rollBack();
    await expect(failing).rejects.toThrow('slot taken after all');
    const after = await served(berlin, date);
    expect(after.find((s) => s.id === a)!.cells[40]).toBe('free');
    expect(after).toEqual(await fresh(berlin, date));
  });

  it('a booking at another location blocks the shared specialist here too', async () => {
    const date = '2026-04-07';
    const before = await served(berlin, date);
    expect(before.find((s) => s.id === c)!.cells[40]).toBe('closed'); // Chen has no Berlin hours
    await f.weekly(c, berlin, [2], '09:00-12:00');
    expect((await served(berlin, date)).find((s) => s.id === c)!.cells[40]).toBe('free');
    // 10:00 Berlin (+02:00) is 13:30 in Kolkata.
    await f.booking({
      clientId: client.id,
      specialistId: c,
      locationId: kolkata,
      serviceId: haircut,
      startAt: '2026-04-07T08:00:00Z',
      durationMin: 60,
    });
    const after = (await served(berlin, date)).find((s) => s.id === c)!.cells;
    expect(after.slice(40, 44)).toEqual(['booked', 'booked', 'booked', 'booked']);
    expect(after[44]).toBe('free');
  });

  it('keeps reads correct through a Redis outage, and does not serve the pre-outage grid afterwards', async () => {
    const date = '2026-04-08';
    const redis = t.get(RedisService).client;
    const actor = { userId: admin.id, role: 'admin' as const, clientType: 'api' as const };
    // Bearer sessions live in Redis as well, so during the outage the contract is called directly.
    const direct = async () =>
      (await t.get(SlotsApi).grid(actor, { locationId: berlin, date })).specialists.map((s) => ({
        id: s.id,
        cells: s.cells,
      }));
    const warm = await served(berlin, date);
    redis.disconnect();
    try {
      await f.booking({
        clientId: client.id,
        specialistId: a,
        locationId: berlin,
        serviceId: haircut,
        startAt: '2026-04-08T10:00:00Z',
        durationMin: 60,
      });
      const during = await direct();
      expect(during).toEqual(await fresh(berlin, date));
      expect(during).not.toEqual(warm);
      const starts = await t
        .get(SlotsApi)
        .starts(actor, { locationId: berlin, serviceId: haircut, date, specialistId: a });
      expect(starts.starts.map((s) => s.localTime)).not.toContain('12:00');
      expect(starts.starts.map((s) => s.localTime)).toContain('13:00');
      expect(
        await t.get(SlotChecks).checkStart({
          locationId: berlin,
          serviceId: haircut,
          specialistId: a,
          startAt: new Date('2026-04-08T10:00:00Z'),
        }),
      ).toEqual({ ok: false, reason: 'booked' });
    } finally {
      await until(() => redis.status === 'end', 2000, 'the disconnected client to end');
      await redis.connect();
    }
    expect(await served(berlin, date)).toEqual(await fresh(berlin, date));
    expect(await served(berlin, date)).not.toEqual(warm);
  });

  describe('checkStart', () => {
    const check = (startAt: string, extra: Partial<Parameters<SlotChecks['checkStart']>[0]> = {}) =>
      t.get(SlotChecks).checkStart({
        locationId: berlin,
        serviceId: haircut,
        specialistId: a,
        startAt: new Date(startAt),
        ...extra,
      });

    it('agrees with the listed starts at every quarter-hour of a day with bookings (one elsewhere), exceptions and a warm cache', async () => {
      const date = '2026-04-14';
      await f.booking({
        clientId: client.id,
        specialistId: a,
        locationId: berlin,
        serviceId: haircut,
        startAt: '2026-04-14T09:15:00Z',
        durationMin: 45,
      });
      await f.booking({
        clientId: client.id,
        specialistId: b,
        locationId: berlin,
        serviceId: haircut,
        startAt: '2026-04-14T10:30:00Z',
        durationMin: 30,
      });
      await f.booking({
        clientId: client.id,
        specialistId: c,
        locationId: kolkata,
        serviceId: haircut,
        startAt: '2026-04-14T07:00:00Z',
        durationMin: 60,
      });
      await f.exception({
        locationId: berlin,
        specialistId: b,
        date,
        kind: 'custom_hours',
        range: '11:00-13:00',
      });
      await f.exception({
        locationId: berlin,
        specialistId: c,
        date,
        kind: 'custom_hours',
        range: '08:00-12:00',
      });
      await served(berlin, date);
      for (const specialistId of [a, b, c]) {
        const listed = new Set((await startsOf(date, specialistId)).map((s) => s.startAt));
        expect(listed.size).toBeGreaterThan(0);
        const accepted = new Set<string>();
        for (
          let ms = Date.parse('2026-04-13T22:00:00Z');
          ms < Date.parse('2026-04-14T22:00:00Z');
          ms += 15 * 60_000
        ) {
          const result = await check(new Date(ms).toISOString(), { specialistId });
          if (result.ok) accepted.add(new Date(ms).toISOString());
        }
        expect([...accepted].sort()).toEqual([...listed].sort());
      }
    });

    it('accepts a free start with the specialist duration and price, and names every refusal', async () => {
      expect(await check('2026-04-13T07:00:00Z')).toEqual({ ok: true, durationMin: 60, price: 5000 });
      expect(await check('2026-04-13T10:00:00Z', { specialistId: b })).toEqual({
        ok: true,
        durationMin: 30,
        price: 3000,
      });
      expect(await check('2026-04-13T07:05:00Z')).toEqual({ ok: false, reason: 'misaligned' });
      expect(await check('2026-04-13T10:00:00Z', { serviceId: shave })).toEqual({
        ok: false,
        reason: 'not_offered',
      });
      expect(await check('2026-04-13T10:00:00Z', { serviceId: shave, specialistId: b })).toEqual({
        ok: true,
        durationMin: 15,
        price: 900,
      });
      expect(await check('2026-04-13T07:00:00Z', { serviceId: 9999 })).toEqual({
        ok: false,
        reason: 'not_offered',
      });
      expect(await check('2026-04-13T07:00:00Z', { locationId: 9999 })).toEqual({
        ok: false,
        reason: 'not_offered',
      });
      expect(await check('2026-03-20T08:45:00Z')).toEqual({ ok: false, reason: 'too_soon' });
      expect(await check('2026-05-19T08:00:00Z')).toEqual({ ok: false, reason: 'beyond_horizon' });
      expect(await check('2026-04-13T14:30:00Z')).toEqual({ ok: false, reason: 'closed' }); // 16:30 + 60 > 17:00
      expect(await check('2026-10-25T01:00:00Z')).toEqual({ ok: false, reason: 'beyond_horizon' });
    });

    it('tells the local date of an instant for the lock key', async () => {
      expect(await t.get(SlotChecks).localDateOf(berlin, new Date('2026-03-28T23:30:00Z'))).toBe(
        '2026-03-29',
      );
      expect(await t.get(SlotChecks).localDateOf(kolkata, new Date('2026-03-28T18:29:00Z'))).toBe(
        '2026-03-28',
      );
      expect(await t.get(SlotChecks).localDateOf(kolkata, new Date('2026-03-28T18:30:00Z'))).toBe(
        '2026-03-29',
      );
      expect(await t.get(SlotChecks).localDateOf(9999, new Date())).toBeNull();
    });

    it('refuses the second occurrence of the repeated hour and a start overlapping a booking, unless it is the booking being moved', async () => {
      now = new Date('2026-10-20T00:00:00Z');
      expect(await check('2026-10-25T00:00:00Z', { serviceId: haircut })).toEqual({
        ok: true,
        durationMin: 60,
        price: 5000,
      }); // 02:00+02:00
      expect(await check('2026-10-25T01:00:00Z')).toEqual({ ok: false, reason: 'closed' }); // 02:00+01:00
      const id = await f.booking({
        clientId: client.id,
        specialistId: a,
        locationId: berlin,
        serviceId: haircut,
        startAt: '2026-10-25T08:00:00Z',
        durationMin: 60,
      });
      expect(await check('2026-10-25T08:30:00Z')).toEqual({ ok: false, reason: 'booked' });
      expect(await check('2026-10-25T08:30:00Z', { ignoreBookingId: id })).toEqual({
        ok: true,
        durationMin: 60,
        price: 5000,
      });
    });
  });
});

describe('slots with Redis unreachable from the start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => t.stop());

  it('computes every read from the database and sees each write at once', async () => {
    const f = new SlotsFixtures(t);
    const system = { userId: 0, role: 'system' as const, clientType: 'system' as const };
    const users = t.get(UsersApi);
    const admin = await users.create(system, { name: 'Admin', role: 'admin' });
    const specialistUser = await users.create(system, { name: 'Dana', role: 'specialist' });
    const actor = { userId: admin.id, role: 'admin' as const, clientType: 'api' as const };
    const location = await f.location('America/New_York');
    const service = await f.service(30, 100);
    const s = await f.specialist(specialistUser.id, [location], [{ serviceId: service }]);
    await f.weekly(s, location, ALL_WEEK, '09:00-10:00');
    jest.spyOn(t.get(Clock), 'now').mockReturnValue(new Date('2026-11-01T00:00:00Z'));
    const starts = async () =>
      (
        await t.get(SlotsApi).starts(actor, { locationId: location, serviceId: service, date: '2026-11-02' })
      ).starts.map((x) => `${x.localTime}${x.utcOffset}`);
    expect(await starts()).toEqual(['09:00-05:00', '09:15-05:00', '09:30-05:00']);
    await f.booking({
      clientId: admin.id,
      specialistId: s,
      locationId: location,
      serviceId: service,
      startAt: '2026-11-02T14:15:00Z',
      durationMin: 30,
    });
    expect(await starts()).toEqual([]);
    const grid = await t.get(SlotsApi).grid(actor, { locationId: location, date: '2026-11-01' });
    expect(grid.quarterHours).toBe(100);
    expect(grid.cells.filter((c) => c.repeated).map((c) => c.label)).toEqual([
      '01:00',
      '01:15',
      '01:30',
      '01:45',
    ]);
  });
});

describe('slots read by two instances, each holding decoded days in memory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'salon-slots-instances-'));
  const env = {
    SQLITE_PATH: join(dir, 'booking.db'),
    REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
  };
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await TestApp.start(env);
    b = await TestApp.start(env);
    for (const t of [a, b]) jest.spyOn(t.get(Clock), 'now').mockReturnValue(new Date('2026-03-20T08:00:00Z'));
  });
  afterAll(async () => {
    await b.stop({ keepRedis: true });
    await a.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("another instance's booking takes the start off this one's times and calendar at once, and its cancel brings it back", async () => {
    const f = new SlotsFixtures(a);
    const users = a.get(UsersApi);
    const client = await users.create(SYSTEM_ACTOR, { name: 'Client', role: 'client' });
    const dana = await users.create(SYSTEM_ACTOR, { name: 'Dana', role: 'specialist' });
    const location = await f.location('Europe/Berlin');
    const service = await f.service(60, 100);
    const specialist = await f.specialist(dana.id, [location], [{ serviceId: service }]);
    // Tuesdays one start (09:00), Wednesdays five (09:00 .. 10:00).
    await f.weekly(specialist, location, [2], '09:00-10:00');
    await f.weekly(specialist, location, [3], '09:00-11:00');
    const actor = { userId: client.id, role: 'client' as const, clientType: 'internal' as const };
    const query = { locationId: location, serviceId: service };
    const startsOn = async (t: TestApp, date: string) =>
      (await t.get(SlotsApi).starts(actor, { ...query, date })).starts.map((x) => x.localTime);
    const march = async (t: TestApp) =>
      (await t.get(SlotsApi).days(actor, { ...query, month: '2026-03' })).days;
    const wednesday = ['09:00', '09:15', '09:30', '09:45', '10:00'];
    // b hears of the new salon through Redis.
    await until(
      async () => (await startsOn(b, '2026-03-24').catch(() => [])).length === 1,
      5000,
      'b to see the salon',
    );
    for (const t of [a, b]) {
      expect(await march(t)).toEqual(['2026-03-24', '2026-03-25', '2026-03-31']);
      expect(await startsOn(t, '2026-03-24')).toEqual(['09:00']);
      expect(await startsOn(t, '2026-03-25')).toEqual(wednesday);
    }

    // Proof that a answers from memory: a booking nobody announces, with Redis's copy of the day gone, is not seen.
    await a.get(UnitOfWork).run((em) =>
      em.insert(BookingEntity, {
        clientId: client.id,
        specialistId: specialist,
        locationId: location,
        serviceId: service,
        startAt: new Date('2026-03-25T09:00:00Z'),
        endAt: new Date('2026-03-25T10:00:00Z'),
        durationMin: 60,
        price: 100,
        status: 'confirmed',
        createdByRole: 'admin',
        createdByUserId: null,
        comment: '',
        cancelReason: null,
      }),
    );
    await a.get(RedisService).client.del(`slots:location:${location}:2026-03-25`);
    expect(await startsOn(a, '2026-03-25')).toEqual(wednesday);

    // The only Tuesday start, booked through b: a's next reads no longer offer it, nor the day.
    const booking = await b.get(BookingsApi).create(actor, {
      ...query,
      specialistId: specialist,
      startAt: '2026-03-24T08:00:00Z',
    });
    expect(await startsOn(a, '2026-03-24')).toEqual([]);
    expect(await march(a)).toEqual(['2026-03-25', '2026-03-31']);
    // Every day of the location is read anew, the unannounced booking too (10:00 local is 09:00 UTC).
    expect(await startsOn(a, '2026-03-25')).toEqual(['09:00']);

    // Cancelled through a: b offers it again. Its calendars asked at once read the database once between them.
    await a.get(BookingsApi).cancel(actor, booking.id, {});
    const reads = jest.spyOn(b.get(AvailabilityReader), 'read');
    const burst = await Promise.all([1, 2, 3, 4, 5].map(() => march(b)));
    expect(burst).toEqual(Array(5).fill(['2026-03-24', '2026-03-25', '2026-03-31']));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await startsOn(b, '2026-03-24')).toEqual(['09:00']);
    reads.mockRestore();
  });
});
