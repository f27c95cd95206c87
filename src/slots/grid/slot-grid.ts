import { CELLS_PER_DAY, DayTimeline, isoWeekday, QUARTER_MS } from './day-timeline';

/**
 * The slots engine: pure functions from schedules, exceptions and bookings to the 96-cell
 * wall-clock grid of a specialist and to the starts a service can take.
 *
 * Clock changes (see day-timeline.ts):
 * - Wall-clock cells that do not exist that day (clocks go forward) are closed and never offered.
 * - Repeated wall-clock cells (clocks go back): a cell means its FIRST occurrence, the earlier instant
 *   at the pre-transition offset (what luxon and Temporal's "compatible" disambiguation pick for a typed
 *   local time). The second occurrence is closed: nothing starts in it and no booking may run into it.
 *   So "02:30" on Berlin 2026-10-25 is always 02:30+02:00, never 02:30+01:00.
 * - A service needs ceil(D/15) consecutive free REAL quarter-hours, so on a spring-forward day a
 *   60-minute service may start at 01:30 and end at 03:30 wall-clock: one real hour of work.
 * - A booking ends by the end of its local day (the next local midnight).
 */

export const CLOSED = 0;
export const FREE = 1;
export const BOOKED = 2;
export type CellState = typeof CLOSED | typeof FREE | typeof BOOKED;
export const CELL_STATE_NAMES = ['closed', 'free', 'booked'] as const;
export type CellStateName = (typeof CELL_STATE_NAMES)[number];

export interface WorkInterval {
  /** ISO weekday 1..7 */
  weekday: number;
  startMin: number;
  endMin: number;
}

export interface DayException {
  /** null: the whole location */
  specialistId: number | null;
  date: string;
  kind: 'day_off' | 'custom_hours';
  startMin: number | null;
  endMin: number | null;
}

export interface BusyInterval {
  startMs: number;
  endMs: number;
}

function markOpen(open: Uint8Array, startMin: number, endMin: number): void {
  // A cell is open only when the whole quarter-hour lies inside the interval.
  const from = Math.max(0, Math.ceil(startMin / 15));
  const to = Math.min(CELLS_PER_DAY, Math.floor(endMin / 15));
  for (let c = from; c < to; c++) open[c] = 1;
}

/**
 * Which wall-clock cells the specialist works on the date, before bookings:
 * - a location-wide day off closes everything;
 * - the specialist's day off closes everything; their custom hours replace that weekday's intervals;
 * - location-wide custom hours (a short day) limit everyone to those hours.
 * Several rows of the same kind on one date add up.
 */
export function openCells(
  date: string,
  weekly: readonly WorkInterval[],
  ownExceptions: readonly DayException[],
  locationExceptions: readonly DayException[],
): Uint8Array {
  const open = new Uint8Array(CELLS_PER_DAY);
  if (locationExceptions.some((e) => e.kind === 'day_off') || ownExceptions.some((e) => e.kind === 'day_off'))
    return open;
  const custom = ownExceptions.filter((e) => e.kind === 'custom_hours');
  if (custom.length > 0) {
    for (const e of custom) markOpen(open, e.startMin ?? 0, e.endMin ?? 0);
  } else {
    const weekday = isoWeekday(date);
    for (const i of weekly) if (i.weekday === weekday) markOpen(open, i.startMin, i.endMin);
  }
  const locationHours = locationExceptions.filter((e) => e.kind === 'custom_hours');
  if (locationHours.length > 0) {
    const allowed = new Uint8Array(CELLS_PER_DAY);
    for (const e of locationHours) markOpen(allowed, e.startMin ?? 0, e.endMin ?? 0);
    for (let c = 0; c < CELLS_PER_DAY; c++) open[c] &= allowed[c];
  }
  return open;
}

/**
 * The 96 wall-clock cells of one specialist on the timeline's day: closed, free or booked.
 * Booked wins over closed so staff see a booking that a later schedule change left outside hours.
 */
export function specialistCells(
  timeline: DayTimeline,
  open: Uint8Array,
  bookings: readonly BusyInterval[],
): Uint8Array {
  const cells = new Uint8Array(CELLS_PER_DAY);
  for (let c = 0; c < CELLS_PER_DAY; c++)
    cells[c] = timeline.quarterOfWall[c] >= 0 && open[c] ? FREE : CLOSED;
  for (const b of bookings) {
    if (b.endMs <= timeline.startMs || b.startMs >= timeline.endMs) continue;
    const first = Math.max(0, Math.floor((b.startMs - timeline.startMs) / QUARTER_MS));
    const last = Math.min(timeline.quarters - 1, Math.ceil((b.endMs - timeline.startMs) / QUARTER_MS) - 1);
    for (let q = first; q <= last; q++) {
      // The second occurrence of a repeated cell is not on the wall-clock grid (it is closed by rule).
      if (!timeline.repeated[q]) cells[timeline.wallOf[q]] = BOOKED;
    }
  }
  return cells;
}

/** Quarters a service of this duration occupies. */
export function quartersFor(durationMin: number): number {
  return Math.max(1, Math.ceil(durationMin / 15));
}

/** Whether a real quarter-hour can hold part of a new booking. */
function usable(timeline: DayTimeline, cells: Uint8Array, q: number): boolean {
  return timeline.repeated[q] === 0 && cells[timeline.wallOf[q]] === FREE;
}

export interface StartWindow {
  /** Earliest allowed start (now + minimum notice), UTC ms, inclusive. */
  earliestMs: number;
  /** Horizon (now + horizon days), UTC ms, exclusive. */
  latestMs: number;
}

/** Indices of the real quarter-hours where a service of `durationMin` can start. */
export function findStarts(
  timeline: DayTimeline,
  cells: Uint8Array,
  durationMin: number,
  window: StartWindow,
): number[] {
  const need = quartersFor(durationMin);
  const starts: number[] = [];
  if (window.earliestMs >= timeline.endMs || window.latestMs <= timeline.startMs) return starts;
  let run = 0;
  // Count free quarters ending at q; a start fits at q - need + 1 once the run is long enough.
  for (let q = 0; q < timeline.quarters; q++) {
    run = usable(timeline, cells, q) ? run + 1 : 0;
    if (run >= need) {
      const start = q - need + 1;
      const ms = timeline.startMs + start * QUARTER_MS;
      if (ms >= window.earliestMs && ms < window.latestMs) starts.push(start);
    }
  }
  return starts;
}

/** True as soon as one start exists (the calendar view needs no more). */
export function hasStart(
  timeline: DayTimeline,
  cells: Uint8Array,
  durationMin: number,
  window: StartWindow,
): boolean {
  const need = quartersFor(durationMin);
  if (window.earliestMs >= timeline.endMs || window.latestMs <= timeline.startMs) return false;
  let run = 0;
  for (let q = 0; q < timeline.quarters; q++) {
    run = usable(timeline, cells, q) ? run + 1 : 0;
    if (run >= need) {
      const ms = timeline.startMs + (q - need + 1) * QUARTER_MS;
      if (ms >= window.earliestMs && ms < window.latestMs) return true;
    }
  }
  return false;
}

/** The real quarter-hour index an instant starts, or -1 when it is not a quarter-hour boundary of this day. */
export function quarterAt(timeline: DayTimeline, ms: number): number {
  const offset = ms - timeline.startMs;
  if (offset < 0 || ms >= timeline.endMs || offset % QUARTER_MS !== 0) return -1;
  return offset / QUARTER_MS;
}

/** Why a service of this duration cannot start at quarter q, or 'ok'. */
export function checkQuarter(
  timeline: DayTimeline,
  cells: Uint8Array,
  q: number,
  durationMin: number,
): 'ok' | 'closed' | 'booked' {
  const need = quartersFor(durationMin);
  if (q < 0 || q + need > timeline.quarters) return 'closed';
  let booked = false;
  for (let i = q; i < q + need; i++) {
    if (timeline.repeated[i]) return 'closed';
    const state = cells[timeline.wallOf[i]];
    if (state === CLOSED) return 'closed';
    if (state === BOOKED) booked = true;
  }
  return booked ? 'booked' : 'ok';
}

/** Compact form for the cache: one digit per cell. */
export function encodeCells(cells: Uint8Array): string {
  return String.fromCharCode(...Array.from(cells, (c) => 48 + c));
}

export function decodeCells(encoded: string): Uint8Array {
  const cells = new Uint8Array(CELLS_PER_DAY);
  for (let c = 0; c < CELLS_PER_DAY; c++) cells[c] = encoded.charCodeAt(c) - 48;
  return cells;
}
