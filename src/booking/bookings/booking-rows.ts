import type { BookingDto } from '../api/bookings.dto';
import type { BookingEntity } from '../entities/booking.entity';

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
