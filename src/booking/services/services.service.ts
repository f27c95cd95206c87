import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { authorize } from '../../common/access-policy';
import { Actor, isStaff } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { ServicesApi } from '../api/services.api';
import { CreateServiceDto, ListServicesQuery, ServiceDto, UpdateServiceDto } from '../api/services.dto';
import { CatalogCache, CatalogService, CatalogSnapshot } from '../catalog/catalog-cache';
import { ServiceEntity } from '../entities/service.entity';
import { SpecialistLocationEntity, SpecialistServiceEntity } from '../entities/specialist.entity';

export function toServiceDto(s: CatalogService): ServiceDto {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    durationMin: s.durationMin,
    price: s.price,
    active: s.active,
  };
}

/** Locations where some specialist offers the service: their grids depend on its duration and active flag. */
export async function locationsOfferingService(em: EntityManager, serviceId: number): Promise<number[]> {
  const rows = await em
    .createQueryBuilder(SpecialistLocationEntity, 'sl')
    .select('DISTINCT sl.location_id', 'locationId')
    .innerJoin(SpecialistServiceEntity, 'ss', 'ss.specialist_id = sl.specialist_id')
    .where('ss.service_id = :serviceId', { serviceId })
    .getRawMany<{ locationId: number }>();
  return rows.map((r) => Number(r.locationId));
}

/** Services some active specialist linked to the location offers. */
function offeredAt(catalog: CatalogSnapshot, locationId: number): Set<number> {
  const offered = new Set<number>();
  for (const specialist of catalog.specialists.values()) {
    if (!specialist.active || !specialist.locationIds.includes(locationId)) continue;
    for (const offer of specialist.services) offered.add(offer.serviceId);
  }
  return offered;
}

@Injectable()
export class ServicesService extends ServicesApi {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
    private readonly catalog: CatalogCache,
  ) {
    super();
  }

  async list(actor: Actor, query: ListServicesQuery): Promise<Page<ServiceDto>> {
    authorize(actor, 'service', 'read');
    const { take, skip } = pageOf(query);
    // Clients and specialists see the bookable catalog only.
    const active = !isStaff(actor) ? true : query.active === undefined ? undefined : query.active === 'true';
    const catalog = await this.catalog.snapshot();
    const offered = query.locationId === undefined ? null : offeredAt(catalog, query.locationId);
    const rows = [...catalog.services.values()].filter(
      (s) => (active === undefined || s.active === active) && (offered === null || offered.has(s.id)),
    );
    return {
      items: rows.slice(skip, skip + take).map(toServiceDto),
      total: rows.length,
      limit: take,
      offset: skip,
    };
  }

  async get(actor: Actor, id: number): Promise<ServiceDto> {
    authorize(actor, 'service', 'read');
    const service = (await this.catalog.snapshot()).services.get(id);
    if (!service || (!service.active && !isStaff(actor))) throw DomainError.notFound('service', id);
    return toServiceDto(service);
  }

  async create(actor: Actor, dto: CreateServiceDto): Promise<ServiceDto> {
    authorize(actor, 'service', 'write');
    const created = await this.uow.run(async (em) => {
      const service = await em.save(
        ServiceEntity,
        em.create(ServiceEntity, { description: '', ...dto, active: dto.active ?? true }),
      );
      await this.audit.record(em, actor, {
        action: 'service.create',
        entity: 'service',
        entityId: service.id,
        changes: dto,
      });
      return toServiceDto(service);
    });
    await this.catalog.changed();
    return created;
  }

  async update(actor: Actor, id: number, dto: UpdateServiceDto): Promise<ServiceDto> {
    authorize(actor, 'service', 'write');
    const { service, affected } = await this.uow.run(async (em) => {
      const service = await em.findOneBy(ServiceEntity, { id });
      if (!service) throw DomainError.notFound('service', id);
      const gridChanged =
        (dto.durationMin !== undefined && dto.durationMin !== service.durationMin) ||
        (dto.active !== undefined && dto.active !== service.active);
      Object.assign(service, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      await em.save(ServiceEntity, service);
      await this.audit.record(em, actor, {
        action: 'service.update',
        entity: 'service',
        entityId: id,
        changes: dto,
      });
      return { service, affected: gridChanged ? await locationsOfferingService(em, id) : [] };
    });
    await this.catalog.changed();
    for (const locationId of affected)
      await this.events.emit('location.availability_changed', { locationId });
    return toServiceDto(service);
  }

  remove(actor: Actor, id: number): Promise<ServiceDto> {
    return this.update(actor, id, { active: false });
  }
}
