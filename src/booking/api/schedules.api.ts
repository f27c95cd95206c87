import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type {
  CreateScheduleExceptionDto,
  CreateWorkIntervalDto,
  ListExceptionsQuery,
  ListIntervalsQuery,
  ScheduleExceptionDto,
  WeeklyIntervalInput,
  WorkIntervalDto,
} from './schedules.dto';

/**
 * Weekly work intervals and date exceptions; mirrors /api/v1/schedules/* and
 * /api/v1/specialists/:id/schedule. Admin: everything. A specialist reads their own schedule and
 * the location-wide exceptions of their locations (another specialist's: 404). Clients: 403.
 */
export abstract class SchedulesApi {
  abstract listIntervals(actor: Actor, query: ListIntervalsQuery): Promise<Page<WorkIntervalDto>>;
  abstract createInterval(actor: Actor, dto: CreateWorkIntervalDto): Promise<WorkIntervalDto>;
  abstract removeInterval(actor: Actor, id: number): Promise<WorkIntervalDto>;
  /** The specialist's week at one location, ordered by weekday and start. */
  abstract getWeek(actor: Actor, specialistId: number, locationId: number): Promise<WorkIntervalDto[]>;
  /** Replaces the specialist's whole week at one location atomically; an empty list clears it. */
  abstract replaceWeek(
    actor: Actor,
    specialistId: number,
    locationId: number,
    intervals: WeeklyIntervalInput[],
  ): Promise<WorkIntervalDto[]>;

  abstract listExceptions(actor: Actor, query: ListExceptionsQuery): Promise<Page<ScheduleExceptionDto>>;
  abstract createException(actor: Actor, dto: CreateScheduleExceptionDto): Promise<ScheduleExceptionDto>;
  abstract removeException(actor: Actor, id: number): Promise<ScheduleExceptionDto>;
}
