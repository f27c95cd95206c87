import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type { CreateLocationDto, ListLocationsQuery, LocationDto, UpdateLocationDto } from './locations.dto';

/** Mirrors /api/v1/locations. Deleting deactivates: bookings keep their history. */
export abstract class LocationsApi {
  abstract list(actor: Actor, query: ListLocationsQuery): Promise<Page<LocationDto>>;
  abstract get(actor: Actor, id: number): Promise<LocationDto>;
  abstract create(actor: Actor, dto: CreateLocationDto): Promise<LocationDto>;
  abstract update(actor: Actor, id: number, dto: UpdateLocationDto): Promise<LocationDto>;
  abstract remove(actor: Actor, id: number): Promise<LocationDto>;
}
