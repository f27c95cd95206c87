import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, Role } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { isUniqueViolation } from '../../infra/database/constraints';
import { insertRows, rowInstant } from '../../infra/database/sql';
import type { Language } from '../api/users.dto';
import { UserEntity } from '../entities/user.entity';
import { loadSettings } from '../settings/settings.service';

/** What a caller knows of a new user; everything else takes the defaults below. */
export interface NewUser {
  name: string;
  /** Default: the salon's default language (business settings). */
  language?: Language;
  /** Default: client. */
  role?: Role;
  phone?: string | null;
  tgId?: number | null;
  username?: string | null;
}

/** How the creation appears in the audit log: `user.create` unless told otherwise, with what the caller was given. */
export interface NewUserAudit {
  action?: 'user.create' | 'user.register';
  changes: unknown;
}

/**
 * The one way a user row comes to be (REST, a specialist with a new user, a booking for a new client by
 * phone, the Telegram gateway, the OTP login, init-admin) and the one way it is saved, so every path has the
 * same defaults and the same answers: a phone is stored unproven (proof comes later, through
 * UsersApi.attachVerifiedPhone), and a phone another user proved, or a Telegram id taken, is a 409.
 */
@Injectable()
export class UserRegistry {
  constructor(private readonly audit: AuditTrail) {}

  /** Inserts the user in the caller's transaction and records it in the audit log. */
  async add(em: EntityManager, actor: Actor, user: NewUser, audit: NewUserAudit): Promise<UserEntity> {
    if (user.phone) await this.requireUnproven(em, user.phone);
    const created = Object.assign(new UserEntity(), {
      name: user.name,
      language: user.language ?? (await loadSettings(em)).defaultLanguage,
      role: user.role ?? 'client',
      phone: user.phone ?? null,
      phoneVerified: false,
      tgId: user.tgId ?? null,
      username: user.username ?? null,
      blocked: false,
    });
    // One INSERT ... RETURNING: em.save() read the row back (each Telegram user's first update registers one).
    const [row] = await this.unique(() =>
      insertRows(
        em,
        'users',
        [
          {
            tg_id: created.tgId,
            phone: created.phone,
            phone_verified: false,
            username: created.username,
            name: created.name,
            language: created.language,
            role: created.role,
            blocked: false,
          },
        ],
        'id, created_at, updated_at',
      ),
    );
    created.id = Number(row.id);
    created.createdAt = rowInstant(row.created_at);
    created.updatedAt = rowInstant(row.updated_at);
    await this.audit.record(em, actor, {
      action: audit.action ?? 'user.create',
      entity: 'user',
      entityId: created.id,
      changes: audit.changes,
    });
    return created;
  }

  /** A phone someone proved is theirs alone; unproven copies may repeat. */
  async requireUnproven(em: EntityManager, phone: string): Promise<void> {
    if (await em.existsBy(UserEntity, { phone, phoneVerified: true })) {
      throw new DomainError(ErrorCode.AlreadyExists, 'Another user has verified this phone');
    }
  }

  /** Saves a new or changed user; a Telegram id or proven phone taken meanwhile is a 409, not a 500. */
  save(em: EntityManager, user: UserEntity): Promise<UserEntity> {
    return this.unique(() => em.save(UserEntity, user));
  }

  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DomainError(
          ErrorCode.AlreadyExists,
          'A user with this Telegram id or phone already exists',
        );
      }
      throw err;
    }
  }
}
