import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A weekly working interval in the location's local wall-clock time; several per day, gaps are breaks. */
@Entity('work_intervals')
export class WorkIntervalEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'specialist_id', type: 'integer' }) specialistId: number;
  @Column({ name: 'location_id', type: 'integer' }) locationId: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  @Column({ type: 'smallint' }) weekday: number;
  /** Minutes after local midnight, multiples of 15; end is exclusive (1440 = midnight). */
  @Column({ name: 'start_min', type: 'integer' }) startMin: number;
  @Column({ name: 'end_min', type: 'integer' }) endMin: number;
}

export type ExceptionKind = 'day_off' | 'custom_hours';

/**
 * A date-specific change: a day off, or custom hours replacing the weekly intervals for that date.
 * specialistId null means the whole location (a holiday).
 */
@Entity('schedule_exceptions')
export class ScheduleExceptionEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'location_id', type: 'integer' }) locationId: number;
  @Column({ name: 'specialist_id', type: 'integer', nullable: true }) specialistId: number | null;
  /** Local date YYYY-MM-DD. */
  @Column({ type: 'varchar' }) date: string;
  @Column({ type: 'varchar' }) kind: ExceptionKind;
  @Column({ name: 'start_min', type: 'integer', nullable: true }) startMin: number | null;
  @Column({ name: 'end_min', type: 'integer', nullable: true }) endMin: number | null;
  @Column({ type: 'varchar', default: '' }) reason: string;
}
