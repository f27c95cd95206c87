import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../../common/errors';
import { insertRows } from '../../infra/database/sql';
import { isUniqueViolation } from '../../infra/database/constraints';
import type { BookingEntity } from '../entities/booking.entity';
import { cellsOf } from './booking-rules';

/**
 * No double booking rests on the database alone: each live booking owns one booking_claims row per 15-minute
 * cell for its specialist ('s') and its client ('c'), inserted in the same transaction as the booking, so a
 * second claim on a cell fails on the primary key whatever the Redis lock or the slots cache said.
 * The specialist's cells are claimed first, so a conflict names the right owner.
 */
export async function claimCells(em: EntityManager, booking: BookingEntity): Promise<void> {
  const cells = cellsOf(booking.startAt, booking.durationMin);
  const owners = [
    {
      kind: 's' as const,
      id: booking.specialistId,
      code: ErrorCode.SlotTaken,
      message: 'This time is already booked with the specialist',
    },
    {
      kind: 'c' as const,
      id: booking.clientId,
      code: ErrorCode.ClientOverlap,
      message: 'The client already has a booking at this time',
    },
  ];
  for (const owner of owners) {
    try {
      await insertRows(
        em,
        'booking_claims',
        cells.map((cell) => ({ owner_kind: owner.kind, owner_id: owner.id, cell, booking_id: booking.id })),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw DomainError.conflict(owner.code, owner.message);
      throw err;
    }
  }
}
