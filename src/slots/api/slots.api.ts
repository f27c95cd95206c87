import type { Actor } from '../../common/actor';
import type {
  AvailableDaysDto,
  DaysQuery,
  GridQuery,
  LocationGridDto,
  StartsDto,
  StartsQuery,
} from './slots.dto';

/** The slots engine as clients see it: mirrors /api/v1/slots/* one to one (the booking lifecycle's checks are SlotChecks). */
export abstract class SlotsApi {
  /** GET /api/v1/slots/grid: every specialist's 96 cells of a location-day (admin: all; specialist: own row). */
  abstract grid(actor: Actor, query: GridQuery): Promise<LocationGridDto>;
  /** GET /api/v1/slots/starts: where a service can start on a local date, for one specialist or any. */
  abstract starts(actor: Actor, query: StartsQuery): Promise<StartsDto>;
  /** GET /api/v1/slots/days: the local dates of a month with at least one start. */
  abstract days(actor: Actor, query: DaysQuery): Promise<AvailableDaysDto>;
}
