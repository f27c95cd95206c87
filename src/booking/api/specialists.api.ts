import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type {
  CreateSpecialistDto,
  ListSpecialistsQuery,
  SpecialistDto,
  UpdateSpecialistDto,
} from './specialists.dto';

/**
 * Mirrors /api/v1/specialists. A specialist is a user with a profile, the locations they work at and
 * the services they offer. Deleting deactivates: bookings keep their history.
 */
export abstract class SpecialistsApi {
  abstract list(actor: Actor, query: ListSpecialistsQuery): Promise<Page<SpecialistDto>>;
  abstract get(actor: Actor, id: number): Promise<SpecialistDto>;
  /** The caller's own profile (GET /api/v1/specialists/me); 404 when the caller has none. */
  abstract me(actor: Actor): Promise<SpecialistDto>;
  abstract create(actor: Actor, dto: CreateSpecialistDto): Promise<SpecialistDto>;
  abstract update(actor: Actor, id: number, dto: UpdateSpecialistDto): Promise<SpecialistDto>;
  abstract remove(actor: Actor, id: number): Promise<SpecialistDto>;
}
