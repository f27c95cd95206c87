import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type { CreateServiceDto, ListServicesQuery, ServiceDto, UpdateServiceDto } from './services.dto';

/** Mirrors /api/v1/services. Deleting deactivates: bookings keep their history. */
export abstract class ServicesApi {
  abstract list(actor: Actor, query: ListServicesQuery): Promise<Page<ServiceDto>>;
  abstract get(actor: Actor, id: number): Promise<ServiceDto>;
  abstract create(actor: Actor, dto: CreateServiceDto): Promise<ServiceDto>;
  abstract update(actor: Actor, id: number, dto: UpdateServiceDto): Promise<ServiceDto>;
  abstract remove(actor: Actor, id: number): Promise<ServiceDto>;
}
