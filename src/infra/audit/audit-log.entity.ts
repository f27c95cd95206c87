import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_log')
export class AuditLogEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: Date }) at: Date;
  @Column({ name: 'user_id', type: 'integer', nullable: true }) userId: number | null;
  @Column({ type: 'varchar' }) role: string;
  @Column({ name: 'client_type', type: 'varchar' }) clientType: string;
  @Column({ type: 'varchar' }) action: string;
  @Column({ type: 'varchar' }) entity: string;
  @Column({ name: 'entity_id', type: 'varchar', nullable: true }) entityId: string | null;
  @Column({ type: 'text', nullable: true }) changes: string | null;
  @Column({ name: 'trace_id', type: 'varchar', nullable: true }) traceId: string | null;
}
