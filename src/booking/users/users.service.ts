import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { authorize, authorizeObject } from '../../common/access-policy';
import { Actor, Role, SYSTEM_ACTOR } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { UsersApi } from '../api/users.api';
import {
  AuthSubject,
  CreateUserDto,
  Language,
  LANGUAGES,
  ListUsersQuery,
  NewPhoneUser,
  TelegramIdentity,
  UpdateUserDto,
  UserDto,
} from '../api/users.dto';
import { SpecialistLocationEntity } from '../entities/specialist.entity';
import { UserEntity } from '../entities/user.entity';
import { queryRows, rowBool, rowInstant } from '../../infra/database/sql';
import { UserRegistry } from './user-registry';

export function toUserDto(u: UserEntity): UserDto {
  return {
    id: u.id,
    tgId: u.tgId,
    phone: u.phone,
    phoneVerified: u.phoneVerified,
    name: u.name,
    username: u.username,
    language: u.language,
    role: u.role,
    blocked: u.blocked,
    createdAt: u.createdAt.toISOString(),
  };
}

/** The columns userFromRow reads, for plain-SQL reads of users (a notification reads two or three per booking). */
const USER_COLUMNS =
  'id, tg_id, phone, phone_verified, username, name, language, role, blocked, created_at, updated_at';

/** A user read with USER_COLUMNS, as TypeORM would have hydrated it. */
function userFromRow(r: Record<string, unknown>): UserEntity {
  return Object.assign(new UserEntity(), {
    id: Number(r.id),
    tgId: r.tg_id == null ? null : Number(r.tg_id),
    phone: (r.phone as string | null) ?? null,
    phoneVerified: rowBool(r.phone_verified),
    username: (r.username as string | null) ?? null,
    name: r.name as string,
    language: r.language as Language,
    role: r.role as Role,
    blocked: rowBool(r.blocked),
    createdAt: rowInstant(r.created_at),
    updatedAt: rowInstant(r.updated_at),
  });
}

function toSubject(u: UserEntity): AuthSubject {
  return {
    userId: u.id,
    role: u.role,
    language: u.language,
    blocked: u.blocked,
    tgId: u.tgId,
    username: u.username,
  };
}

const isActiveAdmin = (u: Pick<UserEntity, 'role' | 'blocked'>) => u.role === 'admin' && !u.blocked;

/** Telegram's language_code (`en`, `en-GB`, `ru`), when it is one of ours. */
function languageFrom(code: string | undefined): Language | undefined {
  const base = code?.slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : undefined;
}

/** A Telegram @username as Telegram makes them. */
const TELEGRAM_USERNAME = /^[A-Za-z0-9_]{1,64}$/;

@Injectable()
export class UsersService extends UsersApi {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
    private readonly registry: UserRegistry,
  ) {
    super();
  }

  async list(actor: Actor, query: ListUsersQuery): Promise<Page<UserDto>> {
    const scope = authorize(actor, 'user', 'read');
    const { take, skip } = pageOf(query);
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    const filter = (condition: string, values: Record<string, unknown>) => {
      where.push(condition);
      Object.assign(params, values);
    };
    if (scope === 'own') filter('id = :self', { self: actor.userId });
    if (query.role) filter('role = :role', { role: query.role });
    if (query.tgId) filter('tg_id = :tgId', { tgId: query.tgId });
    if (query.username) filter('LOWER(username) = :username', { username: query.username.toLowerCase() });
    if (query.search) {
      // Case-insensitive in any alphabet on both databases: LOWER() is Unicode-aware on PostgreSQL and, through
      // the function database.options.ts registers, on SQLite (whose own LOWER and LIKE fold ASCII only).
      // The typed text is matched literally: % _ and \ are escaped (PostgreSQL's LIKE would reject a trailing \).
      const like = `%${query.search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
      filter(`(LOWER(name) LIKE :like ESCAPE '\\' OR phone LIKE :like ESCAPE '\\')`, { like });
    }
    // Plain SQL: the notifications read the admins for every booking event.
    const conditions = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = await queryRows(
      this.users.manager,
      `SELECT ${USER_COLUMNS} FROM users ${conditions} ORDER BY id LIMIT :take OFFSET :skip`,
      { ...params, take, skip },
    );
    // A page short of the limit tells the total, unless it is empty past the first.
    const total =
      rows.length < take && (rows.length > 0 || skip === 0)
        ? skip + rows.length
        : Number(
            (
              await queryRows<{ total: unknown }>(
                this.users.manager,
                `SELECT COUNT(*) AS total FROM users ${conditions}`,
                params,
              )
            )[0].total,
          );
    return { items: rows.map((r) => toUserDto(userFromRow(r))), total, limit: take, offset: skip };
  }

  async get(actor: Actor, id: number): Promise<UserDto> {
    const user = await this.byId(id);
    const notFound = () => DomainError.notFound('user', id);
    const visible =
      id === actor.userId || (actor.role === 'specialist' && (await this.isClientOf(actor, id)));
    authorizeObject(actor, 'user', 'read', visible, notFound);
    if (!user) throw notFound();
    return toUserDto(user);
  }

  /** One user by a unique column, in plain SQL (each booking's notifications read two). */
  private async byId(id: number): Promise<UserEntity | null> {
    const [row] = await queryRows(this.users.manager, `SELECT ${USER_COLUMNS} FROM users WHERE id = :id`, {
      id,
    });
    return row ? userFromRow(row) : null;
  }

  private async byTelegramId(tgId: number): Promise<UserEntity | null> {
    const [row] = await queryRows(
      this.users.manager,
      `SELECT ${USER_COLUMNS} FROM users WHERE tg_id = :tgId`,
      { tgId },
    );
    return row ? userFromRow(row) : null;
  }

  me(actor: Actor): Promise<UserDto> {
    return this.get(actor, actor.userId);
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserDto> {
    authorize(actor, 'user', 'write');
    if (actor.role !== 'admin' && actor.role !== 'system')
      throw DomainError.forbidden('Only an admin creates users');
    return this.uow.run(async (em) => toUserDto(await this.registry.add(em, actor, dto, { changes: dto })));
  }

  async update(actor: Actor, id: number, dto: UpdateUserDto): Promise<UserDto> {
    const notFound = () => DomainError.notFound('user', id);
    authorizeObject(actor, 'user', 'write', id === actor.userId, notFound);
    const staff = actor.role === 'admin' || actor.role === 'system';
    if (!staff && (dto.role !== undefined || dto.blocked !== undefined)) {
      throw DomainError.forbidden('Only an admin changes roles or blocks users');
    }
    const updated = await this.uow.run(async (em) => {
      const user = await em.findOneBy(UserEntity, { id });
      if (!user) throw notFound();
      const before = { role: user.role, language: user.language, blocked: user.blocked, name: user.name };
      const phoneChanged = dto.phone !== undefined && dto.phone !== user.phone;
      if (phoneChanged && !staff) {
        throw DomainError.forbidden(
          'A phone is added by proving it: log in with a one-time code sent to it (POST /api/v1/auth/otp/request), or share your contact with the Telegram bot',
        );
      }
      if (phoneChanged && dto.phone) await this.registry.requireUnproven(em, dto.phone);
      Object.assign(user, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      if (phoneChanged) user.phoneVerified = false;
      if (isActiveAdmin(before) && !isActiveAdmin(user)) await this.requireAnotherActiveAdmin(em, id);
      await this.registry.save(em, user);
      await this.audit.record(em, actor, {
        action: 'user.update',
        entity: 'user',
        entityId: id,
        changes: dto,
      });
      return { user, before };
    });
    await this.emitIfAuthChanged(updated.user, updated.before);
    // Specialist names appear in cached slot grids; a rename or block must reach them.
    if (updated.user.name !== updated.before.name || updated.user.blocked !== updated.before.blocked) {
      await this.emitForSpecialistLocations(id);
    }
    return toUserDto(updated.user);
  }

  async remove(actor: Actor, id: number): Promise<UserDto> {
    return this.update(actor, id, { blocked: true });
  }

  /** Every authenticated request asks this: one prepared statement, not the query builder. */
  async authSubject(userId: number): Promise<AuthSubject | null> {
    const [row] = await queryRows<{ role: Role; language: Language; blocked: unknown; tgId: unknown }>(
      this.users.manager,
      `SELECT role, language, blocked, tg_id AS "tgId" FROM users WHERE id = :id`,
      { id: userId },
    );
    if (!row) return null;
    return {
      userId,
      role: row.role,
      language: row.language,
      blocked: rowBool(row.blocked),
      tgId: row.tgId == null ? null : Number(row.tgId),
    };
  }

  async findByPhone(phone: string): Promise<AuthSubject | null> {
    const user = await this.users.findOneBy({ phone, phoneVerified: true });
    return user ? toSubject(user) : null;
  }

  async attachVerifiedPhone(userId: number, phone: string): Promise<UserDto> {
    return this.uow.run(async (em) => {
      const user = await em.findOneBy(UserEntity, { id: userId });
      if (!user) throw DomainError.notFound('user', userId);
      const merged: number[] = [];
      const dropped: number[] = [];
      for (const other of await em.find(UserEntity, { where: { phone }, order: { id: 'ASC' } })) {
        if (other.id === userId) continue;
        // Such a client is reachable only through this phone: whoever proves it may have their bookings.
        if (other.tgId === null && other.role === 'client' && !other.blocked) {
          await this.moveBookings(em, other.id, userId);
          merged.push(other.id);
        } else {
          dropped.push(other.id);
        }
        await em.update(UserEntity, { id: other.id }, { phone: null, phoneVerified: false });
      }
      user.phone = phone;
      user.phoneVerified = true;
      await this.registry.save(em, user);
      await this.audit.record(
        em,
        { ...SYSTEM_ACTOR, clientType: 'internal' },
        {
          action: 'user.phone_verified',
          entity: 'user',
          entityId: userId,
          changes: { phone, mergedUserIds: merged, droppedFromUserIds: dropped },
        },
      );
      return toUserDto(user);
    });
  }

  async userForVerifiedPhone(phone: string, newUser: NewPhoneUser): Promise<AuthSubject> {
    const owner = await this.findByPhone(phone);
    if (owner) return owner;
    const entered = await this.users.findOne({
      where: { phone, phoneVerified: false, tgId: IsNull() },
      order: { id: 'ASC' },
    });
    const userId =
      entered?.id ??
      (
        await this.create(
          { ...SYSTEM_ACTOR, clientType: 'public' },
          { name: newUser.name ?? `Client ${phone.slice(-4)}`, language: newUser.language, role: 'client' },
        )
      ).id;
    await this.attachVerifiedPhone(userId, phone);
    return (await this.authSubject(userId))!;
  }

  async getOrCreateByTelegram(identity: TelegramIdentity): Promise<AuthSubject> {
    // What Telegram sends is not checked by anyone before us: a forged update may carry NUL characters,
    // which PostgreSQL refuses in text, and a @username is Telegram's 5-32 of [A-Za-z0-9_] or nothing.
    const username =
      identity.username && TELEGRAM_USERNAME.test(identity.username) ? identity.username : null;
    const existing = await this.byTelegramId(identity.tgId);
    if (existing && existing.username !== username) {
      await this.claimUsername(existing.id, username);
      existing.username = username;
    }
    if (existing) return toSubject(existing);
    if (username) await this.claimUsername(null, username);
    try {
      return await this.uow.run(async (em) => {
        const user = await this.registry.add(
          em,
          { ...SYSTEM_ACTOR, clientType: 'internal' },
          {
            name: identity.name.replaceAll('\u0000', '').trim().slice(0, 120) || `tg${identity.tgId}`,
            tgId: identity.tgId,
            username,
            language: languageFrom(identity.languageCode),
          },
          { action: 'user.register', changes: { tgId: identity.tgId } },
        );
        return toSubject(user);
      });
    } catch (err) {
      // Two first updates of one user raced: the other one created it.
      const again = await this.byTelegramId(identity.tgId);
      if (again) return toSubject(again);
      throw err;
    }
  }

  /** A Telegram @username belongs to one account at a time: whoever had it before has given it up. */
  private async claimUsername(userId: number | null, username: string | null): Promise<void> {
    if (username) {
      const others = this.users
        .createQueryBuilder()
        .update()
        .set({ username: null })
        .where('LOWER(username) = :username', { username: username.toLowerCase() });
      if (userId !== null) others.andWhere('id <> :userId', { userId });
      await others.execute();
    }
    if (userId !== null) await this.users.update({ id: userId }, { username });
  }

  async ensureAdmin(tgId: number, name: string): Promise<AuthSubject> {
    const result = await this.uow.run(async (em) => {
      const existing = await em.findOneBy(UserEntity, { tgId });
      if (existing) {
        const before = { role: existing.role, language: existing.language, blocked: existing.blocked };
        existing.role = 'admin';
        existing.blocked = false;
        await this.registry.save(em, existing);
        await this.audit.record(em, SYSTEM_ACTOR, {
          action: 'user.promote',
          entity: 'user',
          entityId: existing.id,
        });
        return { user: existing, before };
      }
      const user = await this.registry.add(
        em,
        SYSTEM_ACTOR,
        { name, tgId, role: 'admin' },
        { changes: { tgId, name, role: 'admin' } },
      );
      return { user, before: undefined };
    });
    if (result.before) await this.emitIfAuthChanged(result.user, result.before);
    return toSubject(result.user);
  }

  /**
   * Nobody but init-admin could restore access without an admin. On PostgreSQL the active admins' rows
   * are locked, so two admins demoting each other at once cannot both pass; SQLite runs writes one by one.
   */
  private async requireAnotherActiveAdmin(em: EntityManager, leaving: number): Promise<void> {
    const qb = em
      .createQueryBuilder(UserEntity, 'u')
      .select('u.id', 'id')
      .where('u.role = :admin AND u.blocked = :no AND u.id <> :leaving', {
        admin: 'admin',
        no: false,
        leaving,
      });
    if (em.connection.options.type === 'postgres') qb.setLock('pessimistic_write');
    if ((await qb.getRawMany()).length === 0) {
      throw DomainError.conflict(
        ErrorCode.LastAdmin,
        'This is the last active admin: make another user admin before demoting or blocking this one',
      );
    }
  }

  /** A specialist reads the clients booked with them (name and phone, to reach them about a visit). */
  private async isClientOf(actor: Actor, clientId: number): Promise<boolean> {
    const rows = await queryRows(
      this.users.manager,
      `SELECT 1 FROM bookings b JOIN specialists s ON s.id = b.specialist_id
        WHERE b.client_id = :clientId AND s.user_id = :self LIMIT 1`,
      { clientId, self: actor.userId },
    );
    return rows.length > 0;
  }

  /** A merge of client records: their bookings and the cells those hold for the client. */
  private async moveBookings(em: EntityManager, from: number, to: number): Promise<void> {
    await queryRows(em, `UPDATE bookings SET client_id = :to WHERE client_id = :from`, { from, to });
    // Cells `to` already holds stay theirs: that merged booking overlaps one of theirs (they did book twice).
    await queryRows(
      em,
      `UPDATE booking_claims SET owner_id = :to
        WHERE owner_kind = 'c' AND owner_id = :from
          AND cell NOT IN (SELECT cell FROM booking_claims WHERE owner_kind = 'c' AND owner_id = :to)`,
      { from, to },
    );
    await queryRows(em, `DELETE FROM booking_claims WHERE owner_kind = 'c' AND owner_id = :from`, { from });
  }

  private async emitForSpecialistLocations(userId: number): Promise<void> {
    const rows: { locationId: number }[] = await this.users.manager
      .createQueryBuilder(SpecialistLocationEntity, 'sl')
      .innerJoin('sl.specialist', 's')
      .where('s.user_id = :userId', { userId })
      .select('sl.location_id', 'locationId')
      .getRawMany();
    for (const { locationId } of rows)
      await this.events.emit('location.availability_changed', { locationId });
  }

  private async emitIfAuthChanged(
    user: UserEntity,
    before: Pick<UserEntity, 'role' | 'language' | 'blocked'>,
  ): Promise<void> {
    if (user.role !== before.role || user.language !== before.language || user.blocked !== before.blocked) {
      await this.events.emit('user.auth_changed', { userId: user.id, tgId: user.tgId });
    }
  }
}
