import { DateTime } from 'luxon';
import { cellLabel, dayTimeline, formatOffset, QUARTER_MS } from './day-timeline';
import {
  BOOKED,
  checkQuarter,
  CLOSED,
  DayException,
  findStarts,
  FREE,
  hasStart,
  openCells,
  quarterAt,
  specialistCells,
  WorkInterval,
} from './slot-grid';

const OPEN_WINDOW = { earliestMs: 0, latestMs: Number.MAX_SAFE_INTEGER };
const ALL_DAY = (date: string): WorkInterval[] => [
  { weekday: DateTime.fromISO(date).weekday, startMin: 0, endMin: 1440 },
];
const labels = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) => cellLabel(labelToCell(from) + i));

interface DstCase {
  zone: string;
  date: string;
  quarters: number;
  missing: string[];
  repeated: string[];
  /** offset at 00:00 and at 23:45 */
  offsets: [string, string];
  /** starts of a 60-minute service for someone working 00:00-24:00 */
  hourStarts: number;
}

// Facts from tzdata, written out by hand.
const CASES: DstCase[] = [
  {
    zone: 'Europe/Berlin',
    date: '2026-03-29',
    quarters: 92,
    missing: labels('02:00', 4),
    repeated: [],
    offsets: ['+01:00', '+02:00'],
    hourStarts: 89,
  },
  {
    zone: 'Europe/Berlin',
    date: '2026-10-25',
    quarters: 100,
    missing: [],
    repeated: labels('02:00', 4),
    offsets: ['+02:00', '+01:00'],
    hourStarts: 9 + 81,
  },
  {
    zone: 'America/New_York',
    date: '2026-03-08',
    quarters: 92,
    missing: labels('02:00', 4),
    repeated: [],
    offsets: ['-05:00', '-04:00'],
    hourStarts: 89,
  },
  {
    zone: 'America/New_York',
    date: '2026-11-01',
    quarters: 100,
    missing: [],
    repeated: labels('01:00', 4),
    offsets: ['-04:00', '-05:00'],
    hourStarts: 5 + 85,
  },
  {
    zone: 'Australia/Lord_Howe',
    date: '2026-04-05',
    quarters: 98,
    missing: [],
    repeated: labels('01:30', 2),
    offsets: ['+11:00', '+10:30'],
    hourStarts: 5 + 85,
  },
  {
    zone: 'Australia/Lord_Howe',
    date: '2026-10-04',
    quarters: 94,
    missing: labels('02:00', 2),
    repeated: [],
    offsets: ['+10:30', '+11:00'],
    hourStarts: 91,
  },
  {
    zone: 'Asia/Kolkata',
    date: '2026-03-29',
    quarters: 96,
    missing: [],
    repeated: [],
    offsets: ['+05:30', '+05:30'],
    hourStarts: 93,
  },
  {
    zone: 'Asia/Kolkata',
    date: '2026-10-25',
    quarters: 96,
    missing: [],
    repeated: [],
    offsets: ['+05:30', '+05:30'],
    hourStarts: 93,
  },
  {
    zone: 'Europe/Moscow',
    date: '2026-03-29',
    quarters: 96,
    missing: [],
    repeated: [],
    offsets: ['+03:00', '+03:00'],
    hourStarts: 93,
  },
  {
    zone: 'Europe/Moscow',
    date: '2026-10-25',
    quarters: 96,
    missing: [],
    repeated: [],
    offsets: ['+03:00', '+03:00'],
    hourStarts: 93,
  },
  {
    zone: 'Europe/Berlin',
    date: '2026-06-15',
    quarters: 96,
    missing: [],
    repeated: [],
    offsets: ['+02:00', '+02:00'],
    hourStarts: 93,
  },
];

describe('day timeline and starts across clock changes', () => {
  describe.each(CASES)('$zone $date', (c) => {
    const timeline = dayTimeline(c.date, c.zone);
    const cells = specialistCells(timeline, openCells(c.date, ALL_DAY(c.date), [], []), []);
    const starts = findStarts(timeline, cells, 60, OPEN_WINDOW);

    it('has the real number of quarter-hours', () => {
      expect(timeline.quarters).toBe(c.quarters);
      expect((timeline.endMs - timeline.startMs) / QUARTER_MS).toBe(c.quarters);
    });

    it('closes exactly the wall-clock cells that do not exist', () => {
      const missing = Array.from(timeline.quarterOfWall.keys())
        .filter((w) => timeline.quarterOfWall[w] < 0)
        .map(cellLabel);
      expect(missing).toEqual(c.missing);
      for (const label of c.missing) expect(cells[labelToCell(label)]).toBe(CLOSED);
    });

    it('flags the second occurrence of repeated cells', () => {
      const repeated = Array.from(timeline.repeated.keys())
        .filter((q) => timeline.repeated[q])
        .map((q) => cellLabel(timeline.wallOf[q]));
      expect(repeated).toEqual(c.repeated);
    });

    it('reports the offsets before and after', () => {
      expect(formatOffset(timeline.offsetOf[0])).toBe(c.offsets[0]);
      expect(formatOffset(timeline.offsetOf[timeline.quarters - 1])).toBe(c.offsets[1]);
    });

    it('offers each wall-clock label at most once, never a missing one, always at the first occurrence', () => {
      expect(starts).toHaveLength(c.hourStarts);
      const seen = new Set<string>();
      for (const q of starts) {
        const ms = timeline.startMs + q * QUARTER_MS;
        const local = DateTime.fromMillis(ms, { zone: c.zone });
        const label = local.toFormat('HH:mm');
        expect(label).toBe(cellLabel(timeline.wallOf[q]));
        expect(formatOffset(local.offset)).toBe(formatOffset(timeline.offsetOf[q]));
        expect(local.toISODate()).toBe(c.date);
        expect(c.missing).not.toContain(label);
        expect(seen.has(label)).toBe(false);
        seen.add(label);
        if (c.repeated.includes(label)) expect(formatOffset(local.offset)).toBe(c.offsets[0]);
        // A start and its hour are real time: the booking ends 60 minutes later, still on the same local day.
        expect(ms + 3_600_000).toBeLessThanOrEqual(timeline.endMs);
      }
    });

    it('never accepts a start in the second occurrence', () => {
      for (let q = 0; q < timeline.quarters; q++) {
        if (timeline.repeated[q]) expect(checkQuarter(timeline, cells, q, 15)).toBe('closed');
      }
    });
  });

  it('Berlin spring-forward: 01:30 for 60 minutes runs one real hour to 03:30 CEST', () => {
    const t = dayTimeline('2026-03-29', 'Europe/Berlin');
    const cells = specialistCells(t, openCells(t.date, ALL_DAY(t.date), [], []), []);
    const start = Date.parse('2026-03-29T00:30:00Z');
    expect(findStarts(t, cells, 60, OPEN_WINDOW).map((q) => t.startMs + q * QUARTER_MS)).toContain(start);
    expect(DateTime.fromMillis(start + 3_600_000, { zone: t.zone }).toFormat('HH:mm ZZ')).toBe(
      '03:30 +02:00',
    );
  });

  it('Berlin fall-back: the repeated hour is bookable once, at +02:00, and nothing runs into its second occurrence', () => {
    const t = dayTimeline('2026-10-25', 'Europe/Berlin');
    const cells = specialistCells(t, openCells(t.date, ALL_DAY(t.date), [], []), []);
    const at = (iso: string) => findStarts(t, cells, 60, OPEN_WINDOW).includes(quarterAt(t, Date.parse(iso)));
    expect(at('2026-10-25T00:30:00+02:00')).toBe(true);
    expect(at('2026-10-25T01:45:00+02:00')).toBe(true); // ends 02:45+02:00, still first occurrence
    expect(at('2026-10-25T02:00:00+02:00')).toBe(true); // ends at the transition
    expect(at('2026-10-25T02:15:00+02:00')).toBe(false); // would run into 02:00+01:00
    expect(at('2026-10-25T02:30:00+02:00')).toBe(false);
    expect(at('2026-10-25T02:30:00+01:00')).toBe(false);
    expect(at('2026-10-25T03:00:00+01:00')).toBe(true);
    expect(findStarts(t, cells, 15, OPEN_WINDOW)).toContain(
      quarterAt(t, Date.parse('2026-10-25T02:45:00+02:00')),
    );
    expect(checkQuarter(t, cells, quarterAt(t, Date.parse('2026-10-25T02:15:00+01:00')), 15)).toBe('closed');
  });

  it('a booking in the first occurrence of the repeated hour books that cell; one only in the second changes no cell', () => {
    const t = dayTimeline('2026-10-25', 'Europe/Berlin');
    const open = openCells(t.date, ALL_DAY(t.date), [], []);
    const first = {
      startMs: Date.parse('2026-10-25T02:00:00+02:00'),
      endMs: Date.parse('2026-10-25T02:30:00+02:00'),
    };
    const second = {
      startMs: Date.parse('2026-10-25T02:00:00+01:00'),
      endMs: Date.parse('2026-10-25T02:30:00+01:00'),
    };
    expect(Array.from(specialistCells(t, open, [first]).slice(8, 11))).toEqual([BOOKED, BOOKED, FREE]);
    expect(Array.from(specialistCells(t, open, [second]).slice(8, 11))).toEqual([FREE, FREE, FREE]);
  });

  it('Lord Howe fall-back repeats only half an hour, at +11:00 first', () => {
    const t = dayTimeline('2026-04-05', 'Australia/Lord_Howe');
    const q = t.quarterOfWall[6]; // 01:30
    expect(formatOffset(t.offsetOf[q])).toBe('+11:00');
    expect(new Date(t.startMs + q * QUARTER_MS).toISOString()).toBe('2026-04-04T14:30:00.000Z');
  });
});

function labelToCell(label: string): number {
  const [h, m] = label.split(':').map(Number);
  return h * 4 + m / 15;
}

describe('schedule rules on a plain day', () => {
  const date = '2026-06-15'; // a Monday
  const t = dayTimeline(date, 'Europe/Berlin');
  const weekly: WorkInterval[] = [
    { weekday: 1, startMin: 9 * 60, endMin: 13 * 60 },
    { weekday: 1, startMin: 14 * 60, endMin: 18 * 60 },
    { weekday: 2, startMin: 0, endMin: 1440 },
  ];
  const ex = (e: Partial<DayException>): DayException => ({
    specialistId: 1,
    date,
    kind: 'day_off',
    startMin: null,
    endMin: null,
    ...e,
  });
  const freeLabels = (cells: Uint8Array) =>
    Array.from(cells.keys())
      .filter((c) => cells[c] === FREE)
      .map(cellLabel);
  const startLabels = (cells: Uint8Array, minutes: number, window = OPEN_WINDOW) =>
    findStarts(t, cells, minutes, window).map((q) => cellLabel(t.wallOf[q]));
  const at = (hhmm: string) => Date.parse(`${date}T${hhmm}:00+02:00`);

  const table: {
    name: string;
    own: Partial<DayException>[];
    location: Partial<DayException>[];
    free: [string, number][];
  }[] = [
    {
      name: 'weekly intervals with a lunch break',
      own: [],
      location: [],
      free: [
        ['09:00', 16],
        ['14:00', 16],
      ],
    },
    { name: 'own day off', own: [{ kind: 'day_off' }], location: [], free: [] },
    {
      name: 'own custom hours replace the weekday',
      own: [{ kind: 'custom_hours', startMin: 600, endMin: 720 }],
      location: [],
      free: [['10:00', 8]],
    },
    {
      name: 'two custom-hours rows add up',
      own: [
        { kind: 'custom_hours', startMin: 420, endMin: 480 },
        { kind: 'custom_hours', startMin: 1200, endMin: 1260 },
      ],
      location: [],
      free: [
        ['07:00', 4],
        ['20:00', 4],
      ],
    },
    { name: 'location closed', own: [], location: [{ specialistId: null, kind: 'day_off' }], free: [] },
    {
      name: 'location short day limits weekly hours',
      own: [],
      location: [{ specialistId: null, kind: 'custom_hours', startMin: 8 * 60, endMin: 15 * 60 }],
      free: [
        ['09:00', 16],
        ['14:00', 4],
      ],
    },
    {
      name: 'day off wins over custom hours',
      own: [{ kind: 'custom_hours', startMin: 600, endMin: 720 }, { kind: 'day_off' }],
      location: [],
      free: [],
    },
  ];
  it.each(table)('$name', ({ own, location, free }) => {
    const cells = specialistCells(t, openCells(date, weekly, own.map(ex), location.map(ex)), []);
    const expected = free.flatMap(([from, count]) => labels(from, count));
    expect(freeLabels(cells)).toEqual(expected);
  });

  it('bookings block every cell they touch, unaligned ends included', () => {
    const open = openCells(date, weekly, [], []);
    const cells = specialistCells(t, open, [
      { startMs: at('10:00'), endMs: at('10:50') },
      { startMs: at('12:45'), endMs: at('14:15') },
    ]);
    expect(labels('10:00', 4).map((l) => cells[labelToCell(l)])).toEqual([BOOKED, BOOKED, BOOKED, BOOKED]);
    expect(cells[labelToCell('10:45')]).toBe(BOOKED);
    expect(cells[labelToCell('11:00')]).toBe(FREE);
    expect(cells[labelToCell('13:00')]).toBe(BOOKED); // booked over the break
    expect(cells[labelToCell('14:00')]).toBe(BOOKED);
    expect(cells[labelToCell('14:15')]).toBe(FREE);
    expect(startLabels(cells, 60)).toEqual([
      '09:00',
      '11:00',
      '11:15',
      '11:30',
      '11:45',
      '14:15',
      '14:30',
      '14:45',
      '15:00',
      '15:15',
      '15:30',
      '15:45',
      '16:00',
      '16:15',
      '16:30',
      '16:45',
      '17:00',
    ]);
    expect(checkQuarter(t, cells, quarterAt(t, at('09:45')), 30)).toBe('booked');
    expect(checkQuarter(t, cells, quarterAt(t, at('12:30')), 30)).toBe('booked');
    expect(checkQuarter(t, cells, quarterAt(t, at('17:30')), 45)).toBe('closed');
    expect(checkQuarter(t, cells, quarterAt(t, at('17:15')), 45)).toBe('ok');
  });

  it('a duration that is not a multiple of 15 needs the next whole quarter', () => {
    const cells = specialistCells(
      t,
      openCells(date, [{ weekday: 1, startMin: 600, endMin: 660 }], [], []),
      [],
    );
    expect(startLabels(cells, 40)).toEqual(['10:00', '10:15']);
    expect(startLabels(cells, 45)).toEqual(['10:00', '10:15']);
    expect(startLabels(cells, 46)).toEqual(['10:00']);
    expect(startLabels(cells, 61)).toEqual([]);
  });

  it('minimum notice and horizon cut the starts: earliest inclusive, horizon exclusive', () => {
    const cells = specialistCells(t, openCells(date, weekly, [], []), []);
    const window = { earliestMs: at('10:00'), latestMs: at('11:00') };
    expect(startLabels(cells, 30, window)).toEqual(['10:00', '10:15', '10:30', '10:45']);
    expect(hasStart(t, cells, 30, window)).toBe(true);
    expect(hasStart(t, cells, 30, { earliestMs: at('18:00'), latestMs: at('23:00') })).toBe(false);
    expect(hasStart(t, cells, 30, { earliestMs: 0, latestMs: at('09:00') })).toBe(false);
  });

  it('quarterAt rejects instants off the quarter-hour or outside the day', () => {
    expect(quarterAt(t, at('10:05'))).toBe(-1);
    expect(quarterAt(t, Date.parse('2026-06-14T21:45:00Z'))).toBe(-1);
    expect(quarterAt(t, Date.parse('2026-06-15T22:00:00Z'))).toBe(-1);
    expect(quarterAt(t, Date.parse('2026-06-14T22:00:00Z'))).toBe(0);
  });

  it('nothing runs past the local midnight', () => {
    const cells = specialistCells(
      t,
      openCells(date, [{ weekday: 1, startMin: 1380, endMin: 1440 }], [], []),
      [],
    );
    expect(startLabels(cells, 60)).toEqual(['23:00']);
    expect(checkQuarter(t, cells, quarterAt(t, at('23:30')), 60)).toBe('closed');
  });
});
