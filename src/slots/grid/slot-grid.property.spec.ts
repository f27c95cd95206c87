import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { dayTimeline, QUARTER_MS } from './day-timeline';
import {
  BusyInterval,
  CELL_STATE_NAMES,
  DayException,
  findStarts,
  openCells,
  specialistCells,
  WorkInterval,
} from './slot-grid';

/**
 * A deliberately naive reference: walk every real minute of the local day, ask the zone for its
 * wall-clock time, and apply the rules minute by minute. The engine must agree on every cell and
 * every start.
 */
interface Scenario {
  zone: string;
  date: string;
  specialists: { weekly: WorkInterval[]; bookings: BusyInterval[] }[];
  exceptions: (DayException & { owner: number | null })[];
  durationMin: number;
  window: { earliestMs: number; latestMs: number };
}

const MINUTE = 60_000;

const minutesMemo = new Map<string, { ms: number; wall: number; first: boolean }[]>();

/** Every real minute whose local date is the day, in UTC order, with its wall-clock minute and whether it is that minute's first occurrence. */
function realMinutes(zoneName: string, date: string): { ms: number; wall: number; first: boolean }[] {
  const key = `${zoneName}|${date}`;
  const cached = minutesMemo.get(key);
  if (cached) return cached;
  const zone = IANAZone.create(zoneName);
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const minutes: { ms: number; wall: number; first: boolean }[] = [];
  const seen = new Set<number>();
  for (let ms = midnight - 15 * 3_600_000; ms < midnight + 39 * 3_600_000; ms += MINUTE) {
    const local = new Date(ms + zone.offset(ms) * MINUTE);
    if (local.toISOString().slice(0, 10) !== date) continue;
    const wall = local.getUTCHours() * 60 + local.getUTCMinutes();
    minutes.push({ ms, wall, first: !seen.has(wall) });
    seen.add(wall);
  }
  minutesMemo.set(key, minutes);
  return minutes;
}

function reference(s: Scenario): { cells: string[][]; starts: string[] } {
  const weekday = DateTime.fromISO(s.date).weekday;
  const minutes = realMinutes(s.zone, s.date);
  const locationRows = s.exceptions.filter((e) => e.owner === null);
  const inside = (rows: { startMin: number | null; endMin: number | null }[], w: number) =>
    rows.some((r) => (r.startMin ?? 0) <= w && w < (r.endMin ?? 0));

  const cells: string[][] = [];
  const starts: string[] = [];
  s.specialists.forEach((spec, id) => {
    const own = s.exceptions.filter((e) => e.owner === id);
    const dayOff = [...own, ...locationRows].some((e) => e.kind === 'day_off');
    const ownCustom = own.filter((e) => e.kind === 'custom_hours');
    const locCustom = locationRows.filter((e) => e.kind === 'custom_hours');
    const openAt = (w: number) => {
      if (dayOff) return false;
      const works = ownCustom.length
        ? inside(ownCustom, w)
        : inside(
            spec.weekly.filter((i) => i.weekday === weekday),
            w,
          );
      return works && (locCustom.length === 0 || inside(locCustom, w));
    };
    const bookedAt = (ms: number) => spec.bookings.some((b) => b.startMs <= ms && ms < b.endMs);
    const usable = minutes.map((m) => m.first && openAt(m.wall) && !bookedAt(m.ms));

    const row: string[] = [];
    for (let c = 0; c < 96; c++) {
      const i = minutes.findIndex((m) => m.first && m.wall === c * 15);
      if (i < 0) {
        row.push('closed');
        continue;
      }
      const quarter = minutes.slice(i, i + 15);
      row.push(quarter.some((m) => bookedAt(m.ms)) ? 'booked' : openAt(c * 15) ? 'free' : 'closed');
    }
    cells.push(row);

    const need = Math.ceil(s.durationMin / 15) * 15;
    minutes.forEach((m, i) => {
      if (m.wall % 15 !== 0 || m.ms < s.window.earliestMs || m.ms >= s.window.latestMs) return;
      if (i + need > minutes.length) return;
      for (let k = 0; k < need; k++) if (!usable[i + k]) return;
      starts.push(`${id}@${new Date(m.ms).toISOString()}`);
    });
  });
  return { cells, starts };
}

function engine(s: Scenario): { cells: string[][]; starts: string[] } {
  const timeline = dayTimeline(s.date, s.zone);
  const locationRows = s.exceptions.filter((e) => e.owner === null);
  const cells: string[][] = [];
  const starts: string[] = [];
  s.specialists.forEach((spec, id) => {
    const open = openCells(
      s.date,
      spec.weekly,
      s.exceptions.filter((e) => e.owner === id),
      locationRows,
    );
    const grid = specialistCells(timeline, open, spec.bookings);
    cells.push(Array.from(grid, (c) => CELL_STATE_NAMES[c]));
    for (const q of findStarts(timeline, grid, s.durationMin, s.window)) {
      starts.push(`${id}@${new Date(timeline.startMs + q * QUARTER_MS).toISOString()}`);
    }
  });
  return { cells, starts };
}

const DAYS: [string, string][] = [
  ['Europe/Berlin', '2026-03-29'],
  ['Europe/Berlin', '2026-10-25'],
  ['Europe/Berlin', '2026-06-16'],
  ['America/New_York', '2026-03-08'],
  ['America/New_York', '2026-11-01'],
  ['Australia/Lord_Howe', '2026-04-05'],
  ['Australia/Lord_Howe', '2026-10-04'],
  ['Asia/Kolkata', '2026-07-01'],
  ['Europe/Moscow', '2026-10-25'],
  ['America/Santiago', '2026-09-06'],
  ['America/Santiago', '2026-04-04'],
];

const hours = fc
  .tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 96 }))
  .map(([from, len]) => ({ startMin: from * 15, endMin: Math.min(96, from + len) * 15 }));

const scenario: fc.Arbitrary<Scenario> = fc.constantFrom(...DAYS).chain(([zone, date]) => {
  const weekday = DateTime.fromISO(date).weekday;
  const midnight = Date.parse(`${date}T00:00:00Z`);
  // Starts from 15 h before to 39 h after UTC midnight: every zone's local day lies inside.
  const booking = fc
    .tuple(fc.integer({ min: -60, max: 156 }), fc.integer({ min: 1, max: 240 }))
    .map(([q, len]) => ({
      startMs: midnight + q * QUARTER_MS,
      endMs: midnight + q * QUARTER_MS + len * MINUTE,
    }));
  const specialist = fc.record({
    weekly: fc.array(
      fc
        .tuple(fc.oneof(fc.constant(weekday), fc.integer({ min: 1, max: 7 })), hours)
        .map(([wd, h]) => ({ weekday: wd, ...h })),
      { maxLength: 3 },
    ),
    bookings: fc.array(booking, { maxLength: 6 }),
  });
  return fc.record({
    zone: fc.constant(zone),
    date: fc.constant(date),
    specialists: fc.array(specialist, { minLength: 1, maxLength: 3 }),
    exceptions: fc.array(
      fc
        .tuple(
          fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
          fc.constantFrom('day_off' as const, 'custom_hours' as const),
          hours,
        )
        .map(([owner, kind, h]) => ({
          owner,
          specialistId: owner,
          date,
          kind,
          startMin: kind === 'custom_hours' ? h.startMin : null,
          endMin: kind === 'custom_hours' ? h.endMin : null,
        })),
      { maxLength: 3 },
    ),
    durationMin: fc.integer({ min: 5, max: 180 }),
    window: fc
      .tuple(fc.integer({ min: -26 * 60, max: 26 * 60 }), fc.integer({ min: 0, max: 30 * 60 }))
      .map(([from, len]) => ({
        earliestMs: midnight + from * MINUTE,
        latestMs: midnight + (from + len) * MINUTE,
      })),
  });
});

describe('slot engine against a minute-by-minute reference', () => {
  it('agrees on every cell and every start for random schedules, exceptions and bookings', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        expect(engine(s)).toEqual(reference(s));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees when everything is open (so the DST edges carry the whole result)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DAYS), fc.integer({ min: 5, max: 240 }), ([zone, date], durationMin) => {
        const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 0, endMin: 1440 }));
        const s: Scenario = {
          zone,
          date,
          specialists: [{ weekly, bookings: [] }],
          exceptions: [],
          durationMin,
          window: { earliestMs: 0, latestMs: Number.MAX_SAFE_INTEGER },
        };
        const result = engine(s);
        expect(result).toEqual(reference(s));
        expect(result.starts.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });
});
