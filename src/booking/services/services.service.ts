import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { authorize } from '../../common/access-policy';
import { Actor, isStaff } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { ServicesApi } from '../api/services.api';
import { CreateServiceDto, ListServicesQuery, ServiceDto, UpdateServiceDto } from '../api/services.dto';
import { ServiceEntity } from '../entities/service.entity';
import { SpecialistLocationEntity, SpecialistServiceEntity } from '../entities/specialist.entity';

export function toServiceDto(s: ServiceEntity): ServiceDto {
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

@Injectable()
export class ServicesService extends ServicesApi {
  constructor(
    @InjectRepository(ServiceEntity) private readonly services: Repository<ServiceEntity>,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly events: DomainEvents,
  ) {
    super();
  }

  async list(actor: Actor, query: ListServicesQuery): Promise<Page<ServiceDto>> {
    authorize(actor, 'service', 'read');
    const { take, skip } = pageOf(query);
    const qb = this.services.createQueryBuilder('s').orderBy('s.id', 'ASC').take(take).skip(skip);
    // Clients and specialists see the bookable catalog only.
    const active = !isStaff(actor) ? true : query.active === undefined ? undefined : query.active === 'true';
    if (active !== undefined) qb.andWhere('s.active = :active', { active });
    if (query.locationId !== undefined) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM specialist_services ss
                   JOIN specialist_locations sl ON sl.specialist_id = ss.specialist_id
                   JOIN specialists sp ON sp.id = ss.specialist_id
                  WHERE ss.service_id = s.id AND sl.location_id = :locationId AND sp.active = :spActive)`,
        { locationId: query.locationId, spActive: true },
      );
    }
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toServiceDto), total, limit: take, offset: skip };
  }

  async get(actor: Actor, id: number): Promise<ServiceDto> {
    authorize(actor, 'service', 'read');
    const service = await this.services.findOneBy({ id });
    if (!service || (!service.active && !isStaff(actor))) throw DomainError.notFound('service', id);
    return toServiceDto(service);
  }

  async create(actor: Actor, dto: CreateServiceDto): Promise<ServiceDto> {
    authorize(actor, 'service', 'write');
    return this.uow.run(async (em) => {
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
    for (const locationId of affected)
      await this.events.emit('location.availability_changed', { locationId });
    return toServiceDto(service);
  }

  remove(actor: Actor, id: number): Promise<ServiceDto> {
    return this.update(actor, id, { active: false });
  }
}
