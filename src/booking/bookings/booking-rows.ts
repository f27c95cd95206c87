import { rowInstant } from '../../infra/database/sql';
import type { BookingDto, BookingStatus, InitiatorRole } from '../api/bookings.dto';
import { BookingEntity } from '../entities/booking.entity';

/** A booking row as the contracts show it (instants as ISO strings). */
export function toBookingDto(b: BookingEntity): BookingDto {
  return {
    id: b.id,
    clientId: b.clientId,
    specialistId: b.specialistId,
    locationId: b.locationId,
    serviceId: b.serviceId,
    startAt: b.startAt.toISOString(),
    endAt: b.endAt.toISOString(),
    durationMin: b.durationMin,
    price: b.price,
    status: b.status,
    createdByRole: b.createdByRole,
    createdByUserId: b.createdByUserId,
    comment: b.comment,
    cancelReason: b.cancelReason,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

/** A new booking's columns for insertRows (the hot create path skips em.insert). */
export function bookingRow(b: Omit<BookingEntity, 'id'>): Record<string, unknown> {
  return {
    client_id: b.clientId,
    specialist_id: b.specialistId,
    location_id: b.locationId,
    service_id: b.serviceId,
    start_at: b.startAt,
    end_at: b.endAt,
    duration_min: b.durationMin,
    price: b.price,
    status: b.status,
    created_by_role: b.createdByRole,
    created_by_user_id: b.createdByUserId,
    comment: b.comment,
    cancel_reason: b.cancelReason,
    created_at: b.createdAt,
    updated_at: b.updatedAt,
  };
}

/** The columns bookingFromRow reads, for plain-SQL reads of bookings (a query builder costs more than the query). */
export const BOOKING_COLUMNS =
  'id, client_id, specialist_id, location_id, service_id, start_at, end_at, duration_min, price, status, ' +
  'created_by_role, created_by_user_id, comment, cancel_reason, created_at, updated_at';

/** A booking read with BOOKING_COLUMNS, as TypeORM would have hydrated it. */
export function bookingFromRow(r: Record<string, unknown>): BookingEntity {
  return Object.assign(new BookingEntity(), {
    id: Number(r.id),
    clientId: Number(r.client_id),
    specialistId: Number(r.specialist_id),
    locationId: Number(r.location_id),
    serviceId: Number(r.service_id),
    startAt: rowInstant(r.start_at),
    endAt: rowInstant(r.end_at),
    durationMin: Number(r.duration_min),
    price: Number(r.price),
    status: r.status as BookingStatus,
    createdByRole: r.created_by_role as InitiatorRole,
    createdByUserId: r.created_by_user_id === null ? null : Number(r.created_by_user_id),
    comment: String(r.comment ?? ''),
    cancelReason: r.cancel_reason === null ? null : String(r.cancel_reason),
    createdAt: rowInstant(r.created_at),
    updatedAt: rowInstant(r.updated_at),
  } satisfies BookingEntity);
}
