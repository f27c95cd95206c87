import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import { authorize } from '../common/access-policy';
import { Actor, isStaff } from '../common/actor';
import { DomainError } from '../common/errors';
import { Clock } from '../infra/clock/clock';
import { UnitOfWork } from '../infra/database/unit-of-work';
import { DomainEvents } from '../infra/events/domain-events';
import { AvailabilityReader, AvailabilitySnapshot, ServiceAvailability, ServiceOffer } from '../booking/api';
import { SlotsApi, StartCheck, StartCheckResult } from './api/slots.api';
import {
  AvailableDaysDto,
  CELL_STATES,
  DaysQuery,
  GridCellDto,
  GridQuery,
  LocationGridDto,
  StartDto,
  StartsDto,
  StartsQuery,
} from './api/slots.dto';
import { CachedDay, GridCache } from './cache/grid-cache';
import {
  addDays,
  CELLS_PER_DAY,
  cellLabel,
  dayTimeline,
  DayTimeline,
  formatOffset,
  localDateOf,
  QUARTER_MS,
} from './grid/day-timeline';
import {
  BOOKED,
  BusyInterval,
  checkQuarter,
  decodeCells,
  encodeCells,
  findStarts,
  hasStart,
  openCells,
  quarterAt,
  specialistCells,
  StartWindow,
} from './grid/slot-grid';

const DAY_MS = 86_400_000;

interface DaySpecialist {
  id: number;
  userId: number;
  name: string;
  cells: Uint8Array;
}

interface DayGrid {
  timeline: DayTimeline;
  specialists: DaySpecialist[];
}

interface LoadedDays {
  timeZone: string;
  active: boolean;
  days: Map<string, DayGrid>;
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

/** The starts window of SPEC §3: at least the minimum notice ahead, before the horizon. */
function windowOf(now: Date, settings: { minNoticeMin: number; horizonDays: number }): StartWindow {
  return {
    earliestMs: now.getTime() + settings.minNoticeMin * 60_000,
    latestMs: now.getTime() + settings.horizonDays * DAY_MS,
  };
}

@Injectable()
export class SlotsService extends SlotsApi implements OnModuleInit {
  constructor(
    private readonly reader: AvailabilityReader,
    private readonly cache: GridCache,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  onModuleInit(): void {
    this.events.on('location.availability_changed', ({ locationId }) => this.invalidateLocation(locationId));
  }

  async localDateOf(locationId: number, instant: Date): Promise<string | null> {
    const location = await this.reader.location(locationId);
    return location ? localDateOf(instant, location.timeZone) : null;
  }

  async invalidateLocation(locationId: number): Promise<void> {
    await this.invalidateLocations([locationId]);
  }

  /**
   * Bumps the locations and every location sharing a specialist with them (a specialist working at several
   * locations is blocked everywhere by a booking anywhere). Never throws. `then` queues more Redis commands
   * in the same round trip, after the bumps: the booking lock's release (see RedisBookingLock).
   */
  async invalidateLocations(
    locationIds: number[],
    then?: (pipeline: ChainableCommander) => void,
  ): Promise<void> {
    const ids = new Set(locationIds);
    for (const locationId of locationIds) {
      try {
        for (const linked of await this.reader.linkedLocationIds(locationId)) ids.add(linked);
      } catch {
        // Bump at least this location; the others age out with the day TTL.
      }
    }
    await this.cache.bump([...ids], then);
  }

  async grid(actor: Actor, query: GridQuery): Promise<LocationGridDto> {
    const scope = authorize(actor, 'schedule', 'read');
    const loaded = await this.loadDays(query.locationId, [query.date]);
    if (!loaded || (!loaded.active && !isStaff(actor)))
      throw DomainError.notFound('location', query.locationId);
    const day = loaded.days.get(query.date)!;
    const t = day.timeline;
    const repeatedWalls = new Set(Array.from(t.wallOf).filter((_, i) => t.repeated[i] === 1));
    const cells: GridCellDto[] = [];
    for (let c = 0; c < CELLS_PER_DAY; c++) {
      const q = t.quarterOfWall[c];
      cells.push({
        label: cellLabel(c),
        exists: q >= 0,
        repeated: repeatedWalls.has(c),
        startAt: q >= 0 ? new Date(t.startMs + q * QUARTER_MS).toISOString() : null,
        utcOffset: q >= 0 ? formatOffset(t.offsetOf[q]) : null,
      });
    }
    const visible =
      scope === 'all' ? day.specialists : day.specialists.filter((s) => s.userId === actor.userId);
    return {
      locationId: query.locationId,
      date: query.date,
      timeZone: loaded.timeZone,
      quarterHours: t.quarters,
      cells,
      specialists: visible.map((s) => ({
        id: s.id,
        name: s.name,
        cells: Array.from(s.cells, (x) => CELL_STATES[x]),
      })),
    };
  }

  async starts(actor: Actor, query: StartsQuery): Promise<StartsDto> {
    const { availability, bookable } = await this.serviceFor(actor, query.locationId, query.serviceId);
    const loaded = await this.loadDays(query.locationId, [query.date]);
    if (!loaded) throw DomainError.notFound('location', query.locationId);
    const day = loaded.days.get(query.date)!;
    this.assertSpecialist(day, query.specialistId, query.locationId);

    const window = windowOf(this.clock.now(), availability.settings);
    const byStart = new Map<number, { offer: ServiceOffer; specialist: DaySpecialist; load: number }[]>();
    if (bookable) {
      for (const { offer, specialist } of this.offersOn(day, availability.offers, query.specialistId)) {
        const load = specialist.cells.reduce((n, c) => n + (c === BOOKED ? 1 : 0), 0);
        for (const q of findStarts(day.timeline, specialist.cells, offer.durationMin, window)) {
          const list = byStart.get(q) ?? [];
          list.push({ offer, specialist, load });
          byStart.set(q, list);
        }
      }
    }
    const t = day.timeline;
    const starts: StartDto[] = [...byStart.keys()]
      .sort((a, b) => a - b)
      .map((q) => {
        // "Any": offer the least busy specialist that day, then the lowest id; the others are listed.
        const [chosen, ...others] = byStart
          .get(q)!
          .sort((a, b) => a.load - b.load || a.specialist.id - b.specialist.id);
        const label = cellLabel(t.wallOf[q]);
        return {
          startAt: new Date(t.startMs + q * QUARTER_MS).toISOString(),
          localTime: label,
          localDateTime: `${query.date}T${label}`,
          utcOffset: formatOffset(t.offsetOf[q]),
          specialistId: chosen.specialist.id,
          specialistName: chosen.specialist.name,
          durationMin: chosen.offer.durationMin,
          price: chosen.offer.price,
          otherSpecialistIds: others.map((o) => o.specialist.id).sort((a, b) => a - b),
        };
      });
    return {
      locationId: query.locationId,
      serviceId: query.serviceId,
      date: query.date,
      timeZone: loaded.timeZone,
      starts,
    };
  }

  async days(actor: Actor, query: DaysQuery): Promise<AvailableDaysDto> {
    const { availability, bookable } = await this.serviceFor(actor, query.locationId, query.serviceId);
    const zone = availability.location.timeZone;
    const window = windowOf(this.clock.now(), availability.settings);
    const first = `${query.month}-01`;
    const monthDates: string[] = [];
    for (let d = first; d.startsWith(query.month); d = addDays(d, 1)) monthDates.push(d);
    const candidates = bookable
      ? monthDates.filter((d) => {
          const t = dayTimeline(d, zone);
          return t.endMs > window.earliestMs && t.startMs < window.latestMs;
        })
      : [];
    const loaded = await this.loadDays(query.locationId, candidates.length > 0 ? candidates : [first]);
    if (!loaded) throw DomainError.notFound('location', query.locationId);
    this.assertSpecialist(loaded.days.values().next().value!, query.specialistId, query.locationId);

    const days = candidates.filter((date) => {
      const day = loaded.days.get(date)!;
      return this.offersOn(day, availability.offers, query.specialistId).some(({ offer, specialist }) =>
        hasStart(day.timeline, specialist.cells, offer.durationMin, window),
      );
    });
    return {
      locationId: query.locationId,
      serviceId: query.serviceId,
      month: query.month,
      timeZone: zone,
      days,
    };
  }

  async checkStart(check: StartCheck): Promise<StartCheckResult> {
    const ms = check.startAt.getTime();
    if (!Number.isFinite(ms) || ms % QUARTER_MS !== 0) return { ok: false, reason: 'misaligned' };
    const availability = await this.reader.serviceAt(check.locationId, check.serviceId);
    if (!availability?.service || !availability.location.active || !availability.service.active) {
      return { ok: false, reason: 'not_offered' };
    }
    const offer = availability.offers.find((o) => o.specialistId === check.specialistId);
    if (!offer) return { ok: false, reason: 'not_offered' };
    const window = windowOf(this.clock.now(), availability.settings);
    if (ms < window.earliestMs) return { ok: false, reason: 'too_soon' };
    if (ms >= window.latestMs) return { ok: false, reason: 'beyond_horizon' };

    const date = localDateOf(ms, availability.location.timeZone);
    // Only this specialist's row of the day, straight from the database: after every booking the cached grid is
    // stale anyway, and recomputing all the location's specialists to check one start was most of a booking's cost.
    // A booking being moved does not block itself.
    const snapshot = await this.reader.read(check.locationId, date, date, {
      specialistId: check.specialistId,
      excludeBookingId: check.ignoreBookingId,
    });
    const day = snapshot ? gridsFromSnapshot(snapshot, [date]).get(date) : undefined;
    const specialist = day?.specialists.find((s) => s.id === check.specialistId);
    if (!day || !specialist) return { ok: false, reason: 'not_offered' };
    const q = quarterAt(day.timeline, ms);
    if (q < 0) return { ok: false, reason: 'misaligned' };
    const verdict = checkQuarter(day.timeline, specialist.cells, q, offer.durationMin);
    if (verdict !== 'ok') return { ok: false, reason: verdict };
    return { ok: true, durationMin: offer.durationMin, price: offer.price };
  }

  /** Location and service for a caller: unknown ones 404; inactive ones 404 for everyone but staff, who see no starts. */
  private async serviceFor(
    actor: Actor,
    locationId: number,
    serviceId: number,
  ): Promise<{ availability: ServiceAvailability; bookable: boolean }> {
    authorize(actor, 'location', 'read');
    const availability = await this.reader.serviceAt(locationId, serviceId);
    if (!availability || (!availability.location.active && !isStaff(actor)))
      throw DomainError.notFound('location', locationId);
    if (!availability.service || (!availability.service.active && !isStaff(actor)))
      throw DomainError.notFound('service', serviceId);
    return { availability, bookable: availability.location.active && availability.service.active };
  }

  private assertSpecialist(day: DayGrid, specialistId: number | undefined, locationId: number): void {
    if (specialistId !== undefined && !day.specialists.some((s) => s.id === specialistId)) {
      throw DomainError.notFound(`specialist ${specialistId} at location`, locationId);
    }
  }

  /** Specialists on the grid who offer the service (optionally only one of them). */
  private offersOn(
    day: DayGrid,
    offers: ServiceOffer[],
    specialistId: number | undefined,
  ): { offer: ServiceOffer; specialist: DaySpecialist }[] {
    const result: { offer: ServiceOffer; specialist: DaySpecialist }[] = [];
    for (const offer of offers) {
      if (specialistId !== undefined && offer.specialistId !== specialistId) continue;
      const specialist = day.specialists.find((s) => s.id === offer.specialistId);
      if (specialist) result.push({ offer, specialist });
    }
    return result;
  }

  /** L1 (Redis, versioned) then L2 (database) for a set of local dates; null when the location does not exist. */
  private async loadDays(locationId: number, dates: string[]): Promise<LoadedDays | null> {
    const { version, days: cached } = await this.cache.read(locationId, dates);
    const days = new Map<string, DayGrid>();
    let head: { timeZone: string; active: boolean } | undefined;
    for (const [date, c] of cached) {
      head ??= { timeZone: c.tz, active: c.active };
      days.set(date, fromCache(date, c));
    }
    const missing = dates.filter((d) => !cached.has(d));
    if (missing.length > 0) {
      const sorted = [...missing].sort();
      const marker = this.uow.readMarker();
      const snapshot = await this.reader.read(locationId, sorted[0], sorted[sorted.length - 1]);
      if (!snapshot) return null;
      head = { timeZone: snapshot.location.timeZone, active: snapshot.location.active };
      const computed = gridsFromSnapshot(snapshot, missing);
      for (const [date, grid] of computed) days.set(date, grid);
      // Never cache what may include rows of a transaction that could still roll back.
      if (version !== null && this.uow.quietSince(marker)) {
        const toStore = new Map<string, Omit<CachedDay, 'v'>>();
        for (const [date, grid] of computed) {
          toStore.set(date, {
            tz: head.timeZone,
            active: head.active,
            specialists: grid.specialists.map((s) => ({
              id: s.id,
              userId: s.userId,
              name: s.name,
              cells: encodeCells(s.cells),
            })),
          });
        }
        await this.cache.write(locationId, version, toStore);
      }
    }
    return { ...head!, days };
  }
}

function fromCache(date: string, c: CachedDay): DayGrid {
  return {
    timeline: dayTimeline(date, c.tz),
    specialists: c.specialists.map((s) => ({
      id: s.id,
      userId: s.userId,
      name: s.name,
      cells: decodeCells(s.cells),
    })),
  };
}
