import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { authorize } from '../../common/access-policy';
import { Actor, isStaff } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { LocationsApi } from '../api/locations.api';
import { CreateLocationDto, ListLocationsQuery, LocationDto, UpdateLocationDto } from '../api/locations.dto';
import { LocationEntity } from '../entities/location.entity';

export function toLocationDto(l: LocationEntity): LocationDto {
  return { id: l.id, name: l.name, address: l.address, timeZone: l.timeZone, active: l.active };
}

@Injectable()
export class LocationsService extends LocationsApi {
  constructor(
    @InjectRepository(LocationEntity) private readonly locations: Repository<LocationEntity>,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
  ) {
    super();
  }

  async list(actor: Actor, query: ListLocationsQuery): Promise<Page<LocationDto>> {
    authorize(actor, 'location', 'read');
    const { take, skip } = pageOf(query);
    // Clients and specialists see the bookable catalog only.
    const active = !isStaff(actor) ? true : query.active === undefined ? undefined : query.active === 'true';
    const [rows, total] = await this.locations.findAndCount({
      where: { active },
      order: { id: 'ASC' },
      take,
      skip,
    });
    return { items: rows.map(toLocationDto), total, limit: take, offset: skip };
  }

  async get(actor: Actor, id: number): Promise<LocationDto> {
    authorize(actor, 'location', 'read');
    const location = await this.locations.findOneBy({ id });
    if (!location || (!location.active && !isStaff(actor))) throw DomainError.notFound('location', id);
    return toLocationDto(location);
  }

  async create(actor: Actor, dto: CreateLocationDto): Promise<LocationDto> {
    authorize(actor, 'location', 'write');
    return this.uow.run(async (em) => {
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
