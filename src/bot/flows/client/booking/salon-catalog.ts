import { Injectable } from '@nestjs/common';
import {
  BookingDto,
  LocationDto,
  LocationsApi,
  ServiceDto,
  ServicesApi,
  SettingsApi,
  SettingsDto,
  SpecialistDto,
  SpecialistsApi,
} from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { DomainError, ErrorCode } from '../../../../common/errors';
import type { BookingDetails } from './booking.screens';

/** Reads of the catalog the booking screens need, through the contracts as the user; a list is read whole (salons are small). */
@Injectable()
export class SalonCatalog {
  constructor(
    private readonly locations: LocationsApi,
    private readonly services: ServicesApi,
    private readonly specialists: SpecialistsApi,
    private readonly settings: SettingsApi,
  ) {}

  async activeLocations(actor: Actor): Promise<LocationDto[]> {
    return (await this.locations.list(actor, { active: 'true', limit: 200 })).items;
  }

  location(actor: Actor, id: number): Promise<LocationDto> {
    return this.locations.get(actor, id);
  }

  service(actor: Actor, id: number): Promise<ServiceDto> {
    return this.services.get(actor, id);
  }

  specialist(actor: Actor, id: number): Promise<SpecialistDto> {
    return this.specialists.get(actor, id);
  }

  /** Services an active specialist offers at the location. */
  async servicesAt(actor: Actor, locationId: number): Promise<ServiceDto[]> {
    return (await this.services.list(actor, { active: 'true', locationId, limit: 200 })).items;
  }

  /** Active specialists who offer the service at the location. */
  async specialistsFor(actor: Actor, locationId: number, serviceId: number): Promise<SpecialistDto[]> {
    return (await this.specialists.list(actor, { active: 'true', locationId, serviceId, limit: 200 })).items;
  }

  businessSettings(actor: Actor): Promise<SettingsDto> {
    return this.settings.get(actor);
  }

  async currency(actor: Actor): Promise<string> {
    return (await this.settings.get(actor)).currency;
  }

  /** A specialist's name for a card; one no longer visible (deactivated) is named by a dash rather than failing the card. */
  specialistName(actor: Actor, id: number): Promise<string> {
    return orGone(
      this.specialists.get(actor, id).then((s) => s.name),
      '—',
    );
  }

  /** A service's name for a card or a list line, a dash once it is deactivated. */
  serviceName(actor: Actor, id: number): Promise<string> {
    return orGone(
      this.services.get(actor, id).then((s) => s.name),
      '—',
    );
  }

  /** A booking's location for a card; a deactivated one keeps its place in history as a dash in UTC. */
  bookingLocation(actor: Actor, id: number): Promise<LocationDto> {
    return orGone(this.locations.get(actor, id), {
      id,
      name: '—',
      address: '',
      timeZone: 'UTC',
      active: false,
    });
  }

  /** Everything a card shows about a stored booking. */
  async details(actor: Actor, booking: BookingDto): Promise<BookingDetails> {
    const [service, specialist, location, currency] = await Promise.all([
      this.serviceName(actor, booking.serviceId),
      this.specialistName(actor, booking.specialistId),
      this.bookingLocation(actor, booking.locationId),
      this.currency(actor),
    ]);
    return {
      service,
      specialist,
      startAt: booking.startAt,
      durationMin: booking.durationMin,
      price: booking.price,
      currency,
      location,
      comment: booking.comment || undefined,
    };
  }
}

/** What a card shows for an object the user may no longer see (deactivated): the fallback instead of a refusal. */
async function orGone<T>(read: Promise<T>, fallback: T): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof DomainError && err.code === ErrorCode.NotFound) return fallback;
    throw err;
  }
}
