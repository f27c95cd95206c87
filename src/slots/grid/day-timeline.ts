import { DateTime, IANAZone } from 'luxon';

export const QUARTER_MS = 15 * 60_000;
export const CELLS_PER_DAY = 96;

/**
 * The real quarter-hours of one local day in one time zone, in UTC order.
 *
 * A plain day has 96 of them, one per wall-clock cell. When clocks go forward the skipped
 * wall-clock cells have no quarter-hour at all (Berlin 2026-03-29: 92 quarters); when they go
 * back, the repeated wall-clock cells get a second quarter-hour flagged `repeated`
 * (Berlin 2026-10-25: 100 quarters). The rule for the repeated period lives in slot-grid.ts.
 */
export interface DayTimeline {
  readonly date: string;
  readonly zone: string;
  /** UTC ms of the first instant of the local day (local midnight, or the first time after it that exists). */
  readonly startMs: number;
  /** UTC ms of the first instant of the next local day. */
  readonly endMs: number;
  /** Number of real quarter-hours in the day. */
  readonly quarters: number;
  /** Wall-clock cell (0..95) of each real quarter-hour. */
  readonly wallOf: Int16Array;
  /** UTC offset in minutes of each real quarter-hour. */
  readonly offsetOf: Int16Array;
  /** 1 when the quarter-hour repeats a wall-clock cell already seen earlier that day. */
  readonly repeated: Uint8Array;
  /** For each wall-clock cell, its first real quarter-hour, or -1 when the cell does not exist that day. */
  readonly quarterOfWall: Int16Array;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a calendar date, whatever the zone. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The calendar date `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Every calendar date of a `YYYY-MM` month, in order (a calendar asks this for each month it shows). */
export function datesOf(month: string): string[] {
  const [year, monthNumber] = month.split('-').map(Number);
  // Day 0 of the next month is this month's last day.
  const length = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const dates: string[] = [];
  for (let day = 1; day <= length; day++) dates.push(`${month}-${day < 10 ? '0' : ''}${day}`);
  return dates;
}

function build(date: string, zone: string): DayTimeline {
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new Error(`invalid time zone ${zone}`);
  const startMs = DateTime.fromISO(date, { zone }).startOf('day').toMillis();
  const endMs = DateTime.fromISO(addDays(date, 1), { zone }).startOf('day').toMillis();
  const quarters = Math.round((endMs - startMs) / QUARTER_MS);
  const wallOf = new Int16Array(quarters);
  const offsetOf = new Int16Array(quarters);
  const repeated = new Uint8Array(quarters);
  const quarterOfWall = new Int16Array(CELLS_PER_DAY).fill(-1);
  const localMidnightAsUtc = Date.parse(`${date}T00:00:00Z`);
  const firstOffset = tz.offset(startMs);
  // One offset lookup costs microseconds: days without a transition (both ends agree, 24 h long) skip the per-quarter scan.
  const uniform = quarters === CELLS_PER_DAY && tz.offset(endMs - 1) === firstOffset;
  for (let q = 0; q < quarters; q++) {
    const utc = startMs + q * QUARTER_MS;
    const offset = uniform ? firstOffset : tz.offset(utc);
    const wall = Math.floor((utc + offset * 60_000 - localMidnightAsUtc) / QUARTER_MS);
    wallOf[q] = wall;
    offsetOf[q] = offset;
    if (wall < 0 || wall >= CELLS_PER_DAY) {
      repeated[q] = 1;
    } else if (quarterOfWall[wall] === -1) {
      quarterOfWall[wall] = q;
    } else {
      repeated[q] = 1;
    }
  }
  return { date, zone, startMs, endMs, quarters, wallOf, offsetOf, repeated, quarterOfWall };
}

const memo = new Map<string, DayTimeline>();
const MEMO_LIMIT = 20_000;

/** The timeline of a local date in a zone; a pure function of tzdata, so it is memoized for the process. */
export function dayTimeline(date: string, zone: string): DayTimeline {
  const key = `${zone}|${date}`;
  let timeline = memo.get(key);
  if (!timeline) {
    timeline = build(date, zone);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, timeline);
  }
  return timeline;
}

/** "+05:30" style offset. */
export function formatOffset(offsetMin: number): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "HH:mm" of a wall-clock cell. */
export function cellLabel(cell: number): string {
  const min = cell * 15;
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}
