import {
  byWeekdayAndStart,
  describe as describeInterval,
  exceptionClash,
  firstOverlap,
  hhmm,
  overlaps,
} from './schedule-rules';

describe('schedule rules', () => {
  it.each([
    [0, '00:00'],
    [545, '09:05'],
    [1439, '23:59'],
    [1440, '24:00'],
  ])('hhmm(%i) is %s', (min, text) => {
    expect(hhmm(min)).toBe(text);
  });

  it.each([
    [{ weekday: 2, startMin: 540, endMin: 720 }, 'Tue 09:00-12:00'],
    [{ weekday: 7, startMin: 0, endMin: 1440, locationId: 3 }, 'Sun 00:00-24:00 at location 3'],
  ])('describes %j as %s', (interval, text) => {
    expect(describeInterval(interval)).toBe(text);
  });

  it.each([
    [540, 720, 705, 900, true],
    [540, 720, 720, 900, false],
    [540, 720, 480, 541, true],
    [540, 720, 600, 660, true],
    [540, 720, 300, 540, false],
  ])('%i-%i and %i-%i overlap: %s', (a1, a2, b1, b2, expected) => {
    expect(overlaps({ startMin: a1, endMin: a2 }, { startMin: b1, endMin: b2 })).toBe(expected);
    expect(overlaps({ startMin: b1, endMin: b2 }, { startMin: a1, endMin: a2 })).toBe(expected);
  });

  it('orders a week by weekday, start, then location', () => {
    const week = [
      { weekday: 3, startMin: 600, endMin: 700, locationId: 1 },
      { weekday: 1, startMin: 900, endMin: 960, locationId: 2 },
      { weekday: 1, startMin: 900, endMin: 960, locationId: 1 },
      { weekday: 1, startMin: 540, endMin: 600, locationId: 9 },
    ];
    expect([...week].sort(byWeekdayAndStart).map((i) => [i.weekday, i.startMin, i.locationId])).toEqual([
      [1, 540, 9],
      [1, 900, 1],
      [1, 900, 2],
      [3, 600, 1],
    ]);
  });

  it.each([
    [
      'none',
      [
        [1, 540, 720],
        [1, 720, 900],
        [2, 540, 720],
      ],
      null,
    ],
    [
      'same weekday',
      [
        [1, 540, 720],
        [1, 700, 900],
      ],
      [0, 1],
    ],
    [
      'only the same weekday counts',
      [
        [1, 540, 720],
        [2, 600, 660],
      ],
      null,
    ],
    [
      'the first pair',
      [
        [1, 0, 60],
        [3, 540, 720],
        [3, 600, 700],
        [3, 650, 800],
      ],
      [1, 2],
    ],
  ] as const)('firstOverlap: %s', (_, spans, pair) => {
    const week = spans.map(([weekday, startMin, endMin]) => ({ weekday, startMin, endMin }));
    expect(firstOverlap(week)).toEqual(pair === null ? null : [week[pair[0]], week[pair[1]]]);
  });

  const dayOff = (locationId: number) => ({ locationId, kind: 'day_off' });
  const hours = (locationId: number, startMin: number, endMin: number) => ({
    locationId,
    kind: 'custom_hours',
    startMin,
    endMin,
  });
  it.each([
    ['two days off at one location', dayOff(1), dayOff(1), 'day_off'],
    ['a day off and hours at one location', dayOff(1), hours(1, 600, 700), 'day_off'],
    ['hours and a day off at one location', hours(1, 600, 700), dayOff(1), 'day_off'],
    ['days off at two locations', dayOff(1), dayOff(2), null],
    ['a day off elsewhere and hours here', dayOff(2), hours(1, 600, 700), null],
    ['overlapping hours at two locations', hours(2, 540, 720), hours(1, 700, 800), 'hours'],
    ['overlapping hours at one location', hours(1, 540, 720), hours(1, 600, 660), 'hours'],
    ['touching hours', hours(1, 540, 720), hours(1, 720, 800), null],
  ])('exceptionClash: %s', (_, existing, wanted, verdict) => {
    expect(exceptionClash(existing, wanted)).toBe(verdict);
  });
});
