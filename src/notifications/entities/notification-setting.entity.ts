import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Whether an event reaches a recipient role on a channel, and which ad is appended. */
@Entity('notification_settings')
export class NotificationSettingEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'event_type', type: 'varchar' }) eventType: string;
  @Column({ name: 'recipient_role', type: 'varchar' }) recipientRole: string;
  @Column({ type: 'varchar' }) channel: string;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  @Column({ name: 'ad_template_id', type: 'integer', nullable: true }) adTemplateId: number | null;
}
