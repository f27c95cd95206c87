import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor, Role } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { isUniqueViolation } from '../../infra/database/constraints';
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
    const created = await this.save(
      em,
      em.create(UserEntity, {
        name: user.name,
        language: user.language ?? (await loadSettings(em)).defaultLanguage,
        role: user.role ?? 'client',
        phone: user.phone ?? null,
        phoneVerified: false,
        tgId: user.tgId ?? null,
        username: user.username ?? null,
        blocked: false,
      }),
    );
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
  async save(em: EntityManager, user: UserEntity): Promise<UserEntity> {
    try {
      return await em.save(UserEntity, user);
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
