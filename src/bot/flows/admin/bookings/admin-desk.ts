import { Injectable } from '@nestjs/common';
import type { BookingDto, BookingStatus, SpecialistDto, UserDto } from '../../../../booking/api';
import { SpecialistsApi, UsersApi } from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { SalonCatalog } from '../../client/booking/salon-catalog';

/** What the day lists show: every booking that was not cancelled. */
export const SHOWN_STATUSES: BookingStatus[] = ['pending', 'confirmed', 'done', 'no_show'];

/** One booking as the admin's lists show it: when, what, with whom, for whom. */
export interface AdminLine {
  id: number;
  startAt: string;
  timeZone: string;
  service: string;
  specialist: string;
  client: string;
  status: BookingStatus;
}

/** Reads the admin's booking screens need, through the contracts as the admin. */
@Injectable()
export class AdminDesk {
  constructor(
    readonly catalog: SalonCatalog,
    private readonly users: UsersApi,
    private readonly specialists: SpecialistsApi,
  ) {}

  /** Every active specialist working at the location, whatever they offer. */
  async specialistsAt(actor: Actor, locationId: number): Promise<SpecialistDto[]> {
    return (await this.specialists.list(actor, { active: 'true', locationId, limit: 200 })).items;
  }

  client(actor: Actor, id: number): Promise<UserDto> {
    return this.users.get(actor, id);
  }

  /** List lines for bookings; each name is read once however many bookings share it. */
  async lines(actor: Actor, bookings: BookingDto[]): Promise<AdminLine[]> {
    const once = <T>(cache: Map<number, Promise<T>>, id: number, read: () => Promise<T>) => {
      if (!cache.has(id)) cache.set(id, read());
      return cache.get(id)!;
    };
    const services = new Map<number, Promise<string>>();
    const specialists = new Map<number, Promise<string>>();
    const clients = new Map<number, Promise<string>>();
    const zones = new Map<number, Promise<string>>();
    return Promise.all(
      bookings.map(async (b) => {
        const [service, specialist, client, timeZone] = await Promise.all([
          once(services, b.serviceId, () => this.catalog.serviceName(actor, b.serviceId)),
          once(specialists, b.specialistId, () => this.catalog.specialistName(actor, b.specialistId)),
          once(clients, b.clientId, () => this.users.get(actor, b.clientId).then((u) => u.name)),
          once(zones, b.locationId, () =>
            this.catalog.bookingLocation(actor, b.locationId).then((l) => l.timeZone),
          ),
        ]);
        return { id: b.id, startAt: b.startAt, timeZone, service, specialist, client, status: b.status };
      }),
    );
  }
}
