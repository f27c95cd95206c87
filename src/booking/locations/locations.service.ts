import { Injectable } from '@nestjs/common';
import { authorize } from '../../common/access-policy';
import { Actor, isStaff } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { LocationsApi } from '../api/locations.api';
import { CreateLocationDto, ListLocationsQuery, LocationDto, UpdateLocationDto } from '../api/locations.dto';
import { CatalogCache, CatalogLocation } from '../catalog/catalog-cache';
import { LocationEntity } from '../entities/location.entity';

export function toLocationDto(l: CatalogLocation): LocationDto {
  return { id: l.id, name: l.name, address: l.address, timeZone: l.timeZone, active: l.active };
}

@Injectable()
export class LocationsService extends LocationsApi {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
    private readonly catalog: CatalogCache,
  ) {
    super();
  }

  async list(actor: Actor, query: ListLocationsQuery): Promise<Page<LocationDto>> {
    authorize(actor, 'location', 'read');
    const { take, skip } = pageOf(query);
    // Clients and specialists see the bookable catalog only.
    const active = !isStaff(actor) ? true : query.active === undefined ? undefined : query.active === 'true';
    const rows = [...(await this.catalog.snapshot()).locations.values()].filter(
      (l) => active === undefined || l.active === active,
    );
    return {
      items: rows.slice(skip, skip + take).map(toLocationDto),
      total: rows.length,
      limit: take,
      offset: skip,
    };
  }

  async get(actor: Actor, id: number): Promise<LocationDto> {
    authorize(actor, 'location', 'read');
    const location = (await this.catalog.snapshot()).locations.get(id);
    if (!location || (!location.active && !isStaff(actor))) throw DomainError.notFound('location', id);
    return toLocationDto(location);
  }

  async create(actor: Actor, dto: CreateLocationDto): Promise<LocationDto> {
    authorize(actor, 'location', 'write');
    const created = await this.uow.run(async (em) => {
      const location = await em.save(
        LocationEntity,
        em.create(LocationEntity, { address: '', ...dto, active: true }),
      );
      await this.audit.record(em, actor, {
        action: 'location.create',
        entity: 'location',
        entityId: location.id,
        changes: dto,
      });
      return toLocationDto(location);
    });
    await this.catalog.changed();
    return created;
  }

  async update(actor: Actor, id: number, dto: UpdateLocationDto): Promise<LocationDto> {
    authorize(actor, 'location', 'write');
    const result = await this.uow.run(async (em) => {
      const location = await em.findOneBy(LocationEntity, { id });
      if (!location) throw DomainError.notFound('location', id);
      Object.assign(location, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      await em.save(LocationEntity, location);
      await this.audit.record(em, actor, {
        action: 'location.update',
        entity: 'location',
        entityId: id,
        changes: dto,
      });
      return toLocationDto(location);
    });
    await this.catalog.changed();
    // A new time zone or an (in)active flag changes every grid of the location.
    if (dto.timeZone !== undefined || dto.active !== undefined) {
      await this.events.emit('location.availability_changed', { locationId: id });
    }
    return result;
  }

  remove(actor: Actor, id: number): Promise<LocationDto> {
    return this.update(actor, id, { active: false });
  }
}
