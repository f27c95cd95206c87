import { DataSource } from 'typeorm';
import { BookingEntity } from '../../src/booking/entities/booking.entity';
import { BusinessSettingsEntity } from '../../src/booking/entities/business-settings.entity';
import { LocationEntity } from '../../src/booking/entities/location.entity';
import { ScheduleExceptionEntity, WorkIntervalEntity } from '../../src/booking/entities/schedule.entity';
import { ServiceEntity } from '../../src/booking/entities/service.entity';
import {
  SpecialistEntity,
  SpecialistLocationEntity,
  SpecialistServiceEntity,
} from '../../src/booking/entities/specialist.entity';
import { CatalogCache } from '../../src/booking/catalog/catalog-cache';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { DomainEvents } from '../../src/infra/events/domain-events';
import type { TestApp } from './test-app';

/**
 * Seeds salon data straight through the DataSource (inside UnitOfWork, as every write must be)
 * and then announces the change the way the catalog does, so the catalog and slots caches hear about it.
 */
export class SlotsFixtures {
  constructor(private readonly t: TestApp) {}

  get ds(): DataSource {
    return this.t.app.get(DataSource);
  }

  private async write<T>(locationIds: number[], work: Parameters<UnitOfWork['run']>[0]): Promise<T> {
    const result = (await this.t.get(UnitOfWork).run(work)) as T;
    await this.t.get(CatalogCache).changed();
    for (const locationId of locationIds)
      await this.t.get(DomainEvents).emit('location.availability_changed', { locationId });
    return result;
  }

  async settings(
    values: Partial<Pick<BusinessSettingsEntity, 'minNoticeMin' | 'horizonDays'>>,
  ): Promise<void> {
    await this.write([], (em) => em.update(BusinessSettingsEntity, { id: 1 }, values));
  }

  async location(timeZone: string, active = true): Promise<number> {
    return this.write(
      [],
      async (em) =>
        (
          await em.save(
            LocationEntity,
            em.create(LocationEntity, { name: `L ${timeZone}`, timeZone, active }),
          )
        ).id,
    );
  }

  async setLocationActive(id: number, active: boolean): Promise<void> {
    await this.write([id], (em) => em.update(LocationEntity, { id }, { active }));
  }

  async service(durationMin: number, price: number, active = true): Promise<number> {
    return this.write(
      [],
      async (em) =>
        (
          await em.save(
            ServiceEntity,
            em.create(ServiceEntity, { name: `S ${durationMin}`, durationMin, price, active }),
          )
        ).id,
    );
  }

  /** A specialist profile for an existing user, linked to locations and offering services (own duration/price optional). */
  async specialist(
    userId: number,
    locationIds: number[],
    services: { serviceId: number; durationMin?: number; price?: number }[],
  ): Promise<number> {
    return this.write(locationIds, async (em) => {
      const { id } = await em.save(
        SpecialistEntity,
        em.create(SpecialistEntity, { userId, bio: '', active: true }),
      );
      for (const locationId of locationIds)
        await em.insert(SpecialistLocationEntity, { specialistId: id, locationId });
      for (const s of services) {
        await em.insert(SpecialistServiceEntity, {
          specialistId: id,
          serviceId: s.serviceId,
          durationMin: s.durationMin ?? null,
          price: s.price ?? null,
        });
      }
      return id;
    });
  }

  /** Weekly hours "HH:mm-HH:mm" for the given ISO weekdays. */
  async weekly(
    specialistId: number,
    locationId: number,
    weekdays: number[],
    ...ranges: string[]
  ): Promise<void> {
    await this.write([locationId], async (em) => {
      for (const weekday of weekdays) {
        for (const range of ranges) {
          const [startMin, endMin] = range.split('-').map(minutes);
          await em.insert(WorkIntervalEntity, { specialistId, locationId, weekday, startMin, endMin });
        }
      }
    });
  }

  async exception(e: {
    locationId: number;
    specialistId: number | null;
    date: string;
    kind: 'day_off' | 'custom_hours';
    range?: string;
  }): Promise<number> {
    const [startMin, endMin] = e.range ? e.range.split('-').map(minutes) : [null, null];
    return this.write([e.locationId], async (em) => {
      const row = await em.save(
        ScheduleExceptionEntity,
        em.create(ScheduleExceptionEntity, {
          locationId: e.locationId,
          specialistId: e.specialistId,
          date: e.date,
          kind: e.kind,
          startMin,
          endMin,
          reason: '',
        }),
      );
      return row.id;
    });
  }

  async removeException(id: number, locationId: number): Promise<void> {
    await this.write([locationId], (em) => em.delete(ScheduleExceptionEntity, { id }));
  }

  /** A live booking as the lifecycle would store it (claims are the lifecycle's business, not the grid's). */
  async booking(b: {
    clientId: number;
    specialistId: number;
    locationId: number;
    serviceId: number;
    startAt: string;
    durationMin: number;
    status?: 'pending' | 'confirmed';
  }): Promise<number> {
    const startAt = new Date(b.startAt);
    return this.write([b.locationId], async (em) => {
      const row = await em.save(
        BookingEntity,
        em.create(BookingEntity, {
          clientId: b.clientId,
          specialistId: b.specialistId,
          locationId: b.locationId,
          serviceId: b.serviceId,
          startAt,
          endAt: new Date(startAt.getTime() + b.durationMin * 60_000),
          durationMin: b.durationMin,
          price: 0,
          status: b.status ?? 'confirmed',
          createdByRole: 'admin',
          createdByUserId: null,
          comment: '',
          cancelReason: null,
        }),
      );
      return row.id;
    });
  }

  async setBookingStatus(id: number, locationId: number, status: BookingEntity['status']): Promise<void> {
    await this.write([locationId], (em) => em.update(BookingEntity, { id }, { status }));
  }

  /** A change the slots module is NOT told about (to prove a cached grid is really served from the cache). */
  async silentlyCancel(id: number): Promise<void> {
    await this.t.get(UnitOfWork).run((em) => em.update(BookingEntity, { id }, { status: 'cancelled' }));
  }
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
