import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type {
  BookingDto,
  CancelBookingDto,
  CreateBookingDto,
  ListBookingsQuery,
  RescheduleBookingDto,
} from './bookings.dto';

/** A replayed Telegram update (or a retried HTTP request) must not write twice. */
export interface WriteOptions {
  /** The same key from the same actor returns the first call's booking (current state) instead of writing again. */
  idempotencyKey?: string;
}

/**
 * The booking lifecycle; mirrors /api/v1/bookings. Statuses: pending -> confirmed -> done | no_show,
 * pending | confirmed -> cancelled. A client sees and changes only their own bookings, a specialist
 * only the bookings with them; anything else answers 404.
 */
export abstract class BookingsApi {
  abstract list(actor: Actor, query: ListBookingsQuery): Promise<Page<BookingDto>>;
  abstract get(actor: Actor, id: number): Promise<BookingDto>;
  /** 409 slot_taken / client_overlap / slot_unavailable, 422 too_soon / beyond_horizon. */
  abstract create(actor: Actor, dto: CreateBookingDto, options?: WriteOptions): Promise<BookingDto>;
  /** Admin: pending -> confirmed. */
  abstract confirm(actor: Actor, id: number, options?: WriteOptions): Promise<BookingDto>;
  /** Admin; the specialist of the booking; its client before the cancellation cutoff. Frees the time. */
  abstract cancel(
    actor: Actor,
    id: number,
    dto: CancelBookingDto,
    options?: WriteOptions,
  ): Promise<BookingDto>;
  /** Admin; its client before the cancellation cutoff. New start and/or specialist; the original stays when the new slot is taken. */
  abstract reschedule(
    actor: Actor,
    id: number,
    dto: RescheduleBookingDto,
    options?: WriteOptions,
  ): Promise<BookingDto>;
  /** Admin or the booking's specialist, once it has started: confirmed -> done. */
  abstract markDone(actor: Actor, id: number, options?: WriteOptions): Promise<BookingDto>;
  /** Admin or the booking's specialist, once it has started: confirmed -> no_show. Frees the time. */
  abstract markNoShow(actor: Actor, id: number, options?: WriteOptions): Promise<BookingDto>;
}
