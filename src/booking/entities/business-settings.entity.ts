import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Language } from '../api/users.dto';

/** A single row (id 1) of salon-wide booking rules, the language of new users and the currency. */
@Entity('business_settings')
export class BusinessSettingsEntity {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ name: 'min_notice_min', type: 'integer' }) minNoticeMin: number;
  @Column({ name: 'horizon_days', type: 'integer' }) horizonDays: number;
  @Column({ name: 'cancellation_cutoff_min', type: 'integer' }) cancellationCutoffMin: number;
  @Column({ name: 'auto_confirm', type: 'boolean' }) autoConfirm: boolean;
  @Column({ name: 'default_language', type: 'varchar' }) defaultLanguage: Language;
  @Column({ type: 'varchar' }) currency: string;
  @UpdateDateColumn({ name: 'updated_at' }) updatedAt: Date;
}
