import { Injectable } from '@nestjs/common';
import { SettingsApi } from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { DomainError, ErrorCode } from '../../../../common/errors';
import { Clock } from '../../../../infra/clock/clock';
import { SlotsApi } from '../../../../slots/api';
import { addMonths } from '../../../ui/format';

const SLOT_GONE = new Set([ErrorCode.SlotTaken, ErrorCode.SlotUnavailable, ErrorCode.TooSoon]);

/** A refusal at confirmation meaning "that time is gone": every booking flow shows the day's fresh times instead. */
export function isSlotGone(err: unknown): err is DomainError {
  return err instanceof DomainError && SLOT_GONE.has(err.code);
}

export interface MonthView {
  month: string;
  days: string[];
  firstMonth: string;
  lastMonth: string;
}

const DAY_MS = 86_400_000;

/** The UTC month (YYYY-MM) of an instant: a string cut, not a luxon DateTime (a specialists screen asks it once a button). */
const utcMonth = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** The calendar's data for booking and for moving a booking: free days of a month within the horizon. */
@Injectable()
export class BookingCalendar {
  constructor(
    private readonly slots: SlotsApi,
    private readonly settings: SettingsApi,
    private readonly clock: Clock,
  ) {}

  /** The month calendars open at: today's (UTC; the slots of each day are still the location's). */
  thisMonth(): string {
    return utcMonth(this.clock.now().getTime());
  }

  /** A first look at a month with no free day moves on to the next month that has one. */
  async monthView(
    actor: Actor,
    query: { locationId: number; serviceId: number; specialistId?: number },
    month: string,
  ): Promise<MonthView> {
    const { horizonDays } = await this.settings.get(actor);
    const firstMonth = this.thisMonth();
    const lastMonth = utcMonth(this.clock.now().getTime() + horizonDays * DAY_MS);
    let shown = month < firstMonth ? firstMonth : month > lastMonth ? lastMonth : month;
    let days = (await this.slots.days(actor, { ...query, month: shown })).days;
    if (!days.length && shown === firstMonth) {
      for (let m = addMonths(shown, 1); m <= lastMonth; m = addMonths(m, 1)) {
        const found = (await this.slots.days(actor, { ...query, month: m })).days;
        if (found.length) {
          shown = m;
          days = found;
          break;
        }
      }
    }
    return { month: shown, days, firstMonth, lastMonth };
  }
}
