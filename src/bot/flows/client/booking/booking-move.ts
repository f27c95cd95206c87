import { Injectable } from '@nestjs/common';
import { BookingDto, BookingsApi, SpecialistDto } from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { SlotsApi, StartDto } from '../../../../slots/api';
import type { CallbackRoute } from '../../../api/callback-codec';
import type { TgUserContext } from '../../../api/tg-user-context';
import { BotContext, callbackDataOf, updateKey } from '../../../core/bot-context';
import { t } from '../../../i18n/i18n';
import { dateTime, localDate } from '../../../ui/format';
import { MenuController } from '../../../ui/menu-controller';
import { fromQuarter, toQuarter } from '../../../ui/routes';
import type { Screen } from '../../../ui/screen';
import { BookingCalendar, isSlotGone } from './booking-calendar';
import { calendarScreen, confirmScreen, timesScreen } from './booking.screens';
import { SalonCatalog } from './salon-catalog';

/** The buttons of one role's move: booking, specialist chosen (0 any), then month, date or start. */
export interface MoveRoutes {
  specialists: CallbackRoute<readonly ['id']>;
  calendar: CallbackRoute<readonly ['id', 'int', 'month']>;
  times: CallbackRoute<readonly ['id', 'int', 'date', 'int']>;
  /** booking, chosen (0 any), specialist, start quarter */
  card: CallbackRoute<readonly ['id', 'int', 'id', 'int']>;
  confirm: CallbackRoute<readonly ['id', 'int', 'id', 'int']>;
}

/** Who moves: the role's buttons and the capacity the user acts in. */
export interface MoveFlow {
  routes: MoveRoutes;
  actorOf: (user: TgUserContext) => Actor;
}

/** What the choice of specialist offers: the booking's own (if still offered) and the others. */
export interface MoveChoices {
  service: string;
  current?: SpecialistDto;
  others: SpecialistDto[];
  /** The month the calendar opens at. */
  month: string;
}

/**
 * Moving a booking, the steps the client and the admin share: the same calendar, times and
 * confirmation as booking, each role with its own buttons; where the move leads after is the flow's.
 */
@Injectable()
export class BookingMoveSteps {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly catalog: SalonCatalog,
    private readonly calendar: BookingCalendar,
    private readonly slots: SlotsApi,
    private readonly menus: MenuController,
  ) {}

  async choices(actor: Actor, booking: BookingDto): Promise<MoveChoices> {
    const [service, specialists] = await Promise.all([
      this.catalog.serviceName(actor, booking.serviceId),
      this.catalog.specialistsFor(actor, booking.locationId, booking.serviceId),
    ]);
    return {
      service,
      current: specialists.find((s) => s.id === booking.specialistId),
      others: specialists.filter((s) => s.id !== booking.specialistId),
      month: this.calendar.thisMonth(),
    };
  }

  async onCalendar({ routes, actorOf }: MoveFlow, ctx: BotContext, user: TgUserContext): Promise<void> {
    const [id, pick, month] = routes.calendar.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, id);
    const [service, specialist] = await Promise.all([
      this.catalog.serviceName(actor, booking.serviceId),
      pick ? this.catalog.specialistName(actor, pick) : t('book.any_specialist', user.lang),
    ]);
    const view = await this.calendar.monthView(
      actor,
      { locationId: booking.locationId, serviceId: booking.serviceId, specialistId: pick || undefined },
      month,
    );
    const subject = t('move.subject', user.lang, { service, specialist });
    await this.menus.show(
      ctx,
      calendarScreen(
        user.lang,
        { ...view, subject },
        {
          day: (date) => routes.times.encode(id, pick, date, 0),
          month: (m) => routes.calendar.encode(id, pick, m),
          back: routes.specialists.encode(id),
        },
      ),
    );
  }

  async onTimes(flow: MoveFlow, ctx: BotContext, user: TgUserContext): Promise<void> {
    const [id, pick, date, page] = flow.routes.times.decode(callbackDataOf(ctx))!;
    const booking = await this.bookings.get(flow.actorOf(user), id);
    await this.menus.show(ctx, await this.timesOf(flow, user, booking, pick, date, page));
  }

  /** The move to confirm: the booking as it would be, and when it was. */
  async onCard({ routes, actorOf }: MoveFlow, ctx: BotContext, user: TgUserContext): Promise<void> {
    const [id, pick, specialistId, quarter] = routes.card.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, id);
    const [details, specialist] = await Promise.all([
      this.catalog.details(actor, booking),
      this.catalog.specialist(actor, specialistId),
    ]);
    const offer = specialist.services.find((s) => s.serviceId === booking.serviceId);
    const moved = {
      ...details,
      specialist: specialist.name,
      startAt: fromQuarter(quarter).toISOString(),
      durationMin: offer?.durationMin ?? booking.durationMin,
      price: offer?.price ?? booking.price,
    };
    const zone = details.location.timeZone;
    const screen = confirmScreen(user.lang, 'move.confirm_title', moved, {
      confirm: routes.confirm.encode(id, pick, specialistId, quarter),
      back: routes.times.encode(id, pick, localDate(moved.startAt, zone), 0),
    });
    const was = t('move.was', user.lang, { when: dateTime(booking.startAt, zone, user.lang) });
    await this.menus.show(ctx, { ...screen, text: `${screen.text}\n${was}` });
  }

  /**
   * Moves the booking; when the time is gone meanwhile, shows the day's fresh times and returns
   * undefined. Any other refusal is thrown for the flow (or the bot's error filter) to tell.
   */
  async confirm(flow: MoveFlow, ctx: BotContext, user: TgUserContext): Promise<BookingDto | undefined> {
    const [id, pick, specialistId, quarter] = flow.routes.confirm.decode(callbackDataOf(ctx))!;
    const actor = flow.actorOf(user);
    try {
      return await this.bookings.reschedule(
        actor,
        id,
        { startAt: fromQuarter(quarter).toISOString(), specialistId },
        { idempotencyKey: updateKey(ctx) },
      );
    } catch (err) {
      if (!isSlotGone(err)) throw err;
      const gone = t('book.slot_gone', user.lang);
      await ctx.answerCbQuery(gone);
      const current = await this.bookings.get(actor, id);
      const location = await this.catalog.bookingLocation(actor, current.locationId);
      const date = localDate(fromQuarter(quarter), location.timeZone);
      await this.menus.show(ctx, await this.timesOf(flow, user, current, pick, date, 0, gone));
      return undefined;
    }
  }

  private async timesOf(
    { routes, actorOf }: MoveFlow,
    user: TgUserContext,
    booking: BookingDto,
    pick: number,
    date: string,
    page: number,
    notice?: string,
  ): Promise<Screen> {
    const { starts } = await this.slots.starts(actorOf(user), {
      locationId: booking.locationId,
      serviceId: booking.serviceId,
      date,
      specialistId: pick || undefined,
    });
    // The booking's own time is not a move.
    const others = starts.filter(
      (s) => !(s.startAt === booking.startAt && s.specialistId === booking.specialistId),
    );
    return timesScreen(
      user.lang,
      date,
      others,
      page,
      {
        start: (s: StartDto) => routes.card.encode(booking.id, pick, s.specialistId, toQuarter(s.startAt)),
        page: (p) => routes.times.encode(booking.id, pick, date, p),
        back: routes.calendar.encode(booking.id, pick, date.slice(0, 7)),
      },
      notice,
    );
  }
}
