import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from './user.entity';

@Entity('specialists')
export class SpecialistEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'integer' }) userId: number;
  @ManyToOne(() => UserEntity, { eager: true }) @JoinColumn({ name: 'user_id' }) user: UserEntity;
  @Column({ type: 'text', default: '' }) bio: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @OneToMany(() => SpecialistLocationEntity, (l) => l.specialist, { cascade: true })
  locations: SpecialistLocationEntity[];
  @OneToMany(() => SpecialistServiceEntity, (s) => s.specialist, { cascade: true })
  services: SpecialistServiceEntity[];
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at' }) updatedAt: Date;
}

@Entity('specialist_locations')
export class SpecialistLocationEntity {
  @PrimaryColumn({ name: 'specialist_id', type: 'integer' }) specialistId: number;
  @PrimaryColumn({ name: 'location_id', type: 'integer' }) locationId: number;
  @ManyToOne(() => SpecialistEntity, (s) => s.locations, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'specialist_id' })
  specialist: SpecialistEntity;
}

/** A service the specialist offers; own duration / price override the service's when set. */
@Entity('specialist_services')
export class SpecialistServiceEntity {
  @PrimaryColumn({ name: 'specialist_id', type: 'integer' }) specialistId: number;
  @PrimaryColumn({ name: 'service_id', type: 'integer' }) serviceId: number;
  @Column({ name: 'duration_min', type: 'integer', nullable: true }) durationMin: number | null;
  @Column({ type: 'integer', nullable: true }) price: number | null;
  @ManyToOne(() => SpecialistEntity, (s) => s.services, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'specialist_id' })
  specialist: SpecialistEntity;
}
