import { actors, auditRows, recordEvents } from '../support/catalog';
import { TestApp } from '../support/test-app';

describe('catalog: schedules', () => {
  let t: TestApp;
  let who: Awaited<ReturnType<typeof actors>>;
  let availability: ReturnType<typeof recordEvents<'location.availability_changed'>>;
  let l1: number;
  let l2: number;
  let l3: number;
  /** Works at l1 and l2; logs in as who.specialistUser. */
  let specA: number;
  /** Works at l1; logs in as who.otherSpecialistUser. */
  let specB: number;

  const req = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    token = who.admin.token,
  ) => t.request(method, url, { token, body });
  const interval = (
    specialistId: number,
    locationId: number,
    weekday: number,
    startMin: number,
    endMin: number,
  ) => req('POST', '/api/v1/schedules/intervals', { specialistId, locationId, weekday, startMin, endMin });

  beforeAll(async () => {
    t = await TestApp.start();
    who = await actors(t);
    availability = recordEvents(t, 'location.availability_changed');
    const loc = async (name: string) =>
      (await req('POST', '/api/v1/locations', { name, timeZone: 'Europe/Berlin' })).body.id;
    [l1, l2, l3] = [await loc('L1'), await loc('L2'), await loc('L3')];
    specA = (
      await req('POST', '/api/v1/specialists', { userId: who.specialistUser.id, locationIds: [l1, l2] })
    ).body.id;
    specB = (
      await req('POST', '/api/v1/specialists', { userId: who.otherSpecialistUser.id, locationIds: [l1] })
    ).body.id;
  });
  afterAll(() => t.stop());
  beforeEach(() => availability.take());

  describe('weekly intervals', () => {
    it('admin creates, lists and deletes intervals; each write is audited and bumps the location', async () => {
      const created = await interval(specA, l1, 1, 540, 780);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        specialistId: specA,
        locationId: l1,
        weekday: 1,
        startMin: 540,
        endMin: 780,
      });
      expect(availability.take()).toEqual([{ locationId: l1 }]);
      const second = await interval(specA, l1, 1, 840, 1080);
      expect(second.status).toBe(201);

      const list = await req('GET', `/api/v1/schedules/intervals?specialistId=${specA}&locationId=${l1}`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((i: { startMin: number }) => i.startMin)).toEqual([540, 840]);
      expect(list.body.total).toBe(2);

      const removed = await req('DELETE', `/api/v1/schedules/intervals/${second.body.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body).toEqual(second.body);
      expect(availability.take()).toEqual([{ locationId: l1 }, { locationId: l1 }]);
      const gone = await req('DELETE', `/api/v1/schedules/intervals/${second.body.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.message).toBe(`work interval ${second.body.id} not found`);
      const after = await req('GET', `/api/v1/schedules/intervals?specialistId=${specA}&locationId=${l1}`);
      expect(after.body.items.map((i: { id: number }) => i.id)).toEqual([created.body.id]);

      const audit = await auditRows(t, 'work_interval', second.body.id);
      expect(audit.map((a) => [a.action, a.userId])).toEqual([
        ['schedule.interval.create', who.admin.id],
        ['schedule.interval.delete', who.admin.id],
      ]);
      expect(audit[1].changes).toMatchObject({ weekday: 1, startMin: 840, endMin: 1080 });
      await req('DELETE', `/api/v1/schedules/intervals/${created.body.id}`);
    });

    it('overlaps of one specialist on one weekday are 409, also across locations; touching intervals are fine', async () => {
      const base = await interval(specA, l1, 2, 540, 720);
      expect(base.status).toBe(201);
      const sameLocation = await interval(specA, l1, 2, 705, 900);
      expect(sameLocation.status).toBe(409);
      expect(sameLocation.body).toMatchObject({ code: 'conflict' });
      expect(sameLocation.body.message).toBe(
        `Tue 11:45-15:00 at location ${l1} overlaps specialist ${specA}'s interval Tue 09:00-12:00 at location ${l1} (id ${base.body.id})`,
      );
      const otherLocation = await interval(specA, l2, 2, 600, 660);
      expect(otherLocation.status).toBe(409);
      expect(otherLocation.body.message).toContain(`at location ${l1}`);
      expect((await interval(specA, l2, 2, 720, 1440)).status).toBe(201);
      expect((await interval(specA, l2, 3, 540, 720)).status).toBe(201);
      expect((await interval(specB, l1, 2, 540, 720)).status).toBe(201);
      const total = await req('GET', `/api/v1/schedules/intervals?specialistId=${specA}&weekday=2`);
      expect(
        total.body.items.map((i: { startMin: number; endMin: number }) => [i.startMin, i.endMin]),
      ).toEqual([
        [540, 720],
        [720, 1440],
      ]);
    });

    it('the specialist must work at the location (409); unknown ids are 404', async () => {
      const unlinked = await interval(specB, l2, 4, 540, 600);
      expect(unlinked.status).toBe(409);
      expect(unlinked.body.message).toBe(
        `Specialist ${specB} does not work at location ${l2}: add the location to the specialist first`,
      );
      expect((await interval(987654, l1, 4, 540, 600)).body.message).toBe('specialist 987654 not found');
      const noLocation = await interval(specA, 987654, 4, 540, 600);
      expect(noLocation.status).toBe(404);
      expect(noLocation.body.message).toBe('location 987654 not found');
      expect((await req('GET', '/api/v1/schedules/intervals?specialistId=987654')).status).toBe(404);
      expect((await req('GET', '/api/v1/schedules/intervals?locationId=987654')).status).toBe(404);
      expect(availability.take()).toEqual([]);
    });

    it('validation errors name the field', async () => {
      const body = { specialistId: specA, locationId: l1, weekday: 5, startMin: 540, endMin: 600 };
      const cases: [unknown, string][] = [
        [{ ...body, weekday: 0 }, 'weekday'],
        [{ ...body, weekday: 8 }, 'weekday'],
        [{ ...body, startMin: 550 }, 'startMin'],
        [{ ...body, startMin: -15 }, 'startMin'],
        [{ ...body, endMin: 1455 }, 'endMin'],
        [{ ...body, startMin: 600, endMin: 600 }, 'endMin'],
        [{ ...body, startMin: 660, endMin: 600 }, 'endMin'],
        [{ ...body, specialistId: undefined }, 'specialistId'],
        [{ ...body, locationId: 'x' }, 'locationId'],
        [{ ...body, note: 'hi' }, 'note'],
      ];
      for (const [b, field] of cases) {
        const res = await req('POST', '/api/v1/schedules/intervals', b);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.message).toContain(field);
      }
      expect((await req('GET', '/api/v1/schedules/intervals?weekday=9')).body.message).toContain('weekday');
      expect((await req('DELETE', '/api/v1/schedules/intervals/abc')).status).toBe(400);
    });
  });

  describe('PUT /specialists/:id/schedule', () => {
    const week = [
      { weekday: 6, startMin: 600, endMin: 720 },
      { weekday: 6, startMin: 780, endMin: 960 },
      { weekday: 7, startMin: 600, endMin: 900 },
    ];

    it('replaces the whole week at one location atomically and leaves other locations alone', async () => {
      const keep = await interval(specA, l1, 6, 420, 540);
      expect(keep.status).toBe(201);
      await interval(specA, l2, 5, 0, 60);
      availability.take();
      const put = await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`, week);
      expect(put.status).toBe(200);
      expect(
        put.body.map((i: { weekday: number; startMin: number; endMin: number; locationId: number }) => [
          i.weekday,
          i.startMin,
          i.endMin,
          i.locationId,
        ]),
      ).toEqual([
        [6, 600, 720, l2],
        [6, 780, 960, l2],
        [7, 600, 900, l2],
      ]);
      expect(availability.take()).toEqual([{ locationId: l2 }]);
      const read = await req('GET', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`);
      expect(read.body).toEqual(put.body);
      const l1Week = await req('GET', `/api/v1/specialists/${specA}/schedule?locationId=${l1}`);
      expect(l1Week.body.map((i: { id: number }) => i.id)).toContain(keep.body.id);

      const audit = await auditRows(t, 'specialist', specA);
      expect(audit.at(-1)).toMatchObject({ action: 'schedule.week.replace', userId: who.admin.id });
      expect(audit.at(-1)!.changes).toEqual({ locationId: l2, intervals: week });

      const cleared = await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`, []);
      expect(cleared.status).toBe(200);
      expect(cleared.body).toEqual([]);
      expect((await req('GET', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`)).body).toEqual([]);
    });

    it('rejects overlaps inside the week or with another location (409) and keeps the old week', async () => {
      const before = await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`, week);
      expect(before.status).toBe(200);
      const inside = await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`, [
        { weekday: 4, startMin: 600, endMin: 720 },
        { weekday: 4, startMin: 660, endMin: 780 },
      ]);
      expect(inside.status).toBe(409);
      expect(inside.body.message).toBe('Thu 10:00-12:00 overlaps Thu 11:00-13:00');
      // Saturday 07:00-09:00 at l1 exists from the previous test.
      const elsewhere = await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`, [
        { weekday: 6, startMin: 480, endMin: 600 },
      ]);
      expect(elsewhere.status).toBe(409);
      expect(elsewhere.body.message).toContain(`Sat 07:00-09:00 at location ${l1}`);
      const after = await req('GET', `/api/v1/specialists/${specA}/schedule?locationId=${l2}`);
      expect(after.body).toEqual(before.body);
    });

    it('409 when not linked, 404 for unknown ids, 400 naming the item for bad bodies', async () => {
      const unlinked = await req('PUT', `/api/v1/specialists/${specB}/schedule?locationId=${l2}`, week);
      expect(unlinked.status).toBe(409);
      expect(
        (await req('PUT', `/api/v1/specialists/987654/schedule?locationId=${l1}`, week)).body.message,
      ).toBe('specialist 987654 not found');
      expect((await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=987654`, week)).status).toBe(
        404,
      );
      const cases: [unknown, string, string][] = [
        [[{ weekday: 1, startMin: 600, endMin: 700 }], `locationId=${l1}`, 'intervals.0.endMin'],
        [
          [
            { weekday: 1, startMin: 600, endMin: 660 },
            { weekday: 9, startMin: 0, endMin: 15 },
          ],
          `locationId=${l1}`,
          'intervals.1.weekday',
        ],
        [[{ weekday: 1, startMin: 600, endMin: 660, x: 1 }], `locationId=${l1}`, 'intervals.0.x'],
        [
          [
            { weekday: 1, startMin: 600, endMin: 660 },
            { weekday: 1, startMin: 700, endMin: 720 },
          ],
          `locationId=${l1}`,
          'intervals.1.startMin must be divisible by 15',
        ],
        [
          [{ weekday: 1, startMin: 660, endMin: 600 }],
          `locationId=${l1}`,
          'endMin (600) must be greater than startMin (660)',
        ],
        [{ weekday: 1, startMin: 600, endMin: 660 }, `locationId=${l1}`, 'array'],
        [[1, 2], `locationId=${l1}`, 'nested property intervals must be either object or array'],
        [week, '', 'locationId'],
        [week, 'locationId=abc', 'locationId'],
      ];
      for (const [body, query, expected] of cases) {
        const res = await req('PUT', `/api/v1/specialists/${specA}/schedule?${query}`, body);
        expect({ expected, status: res.status }).toEqual({ expected, status: 400 });
        expect(res.body.message).toContain(expected);
      }
    });
  });

  describe('exceptions', () => {
    it('admin creates location-wide and specialist exceptions, lists them by range and deletes them, audited', async () => {
      const holiday = await req('POST', '/api/v1/schedules/exceptions', {
        locationId: l1,
        date: '2026-12-25',
        kind: 'day_off',
        reason: ' Christmas ',
      });
      expect(holiday.status).toBe(201);
      expect(holiday.body).toEqual({
        id: expect.any(Number),
        locationId: l1,
        specialistId: null,
        date: '2026-12-25',
        kind: 'day_off',
        startMin: null,
        endMin: null,
        reason: 'Christmas',
      });
      expect(availability.take()).toEqual([{ locationId: l1 }]);
      const short = await req('POST', '/api/v1/schedules/exceptions', {
        locationId: l2,
        specialistId: specA,
        date: '2026-12-24',
        kind: 'custom_hours',
        startMin: 540,
        endMin: 780,
      });
      expect(short.status).toBe(201);
      expect(short.body).toMatchObject({
        specialistId: specA,
        kind: 'custom_hours',
        startMin: 540,
        endMin: 780,
        reason: '',
      });
      const explicitNull = await req('POST', '/api/v1/schedules/exceptions', {
        locationId: l2,
        specialistId: null,
        date: '2027-01-01',
        kind: 'day_off',
      });
      expect(explicitNull.status).toBe(201);
      expect(explicitNull.body.specialistId).toBeNull();

      const december = await req('GET', '/api/v1/schedules/exceptions?from=2026-12-01&to=2026-12-31');
      expect(december.body.items.map((e: { id: number }) => e.id)).toEqual([short.body.id, holiday.body.id]);
      const atL2 = await req('GET', `/api/v1/schedules/exceptions?locationId=${l2}`);
      expect(atL2.body.items.map((e: { id: number }) => e.id)).toEqual([short.body.id, explicitNull.body.id]);
      // A specialist's view: own exceptions and the location-wide ones of their locations.
      const forB = await req('GET', `/api/v1/schedules/exceptions?specialistId=${specB}`);
      expect(forB.body.items.map((e: { id: number }) => e.id)).toEqual([holiday.body.id]);

      const removed = await req('DELETE', `/api/v1/schedules/exceptions/${holiday.body.id}`);
      expect(removed.status).toBe(200);
      expect(removed.body).toEqual(holiday.body);
      expect((await req('DELETE', `/api/v1/schedules/exceptions/${holiday.body.id}`)).body.message).toBe(
        `schedule exception ${holiday.body.id} not found`,
      );
      const audit = await auditRows(t, 'schedule_exception', holiday.body.id);
      expect(audit.map((a) => [a.action, a.userId])).toEqual([
        ['schedule.exception.create', who.admin.id],
        ['schedule.exception.delete', who.admin.id],
      ]);
      await req('DELETE', `/api/v1/schedules/exceptions/${short.body.id}`);
      await req('DELETE', `/api/v1/schedules/exceptions/${explicitNull.body.id}`);
    });

    it('conflicting exceptions on one date are 409; the specialist must work at the location', async () => {
      const dayOff = { locationId: l1, specialistId: specB, date: '2026-11-11', kind: 'day_off' };
      expect((await req('POST', '/api/v1/schedules/exceptions', dayOff)).status).toBe(201);
      const twice = await req('POST', '/api/v1/schedules/exceptions', dayOff);
      expect(twice.status).toBe(409);
      expect(twice.body.message).toMatch(
        new RegExp(`^specialist ${specB} already has a day_off exception on 2026-11-11`),
      );
      const hours = {
        locationId: l1,
        specialistId: specB,
        date: '2026-11-11',
        kind: 'custom_hours',
        startMin: 600,
        endMin: 660,
      };
      expect((await req('POST', '/api/v1/schedules/exceptions', hours)).status).toBe(409);

      const custom = {
        locationId: l1,
        specialistId: specA,
        date: '2026-11-12',
        kind: 'custom_hours',
        startMin: 600,
        endMin: 720,
      };
      expect((await req('POST', '/api/v1/schedules/exceptions', custom)).status).toBe(201);
      const overlapping = await req('POST', '/api/v1/schedules/exceptions', {
        ...custom,
        locationId: l2,
        startMin: 660,
        endMin: 780,
      });
      expect(overlapping.status).toBe(409);
      expect(overlapping.body.message).toContain(
        `overlap specialist ${specA}'s custom hours 10:00-12:00 at location ${l1}`,
      );
      expect(
        (await req('POST', '/api/v1/schedules/exceptions', { ...custom, startMin: 780, endMin: 900 })).status,
      ).toBe(201);

      const unlinked = await req('POST', '/api/v1/schedules/exceptions', { ...dayOff, locationId: l2 });
      expect(unlinked.status).toBe(409);
      expect(unlinked.body.message).toContain(`does not work at location ${l2}`);
      expect(
        (await req('POST', '/api/v1/schedules/exceptions', { ...dayOff, specialistId: 987654 })).body.message,
      ).toBe('specialist 987654 not found');
      expect(
        (
          await req('POST', '/api/v1/schedules/exceptions', {
            ...dayOff,
            specialistId: null,
            locationId: 987654,
          })
        ).body.message,
      ).toBe('location 987654 not found');
    });

    it('validation errors name the field', async () => {
      const base = { locationId: l1, date: '2026-10-10', kind: 'day_off' };
      const cases: [unknown, string][] = [
        [{ ...base, date: '2026-02-30' }, 'date'],
        [{ ...base, date: '10.10.2026' }, 'date'],
        [{ ...base, date: undefined }, 'date'],
        [{ ...base, kind: 'vacation' }, 'kind'],
        [{ ...base, kind: 'custom_hours' }, 'startMin and endMin are required for custom_hours'],
        [{ ...base, kind: 'custom_hours', startMin: 600 }, 'endMin'],
        [{ ...base, kind: 'custom_hours', startMin: 600, endMin: 540 }, 'endMin'],
        [{ ...base, kind: 'custom_hours', startMin: 605, endMin: 700 }, 'startMin'],
        [{ ...base, startMin: 600, endMin: 690 }, 'only allowed for custom_hours'],
        [{ ...base, locationId: 0 }, 'locationId'],
        [{ ...base, specialistId: 'me' }, 'specialistId'],
        [{ ...base, reason: 'x'.repeat(300) }, 'reason'],
      ];
      for (const [body, expected] of cases) {
        const res = await req('POST', '/api/v1/schedules/exceptions', body);
        expect({ expected, status: res.status }).toEqual({ expected, status: 400 });
        expect(res.body.message).toContain(expected);
      }
      expect((await req('GET', '/api/v1/schedules/exceptions?from=2026-13-01')).body.message).toContain(
        'from',
      );
      const reversed = await req('GET', '/api/v1/schedules/exceptions?from=2026-12-01&to=2026-11-01');
      expect(reversed.status).toBe(400);
      expect(reversed.body.message).toBe('from must not be after to');
    });
  });

  describe('access', () => {
    let bInterval: number;
    let bException: number;
    let aException: number;
    let l1Holiday: number;
    let l3Holiday: number;

    const dayOff = async (body: {
      locationId: number;
      specialistId?: number;
      date: string;
    }): Promise<number> =>
      (await req('POST', '/api/v1/schedules/exceptions', { ...body, kind: 'day_off' })).body.id;

    beforeAll(async () => {
      bInterval = (await interval(specB, l1, 1, 600, 690)).body.id;
      bException = await dayOff({ locationId: l1, specialistId: specB, date: '2026-09-01' });
      aException = await dayOff({ locationId: l2, specialistId: specA, date: '2026-09-01' });
      l1Holiday = await dayOff({ locationId: l1, date: '2026-09-02' });
      l3Holiday = await dayOff({ locationId: l3, date: '2026-09-02' });
    });

    it('a specialist reads only their own schedule; another specialist is 404', async () => {
      const token = who.specialistUser.token;
      const own = await req('GET', '/api/v1/schedules/intervals', undefined, token);
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.every((i: { specialistId: number }) => i.specialistId === specA)).toBe(true);
      expect(
        (
          await req(
            'GET',
            `/api/v1/schedules/intervals?specialistId=${specA}&locationId=${l1}`,
            undefined,
            token,
          )
        ).status,
      ).toBe(200);
      expect(
        (await req('GET', `/api/v1/specialists/${specA}/schedule?locationId=${l1}`, undefined, token)).status,
      ).toBe(200);

      const other = await req('GET', `/api/v1/schedules/intervals?specialistId=${specB}`, undefined, token);
      expect(other.status).toBe(404);
      expect(other.body.message).toBe(`specialist ${specB} not found`);
      expect(
        (await req('GET', `/api/v1/specialists/${specB}/schedule?locationId=${l1}`, undefined, token)).status,
      ).toBe(404);
      expect(
        (await req('GET', `/api/v1/schedules/exceptions?specialistId=${specB}`, undefined, token)).status,
      ).toBe(404);

      const exceptions = await req(
        'GET',
        '/api/v1/schedules/exceptions?from=2026-09-01&to=2026-09-30',
        undefined,
        token,
      );
      expect(exceptions.status).toBe(200);
      expect(exceptions.body.items.map((e: { id: number }) => e.id)).toEqual([aException, l1Holiday]);
      expect(exceptions.body.items.map((e: { id: number }) => e.id)).not.toContain(bException);
      expect(exceptions.body.items.map((e: { id: number }) => e.id)).not.toContain(l3Holiday);
      const atL3 = await req('GET', `/api/v1/schedules/exceptions?locationId=${l3}`, undefined, token);
      expect(atL3.body.items).toEqual([]);

      // The other specialist sees their own and the l1 holiday, never A's.
      const seenByB = await req(
        'GET',
        '/api/v1/schedules/exceptions?from=2026-09-01&to=2026-09-30',
        undefined,
        who.otherSpecialistUser.token,
      );
      expect(seenByB.body.items.map((e: { id: number }) => e.id)).toEqual([bException, l1Holiday]);
    });

    it('a specialist writes no schedules (403) and nothing changes', async () => {
      const token = who.specialistUser.token;
      const writes = [
        await req(
          'POST',
          '/api/v1/schedules/intervals',
          { specialistId: specA, locationId: l1, weekday: 7, startMin: 0, endMin: 60 },
          token,
        ),
        await req('DELETE', `/api/v1/schedules/intervals/${bInterval}`, undefined, token),
        await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l1}`, [], token),
        await req(
          'POST',
          '/api/v1/schedules/exceptions',
          { locationId: l1, specialistId: specA, date: '2026-09-03', kind: 'day_off' },
          token,
        ),
        await req('DELETE', `/api/v1/schedules/exceptions/${aException}`, undefined, token),
      ];
      expect(writes.map((w) => w.status)).toEqual([403, 403, 403, 403, 403]);
      expect(writes[0].body.message).toBe('A specialist may not write schedules');
      expect(
        (await req('GET', `/api/v1/specialists/${specA}/schedule?locationId=${l1}`)).body.length,
      ).toBeGreaterThan(0);
      const intervals = await req('GET', `/api/v1/schedules/intervals?specialistId=${specB}`);
      expect(intervals.body.items.map((i: { id: number }) => i.id)).toContain(bInterval);
    });

    it('a client neither reads nor writes schedules (403)', async () => {
      const token = who.client.token;
      const calls = [
        await req('GET', '/api/v1/schedules/intervals', undefined, token),
        await req('GET', `/api/v1/schedules/intervals?specialistId=${specA}`, undefined, token),
        await req('GET', `/api/v1/specialists/${specA}/schedule?locationId=${l1}`, undefined, token),
        await req('GET', '/api/v1/schedules/exceptions', undefined, token),
        await req(
          'POST',
          '/api/v1/schedules/intervals',
          { specialistId: specA, locationId: l1, weekday: 7, startMin: 0, endMin: 60 },
          token,
        ),
        await req('DELETE', `/api/v1/schedules/intervals/${bInterval}`, undefined, token),
        await req('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l1}`, [], token),
        await req(
          'POST',
          '/api/v1/schedules/exceptions',
          { locationId: l1, date: '2026-09-03', kind: 'day_off' },
          token,
        ),
        await req('DELETE', `/api/v1/schedules/exceptions/${l1Holiday}`, undefined, token),
      ];
      expect(calls.map((c) => c.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403, 403]);
      expect(calls[0].body).toMatchObject({ code: 'forbidden', message: 'A client may not read schedules' });
    });

    it('401 without a token or with a bad one', async () => {
      for (const url of [
        '/api/v1/schedules/intervals',
        '/api/v1/schedules/exceptions',
        `/api/v1/specialists/${specA}/schedule?locationId=${l1}`,
      ]) {
        expect((await t.request('GET', url)).status).toBe(401);
        expect((await t.request('GET', url, { token: 'nope' })).status).toBe(401);
      }
      expect(
        (await t.request('PUT', `/api/v1/specialists/${specA}/schedule?locationId=${l1}`, { body: [] }))
          .status,
      ).toBe(401);
    });
  });

  it("changing a service's duration bumps every location where it is offered", async () => {
    const svc = (await req('POST', '/api/v1/services', { name: 'Massage', durationMin: 60, price: 5000 }))
      .body.id;
    await t.request('PATCH', `/api/v1/specialists/${specA}`, {
      token: who.admin.token,
      body: { services: [{ serviceId: svc }] },
    });
    availability.take();
    await t.request('PATCH', `/api/v1/services/${svc}`, { token: who.admin.token, body: { price: 5500 } });
    expect(availability.take()).toEqual([]);
    await t.request('PATCH', `/api/v1/services/${svc}`, {
      token: who.admin.token,
      body: { durationMin: 90 },
    });
    expect(
      availability
        .take()
        .map((e) => e.locationId)
        .sort(),
    ).toEqual([l1, l2].sort());
  });
});
