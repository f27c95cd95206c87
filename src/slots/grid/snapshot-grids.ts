import type { AvailabilitySnapshot } from '../api/availability.api';
import { dayTimeline, DayTimeline } from './day-timeline';
import { BusyInterval, openCells, specialistCells, StartWindow } from './slot-grid';

const DAY_MS = 86_400_000;

export interface DaySpecialist {
  id: number;
  userId: number;
  name: string;
  cells: Uint8Array;
}

export interface DayGrid {
  timeline: DayTimeline;
  specialists: DaySpecialist[];
}

/** Builds the grids of the given dates from one database snapshot (pure apart from the timeline memo). */
export function gridsFromSnapshot(snapshot: AvailabilitySnapshot, dates: string[]): Map<string, DayGrid> {
  const zone = snapshot.location.timeZone;
  const busy = new Map<number, BusyInterval[]>();
  for (const b of snapshot.bookings) {
    const list = busy.get(b.specialistId) ?? [];
    list.push({ startMs: b.startAt.getTime(), endMs: b.endAt.getTime() });
    busy.set(b.specialistId, list);
  }
  for (const list of busy.values()) list.sort((x, y) => x.startMs - y.startMs);
  const exceptionsByDate = new Map<string, AvailabilitySnapshot['exceptions']>();
  for (const e of snapshot.exceptions)
    exceptionsByDate.set(e.date, [...(exceptionsByDate.get(e.date) ?? []), e]);

  const grids = new Map<string, DayGrid>();
  for (const date of dates) {
    const timeline = dayTimeline(date, zone);
    const exceptions = exceptionsByDate.get(date) ?? [];
    const locationWide = exceptions.filter((e) => e.specialistId === null);
    const specialists = snapshot.specialists.map((s) => ({
      id: s.id,
      userId: s.userId,
      name: s.name,
      cells: specialistCells(
        timeline,
        openCells(
          date,
          s.intervals,
          exceptions.filter((e) => e.specialistId === s.id),
          locationWide,
        ),
        bookingsOn(timeline, busy.get(s.id)),
      ),
    }));
    grids.set(date, { timeline, specialists });
  }
  return grids;
}

/** The bookings (sorted by start, none longer than a day) that can touch the timeline's day. */
function bookingsOn(timeline: DayTimeline, sorted: BusyInterval[] | undefined): BusyInterval[] {
  if (!sorted) return [];
  const earliest = timeline.startMs - DAY_MS;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].startMs < earliest) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end].startMs < timeline.endMs) end++;
  return sorted.slice(lo, end);
}

/** The starts window: at least the minimum notice ahead, before the horizon. */
export function windowOf(now: Date, settings: { minNoticeMin: number; horizonDays: number }): StartWindow {
  return {
    earliestMs: now.getTime() + settings.minNoticeMin * 60_000,
    latestMs: now.getTime() + settings.horizonDays * DAY_MS,
  };
}
