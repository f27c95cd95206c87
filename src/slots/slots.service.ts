import { Injectable } from '@nestjs/common';
import { authorize } from '../common/access-policy';
import { Actor, isStaff } from '../common/actor';
import { DomainError } from '../common/errors';
import { Clock } from '../infra/clock/clock';
import { UnitOfWork } from '../infra/database/unit-of-work';
import { AvailabilityReader, ServiceAvailability, ServiceOffer } from './api/availability.api';
import { SlotsApi } from './api/slots.api';
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
  CELLS_PER_DAY,
  cellLabel,
  datesOf,
  dayTimeline,
  formatOffset,
  QUARTER_MS,
} from './grid/day-timeline';
import { BOOKED, decodeCells, encodeCells, findStarts, hasStart } from './grid/slot-grid';
import { DayGrid, DaySpecialist, gridsFromSnapshot, windowOf } from './grid/snapshot-grids';

interface LoadedDays {
  timeZone: string;
  active: boolean;
  days: Map<string, DayGrid>;
}

/** Decoded days of one location at one version of its grids (read-only: never changed once built). */
interface DecodedDays {
  version: string;
  /** performance.now() after which they are read from Redis again. */
  until: number;
  head: { timeZone: string; active: boolean } | undefined;
  days: Map<string, DayGrid>;
}

interface Computed {
  head: { timeZone: string; active: boolean };
  grids: Map<string, DayGrid>;
}

/** A location's decoded days kept at most: more than a year of dates is dropped and read again. */
const MEMO_DAYS = 400;
/**
 * How long decoded days are used without reading them from Redis again. Only matters when a version bump
 * failed on another instance (Redis blip): L1 is then bounded by its day TTL, and L0 by that plus this.
 */
const MEMO_MS = 60_000;

@Injectable()
export class SlotsService extends SlotsApi {
  private readonly decoded = new Map<number, DecodedDays>();
  private readonly flights = new Map<string, Promise<Computed | null>>();

  constructor(
    private readonly reader: AvailabilityReader,
    private readonly cache: GridCache,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
  ) {
    super();
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
    const monthDates = datesOf(query.month);
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

  /**
   * L0 (this process, decoded), L1 (Redis, versioned) then L2 (database) for a set of local dates; null when
   * the location does not exist. L0 holds days of the location's current version only: each read checks the
   * version in Redis, so a write on any instance (which bumps it) retires them at once.
   */
  private async loadDays(locationId: number, dates: string[]): Promise<LoadedDays | null> {
    let known = this.decoded.get(locationId);
    if (known && known.until < performance.now()) known = undefined;
    const { version, days: cached } = await this.cache.read(
      locationId,
      dates,
      known && { version: known.version, has: (date) => known.days.has(date) },
    );
    let memo = version === null ? undefined : known?.version === version ? known : undefined;
    if (version !== null && !memo) {
      memo = { version, until: performance.now() + MEMO_MS, head: undefined, days: new Map() };
      this.decoded.set(locationId, memo);
    }
    const days = new Map<string, DayGrid>();
    let head = memo?.head;
    for (const date of dates) {
      const held = memo?.days.get(date);
      if (held) days.set(date, held);
    }
    for (const [date, c] of cached) {
      head ??= { timeZone: c.tz, active: c.active };
      const grid = fromCache(date, c);
      days.set(date, grid);
      memo?.days.set(date, grid);
    }
    if (memo && head) memo.head ??= head;
    const missing = dates.filter((d) => !days.has(d));
    if (missing.length > 0) {
      const computed = await this.computeOnce(locationId, version, missing, memo);
      if (!computed) return null;
      head = computed.head;
      for (const [date, grid] of computed.grids) days.set(date, grid);
    }
    if (memo && memo.days.size > MEMO_DAYS) memo.days.clear();
    return { ...head!, days };
  }

  /**
   * Days computed from the database, once for concurrent readers of the same days at the same version (a
   * burst of calendars after a booking would each read and grid the month).
   */
  private computeOnce(
    locationId: number,
    version: string | null,
    missing: string[],
    memo: DecodedDays | undefined,
  ): Promise<Computed | null> {
    if (version === null) return this.compute(locationId, null, missing, undefined);
    const key = `${locationId} ${version} ${missing.join(' ')}`;
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.compute(locationId, version, missing, memo).finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }

  private async compute(
    locationId: number,
    version: string | null,
    missing: string[],
    memo: DecodedDays | undefined,
  ): Promise<Computed | null> {
    const sorted = [...missing].sort();
    const marker = this.uow.readMarker();
    const snapshot = await this.reader.read(locationId, sorted[0], sorted[sorted.length - 1]);
    if (!snapshot) return null;
    const head = { timeZone: snapshot.location.timeZone, active: snapshot.location.active };
    const grids = gridsFromSnapshot(snapshot, missing);
    // Never cache what may include rows of a transaction that could still roll back.
    if (version !== null && this.uow.quietSince(marker)) {
      const toStore = new Map<string, Omit<CachedDay, 'v'>>();
      if (memo) memo.head ??= head;
      for (const [date, grid] of grids) {
        memo?.days.set(date, grid);
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
    return { head, grids };
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
