import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import { localDateOf } from '../common/local-date';
import { Clock } from '../infra/clock/clock';
import { DomainEvents } from '../infra/events/domain-events';
import { AvailabilityReader } from './api/availability.api';
import { SlotChecks, StartCheck, StartCheckResult } from './api/slot-checks.api';
import { GridCache } from './cache/grid-cache';
import { QUARTER_MS } from './grid/day-timeline';
import { checkQuarter, quarterAt } from './grid/slot-grid';
import { gridsFromSnapshot, windowOf } from './grid/snapshot-grids';

/** The booking lifecycle's side of the slots engine: checks one start against the database and drops cached grids. */
@Injectable()
export class SlotChecksService extends SlotChecks implements OnModuleInit {
  constructor(
    private readonly reader: AvailabilityReader,
    private readonly cache: GridCache,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
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
}
