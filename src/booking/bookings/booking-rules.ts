import type { Actor } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { BookingStatus, CELL_MINUTES, InitiatorRole } from '../api/bookings.dto';

const CELL_MS = CELL_MINUTES * 60_000;

/** The booking status machine: pending -> confirmed -> done | no_show; pending | confirmed -> cancelled. */
export const TRANSITIONS: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['done', 'no_show', 'cancelled'],
  done: [],
  no_show: [],
  cancelled: [],
};

export function assertTransition(from: BookingStatus, to: BookingStatus): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw DomainError.conflict(ErrorCode.IllegalTransition, `A ${from} booking cannot become ${to}`, {
      from,
      to,
    });
  }
}

/** Index of the 15-minute cell an instant falls in (minutes since the Unix epoch / 15). */
export function cellOf(instant: Date): number {
  return Math.floor(instant.getTime() / CELL_MS);
}

/** Every cell a booking of this start and duration occupies; a partial last quarter-hour still takes its cell. */
export function cellsOf(startAt: Date, durationMin: number): number[] {
  const first = cellOf(startAt);
  const count = Math.max(1, Math.ceil(durationMin / CELL_MINUTES));
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Parses a validated ISO instant and insists on the quarter-hour grid. */
export function parseStart(iso: string, field = 'startAt'): Date {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()))
    throw DomainError.invalid(`${field} must be an ISO 8601 instant`, { fields: { [field]: ['invalid'] } });
  if (at.getTime() % CELL_MS !== 0) {
    throw DomainError.invalid(
      `${field} must be on the 15-minute grid (…:00, :15, :30, :45 with zero seconds)`,
      {
        fields: { [field]: ['misaligned'] },
      },
    );
  }
  return at;
}

export function initiatorOf(actor: Actor): InitiatorRole {
  return actor.role;
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
