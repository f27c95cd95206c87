import type { Actor } from '../../common/actor';
import type { BookingsReportDto, BookingsReportQuery } from './reports.dto';

/** Mirrors /api/v1/reports: the salon's figures. Admin only. */
export abstract class ReportsApi {
  /**
   * Bookings, done, no-shows, cancellations and revenue of the bookings starting in a day, week or
   * month, per location (the period taken in that location's time zone) and per specialist there.
   */
  abstract bookings(actor: Actor, query: BookingsReportQuery): Promise<BookingsReportDto>;
}
