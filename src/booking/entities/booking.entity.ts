import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { BookingStatus, InitiatorRole } from '../api/bookings.dto';

@Entity('bookings')
export class BookingEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'client_id', type: 'integer' }) clientId: number;
  @Column({ name: 'specialist_id', type: 'integer' }) specialistId: number;
  @Column({ name: 'location_id', type: 'integer' }) locationId: number;
  @Column({ name: 'service_id', type: 'integer' }) serviceId: number;
  @Column({ name: 'start_at', type: Date }) startAt: Date;
  @Column({ name: 'end_at', type: Date }) endAt: Date;
  /** Snapshots taken at booking time: later price or duration changes do not alter this booking. */
  @Column({ name: 'duration_min', type: 'integer' }) durationMin: number;
  @Column({ type: 'integer' }) price: number;
  @Column({ type: 'varchar' }) status: BookingStatus;
  @Column({ name: 'created_by_role', type: 'varchar' }) createdByRole: InitiatorRole;
  @Column({ name: 'created_by_user_id', type: 'integer', nullable: true }) createdByUserId: number | null;
  @Column({ type: 'text', default: '' }) comment: string;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason: string | null;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at' }) updatedAt: Date;
}

@Entity('booking_status_history')
export class BookingStatusHistoryEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'booking_id', type: 'integer' }) bookingId: number;
  @Column({ name: 'from_status', type: 'varchar', nullable: true }) fromStatus: BookingStatus | null;
  @Column({ name: 'to_status', type: 'varchar' }) toStatus: BookingStatus;
  @Column({ name: 'actor_role', type: 'varchar' }) actorRole: InitiatorRole;
  @Column({ name: 'actor_user_id', type: 'integer', nullable: true }) actorUserId: number | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
}

/** One 15-minute cell held by a live booking for its specialist ('s') and its client ('c'); the key forbids overlap. */
@Entity('booking_claims')
export class BookingClaimEntity {
  @PrimaryColumn({ name: 'owner_kind', type: 'varchar' }) ownerKind: 's' | 'c';
  @PrimaryColumn({ name: 'owner_id', type: 'integer' }) ownerId: number;
  /** Minutes since the Unix epoch divided by 15. */
  @PrimaryColumn({ type: 'integer' }) cell: number;
  @Column({ name: 'booking_id', type: 'integer' }) bookingId: number;
}

/** A domain event written in the same transaction as the change it describes, relayed later. */
@Entity('outbox_events')
export class OutboxEventEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) type: string;
  @Column({ name: 'aggregate_id', type: 'integer' }) aggregateId: number;
  @Column({ type: 'text' }) payload: string;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @Column({ name: 'relayed_at', type: Date, nullable: true }) relayedAt: Date | null;
}
