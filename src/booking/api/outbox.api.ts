import type { BookingDto, BookingStatus, InitiatorRole } from './bookings.dto';

/**
 * Domain events of the booking lifecycle, written in the same transaction as the change.
 * booking_marked_done / booking_marked_no_show record the final status; booking_done is the
 * completion checker's: the appointment's time is over and an admin is to say whether it happened;
 * booking_reminder: the visit is near (REMINDER_HOURS_BEFORE).
 */
export const OUTBOX_EVENT_TYPES = [
  'booking_created',
  'booking_confirmed',
  'booking_cancelled',
  'booking_rescheduled',
  'booking_marked_done',
  'booking_marked_no_show',
  'booking_done',
  'booking_reminder',
] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

export interface BookingEventPayload {
  booking: BookingDto;
  initiator: { role: InitiatorRole; userId: number | null };
  fromStatus: BookingStatus | null;
  toStatus: BookingStatus;
  /** booking_cancelled */
  reason?: string | null;
  /** booking_rescheduled: where the booking was before the move. */
  previous?: { startAt: string; endAt: string; specialistId: number };
}

export interface OutboxEventDto {
  id: number;
  type: OutboxEventType;
  bookingId: number;
  payload: BookingEventPayload;
  createdAt: string;
}

/** For the notifications relay (not REST): pending events oldest first, then mark what was handed on. */
export abstract class OutboxApi {
  /** Events not yet relayed, in the order they were written (ascending id). */
  abstract pending(limit?: number): Promise<OutboxEventDto[]>;
  /** Marks the events relayed; ids already relayed or unknown are ignored. Returns how many changed. */
  abstract markRelayed(ids: number[]): Promise<number>;
}
