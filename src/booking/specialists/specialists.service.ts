import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { authorize } from '../../common/access-policy';
import { Actor, isStaff } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { SpecialistsApi } from '../api/specialists.api';
import {
  CreateSpecialistDto,
  ListSpecialistsQuery,
  SpecialistDto,
  SpecialistServiceInput,
  UpdateSpecialistDto,
} from '../api/specialists.dto';
import { LocationEntity } from '../entities/location.entity';
import { ScheduleExceptionEntity, WorkIntervalEntity } from '../entities/schedule.entity';
import { ServiceEntity } from '../entities/service.entity';
import {
  SpecialistEntity,
  SpecialistLocationEntity,
  SpecialistServiceEntity,
} from '../entities/specialist.entity';
import { UserEntity } from '../entities/user.entity';
import { queryRows, rowBool } from '../../infra/database/sql';
import { CatalogCache, CatalogSnapshot, CatalogSpecialist } from '../catalog/catalog-cache';
import { UserRegistry } from '../users/user-registry';

/** "location 4 not found" / "locations 4, 9 not found": names every missing id. */
export function missingIds(entity: string, wanted: number[], found: { id: number }[]): DomainError | null {
  const have = new Set(found.map((f) => f.id));
  const missing = wanted.filter((id) => !have.has(id));
  if (!missing.length) return null;
  return missing.length === 1
    ? DomainError.notFound(entity, missing[0])
    : new DomainError(ErrorCode.NotFound, `${entity}s ${missing.join(', ')} not found`);
}

function uniq(ids: number[]): number[] {
  return [...new Set(ids)];
}

@Injectable()
export class SpecialistsService extends SpecialistsApi {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
    private readonly registry: UserRegistry,
    private readonly catalog: CatalogCache,
  ) {
    super();
  }

  async list(actor: Actor, query: ListSpecialistsQuery): Promise<Page<SpecialistDto>> {
    authorize(actor, 'specialist', 'read');
    const { take, skip } = pageOf(query);
    const staff = isStaff(actor);
    const catalog = await this.catalog.snapshot();
    const { locationId, serviceId } = query;
    // The public catalog: only specialists a client could book (active, their user not blocked).
    const active = !staff ? true : query.active === undefined ? undefined : query.active === 'true';
    const candidates = [...catalog.specialists.values()].filter(
      (s) =>
        (active === undefined || s.active === active) &&
        (locationId === undefined || s.locationIds.includes(locationId)) &&
        (serviceId === undefined || s.services.some((o) => o.serviceId === serviceId)),
    );
    const users = await this.usersOf(candidates.map((s) => s.userId));
    const rows = candidates.filter((s) => {
      const user = users.get(s.userId);
      return user !== undefined && (staff || !user.blocked);
    });
    return {
      items: rows
        .slice(skip, skip + take)
        .map((s) => fromCatalog(catalog, s, users.get(s.userId)!.name, staff)),
      total: rows.length,
      limit: take,
      offset: skip,
    };
  }

  async get(actor: Actor, id: number): Promise<SpecialistDto> {
    authorize(actor, 'specialist', 'read');
    const catalog = await this.catalog.snapshot();
    const specialist = catalog.specialists.get(id);
    const user = specialist && (await this.usersOf([specialist.userId])).get(specialist.userId);
    const visible =
      specialist &&
      user &&
      (isStaff(actor) || specialist.userId === actor.userId || (specialist.active && !user.blocked));
    if (!visible) throw DomainError.notFound('specialist', id);
    return fromCatalog(catalog, specialist, user.name, isStaff(actor));
  }

  async me(actor: Actor): Promise<SpecialistDto> {
    const catalog = await this.catalog.snapshot();
    const own = [...catalog.specialists.values()].find((s) => s.userId === actor.userId);
    if (!own) throw DomainError.notFound('Specialist profile of the current user');
    return this.get(actor, own.id);
  }

  /** Names and blocked flags, read fresh: users change outside the catalog. */
  private async usersOf(ids: number[]): Promise<Map<number, { name: string; blocked: boolean }>> {
    if (!ids.length) return new Map();
    const rows = await queryRows<{ id: unknown; name: string; blocked: unknown }>(
      this.dataSource,
      `SELECT id, name, blocked FROM users WHERE id IN (:...ids)`,
      { ids: uniq(ids) },
    );
    return new Map(rows.map((r) => [Number(r.id), { name: r.name, blocked: rowBool(r.blocked) }]));
  }

  async create(actor: Actor, dto: CreateSpecialistDto): Promise<SpecialistDto> {
    authorize(actor, 'specialist', 'write');
    if ((dto.userId === undefined) === (dto.user === undefined)) {
      throw DomainError.invalid(
        'Give either userId (an existing user) or user (a new one), not both or neither',
      );
    }
    const locationIds = uniq(dto.locationIds ?? []);
    const services = dto.services ?? [];
    const result = await this.uow.run(async (em) => {
      const { user, roleChanged } = await this.resolveUser(em, actor, dto);
      await this.checkLocations(em, locationIds);
      await this.checkServices(em, services);
      const specialist = await em.save(
        SpecialistEntity,
        em.create(SpecialistEntity, { userId: user.id, bio: dto.bio ?? '', active: true }),
      );
      await this.link(em, specialist.id, locationIds, services);
      if (roleChanged) {
        await this.audit.record(em, actor, {
          action: 'user.update',
          entity: 'user',
          entityId: user.id,
          changes: { role: 'specialist' },
        });
      }
      await this.audit.record(em, actor, {
        action: 'specialist.create',
        entity: 'specialist',
        entityId: specialist.id,
        changes: { ...dto, userId: user.id },
      });
      specialist.user = user;
      return { specialist, user, roleChanged, dto: (await this.toDtos(em, [specialist], actor))[0] };
    });
    await this.catalog.changed();
    if (result.roleChanged) {
      await this.events.emit('user.auth_changed', { userId: result.user.id, tgId: result.user.tgId });
    }
    for (const locationId of locationIds)
      await this.events.emit('location.availability_changed', { locationId });
    return result.dto;
  }

  async update(actor: Actor, id: number, dto: UpdateSpecialistDto): Promise<SpecialistDto> {
    authorize(actor, 'specialist', 'write');
    const result = await this.uow.run(async (em) => {
      const specialist = await em.findOne(SpecialistEntity, { where: { id }, relations: { user: true } });
      if (!specialist) throw DomainError.notFound('specialist', id);
      const before = (await em.findBy(SpecialistLocationEntity, { specialistId: id })).map(
        (l) => l.locationId,
      );
      let after = before;
      if (dto.locationIds !== undefined) {
        after = uniq(dto.locationIds);
        await this.checkLocations(em, after);
        const dropped = before.filter((l) => !after.includes(l));
        if (dropped.length) {
          // A schedule at a location the specialist no longer works at would be unreachable and misleading.
          await em.delete(SpecialistLocationEntity, { specialistId: id, locationId: In(dropped) });
          await em.delete(WorkIntervalEntity, { specialistId: id, locationId: In(dropped) });
          await em.delete(ScheduleExceptionEntity, { specialistId: id, locationId: In(dropped) });
        }
        const added = after.filter((l) => !before.includes(l));
        if (added.length) {
          await em.insert(
            SpecialistLocationEntity,
            added.map((locationId) => ({ specialistId: id, locationId })),
          );
        }
      }
      if (dto.services !== undefined) {
        await this.checkServices(em, dto.services);
        await em.delete(SpecialistServiceEntity, { specialistId: id });
        await this.link(em, id, [], dto.services);
      }
      if (dto.bio !== undefined) specialist.bio = dto.bio;
      if (dto.active !== undefined) specialist.active = dto.active;
      await em.update(SpecialistEntity, id, { bio: specialist.bio, active: specialist.active });
      await this.audit.record(em, actor, {
        action: 'specialist.update',
        entity: 'specialist',
        entityId: id,
        changes: dto,
      });
      const gridChanged =
        dto.locationIds !== undefined || dto.services !== undefined || dto.active !== undefined;
      return {
        affected: gridChanged ? uniq([...before, ...after]) : [],
        dto: (await this.toDtos(em, [specialist], actor))[0],
      };
    });
    await this.catalog.changed();
    for (const locationId of result.affected)
      await this.events.emit('location.availability_changed', { locationId });
    return result.dto;
  }

  remove(actor: Actor, id: number): Promise<SpecialistDto> {
    return this.update(actor, id, { active: false });
  }

  private async resolveUser(
    em: EntityManager,
    actor: Actor,
    dto: CreateSpecialistDto,
  ): Promise<{ user: UserEntity; roleChanged: boolean }> {
    if (dto.userId !== undefined) {
      const user = await em.findOneBy(UserEntity, { id: dto.userId });
      if (!user) throw DomainError.notFound('user', dto.userId);
      const existing = await em.findOneBy(SpecialistEntity, { userId: user.id });
      if (existing) {
        throw new DomainError(
          ErrorCode.AlreadyExists,
          `User ${user.id} is already specialist ${existing.id}${existing.active ? '' : ' (inactive: reactivate it with PATCH)'}`,
        );
      }
      // An admin who also takes clients keeps admin rights; everyone else becomes a specialist.
      if (user.role !== 'client') return { user, roleChanged: false };
      user.role = 'specialist';
      await em.update(UserEntity, user.id, { role: 'specialist' });
      return { user, roleChanged: true };
    }
    const input = { ...dto.user!, role: 'specialist' as const };
    return { user: await this.registry.add(em, actor, input, { changes: input }), roleChanged: false };
  }

  private async checkLocations(em: EntityManager, ids: number[]): Promise<void> {
    if (!ids.length) return;
    const error = missingIds(
      'location',
      ids,
      await em.find(LocationEntity, { where: { id: In(ids) }, select: { id: true } }),
    );
    if (error) throw error;
  }

  private async checkServices(em: EntityManager, services: SpecialistServiceInput[]): Promise<void> {
    const ids = services.map((s) => s.serviceId);
    if (!ids.length) return;
    const error = missingIds(
      'service',
      ids,
      await em.find(ServiceEntity, { where: { id: In(ids) }, select: { id: true } }),
    );
    if (error) throw error;
  }

  private async link(
    em: EntityManager,
    specialistId: number,
    locationIds: number[],
    services: SpecialistServiceInput[],
  ) {
    if (locationIds.length) {
      await em.insert(
        SpecialistLocationEntity,
        locationIds.map((locationId) => ({ specialistId, locationId })),
      );
    }
    if (services.length) {
      await em.insert(
        SpecialistServiceEntity,
        services.map((s) => ({
          specialistId,
          serviceId: s.serviceId,
          durationMin: s.durationMin ?? null,
          price: s.price ?? null,
        })),
      );
    }
  }

  /** Full views in the caller's transaction (a write's answer), in four queries whatever the page size. */
  private async toDtos(em: EntityManager, rows: SpecialistEntity[], actor: Actor): Promise<SpecialistDto[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const [locLinks, svcLinks] = await Promise.all([
      em.findBy(SpecialistLocationEntity, { specialistId: In(ids) }),
      em.findBy(SpecialistServiceEntity, { specialistId: In(ids) }),
    ]);
    const [locations, services] = await Promise.all([
      em.findBy(LocationEntity, { id: In(uniq(locLinks.map((l) => l.locationId))) }),
      em.findBy(ServiceEntity, { id: In(uniq(svcLinks.map((s) => s.serviceId))) }),
    ]);
    const catalog = {
      locations: new Map(locations.map((l) => [l.id, l])),
      services: new Map(services.map((s) => [s.id, s])),
    };
    return rows.map((s) =>
      fromCatalog(
        catalog,
        {
          ...s,
          locationIds: locLinks.filter((l) => l.specialistId === s.id).map((l) => l.locationId),
          services: svcLinks.filter((l) => l.specialistId === s.id),
        },
        s.user.name,
        isStaff(actor),
      ),
    );
  }
}

/** A specialist's full view; non-staff do not see inactive locations or services. */
function fromCatalog(
  catalog: Pick<CatalogSnapshot, 'locations' | 'services'>,
  s: CatalogSpecialist,
  name: string,
  staff: boolean,
): SpecialistDto {
  return {
    id: s.id,
    userId: s.userId,
    name,
    bio: s.bio,
    active: s.active,
    locations: s.locationIds
      .map((id) => catalog.locations.get(id))
      .filter((l) => l !== undefined && (staff || l.active))
      .map((l) => l!)
      .sort((a, b) => a.id - b.id)
      .map((l) => ({ id: l.id, name: l.name, timeZone: l.timeZone, active: l.active })),
    services: [...s.services]
      .sort((a, b) => a.serviceId - b.serviceId)
      .flatMap((link) => {
        const service = catalog.services.get(link.serviceId);
        if (!service || (!staff && !service.active)) return [];
        return [
          {
            serviceId: service.id,
            name: service.name,
            durationMin: link.durationMin ?? service.durationMin,
            price: link.price ?? service.price,
            customDurationMin: link.durationMin,
            customPrice: link.price,
            active: service.active,
          },
        ];
      }),
  };
}
