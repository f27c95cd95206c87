import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A single row (id 1) of salon-wide booking rules. */
@Entity('business_settings')
export class BusinessSettingsEntity {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ name: 'min_notice_min', type: 'integer' }) minNoticeMin: number;
  @Column({ name: 'horizon_days', type: 'integer' }) horizonDays: number;
  @Column({ name: 'cancellation_cutoff_min', type: 'integer' }) cancellationCutoffMin: number;
  @Column({ name: 'auto_confirm', type: 'boolean' }) autoConfirm: boolean;
  @UpdateDateColumn({ name: 'updated_at' }) updatedAt: Date;
}
