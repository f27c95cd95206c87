import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../common/actor';
import type { Language } from '../api/users.dto';

/** PostgreSQL returns BIGINT as a string; Telegram ids fit in 53 bits. */
export const bigintAsNumber = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'tg_id', type: 'bigint', nullable: true, transformer: bigintAsNumber }) tgId: number | null;
  @Column({ type: 'varchar', nullable: true }) phone: string | null;
  /** Proven by a one-time code or a Telegram contact of the sender; only then is the phone this user's. */
  @Column({ name: 'phone_verified', type: 'boolean', default: false }) phoneVerified: boolean;
  /** The Telegram @username (without @) as last seen; null when the user has none. */
  @Column({ type: 'varchar', length: 64, nullable: true }) username: string | null;
  @Column({ type: 'varchar' }) name: string;
  @Column({ type: 'varchar', default: 'ru' }) language: Language;
  @Column({ type: 'varchar', default: 'client' }) role: Role;
  @Column({ type: 'boolean', default: false }) blocked: boolean;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at' }) updatedAt: Date;
}
