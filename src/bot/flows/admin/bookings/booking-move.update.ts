import { Action, Ctx } from 'nestjs-telegraf';
import { BookingDto, BookingsApi } from '../../../../booking/api';
import { SlotsApi, StartDto } from '../../../../slots/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf, updateKey } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { t } from '../../../i18n/i18n';
import { dateTime, localDate } from '../../../ui/format';
import { fromQuarter, toQuarter } from '../../../ui/routes';
import { MenuController } from '../../../ui/menu-controller';
import { BookingCalendar, isSlotGone } from '../../client/booking/booking-calendar';
import { calendarScreen, confirmScreen, timesScreen } from '../../client/booking/booking.screens';
import { AdminDesk } from './admin-desk';
import { AdminBookings, AdminMove } from './bookings.routes';
import { pickScreen } from './bookings.screens';
import { AdminBookingsUpdate } from './bookings.update';

/**
 * The admin moves a booking through the client's calendar and times (same service; the specialist
 * may stay, change or be "any"); the contract keeps the original when the new time is taken, and the
 * client is told of the move.
 */
@BotFlow()
@ForRoles('admin')
export class AdminMoveUpdate {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly desk: AdminDesk,
    private readonly calendar: BookingCalendar,
    private readonly slots: SlotsApi,
    private readonly menus: MenuController,
    private readonly cards: AdminBookingsUpdate,
  ) {}

  @Action(AdminMove.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminMove.specialists.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, id);
    const [service, specialists] = await Promise.all([
      this.desk.catalog.serviceName(actor, booking.serviceId),
      this.desk.catalog.specialistsFor(actor, booking.locationId, booking.serviceId),
    ]);
    const month = this.calendar.thisMonth();
    const current = specialists.find((s) => s.id === booking.specialistId);
    const others = specialists.filter((s) => s.id !== booking.specialistId);
    const choices = current
      ? [{ id: current.id, name: t('move.keep_specialist', user.lang, { name: current.name }) }, ...others]
      : others;
    const screen = pickScreen(
      user.lang,
      t('move.choose_specialist', user.lang, { service }),
      choices,
      (pick) => AdminMove.calendar.encode(id, pick, month),
      AdminBookings.card.encode(id, 'day'),
      { text: t('book.any_specialist', user.lang), data: AdminMove.calendar.encode(id, 0, month) },
    );
    await this.menus.show(ctx, screen);
  }

  @Action(AdminMove.calendar.pattern)
  async onCalendar(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, month] = AdminMove.calendar.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, id);
    const [service, specialist] = await Promise.all([
      this.desk.catalog.serviceName(actor, booking.serviceId),
      pick ? this.desk.catalog.specialistName(actor, pick) : t('book.any_specialist', user.lang),
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
          day: (date) => AdminMove.times.encode(id, pick, date, 0),
          month: (m) => AdminMove.calendar.encode(id, pick, m),
          back: AdminMove.specialists.encode(id),
        },
      ),
    );
  }

  @Action(AdminMove.times.pattern)
  async onTimes(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, date, page] = AdminMove.times.decode(callbackDataOf(ctx))!;
    const booking = await this.bookings.get(actorOf(user), id);
    await this.menus.show(ctx, await this.timesOf(user, booking, pick, date, page));
  }

  @Action(AdminMove.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, specialistId, quarter] = AdminMove.card.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, id);
    const [details, specialist] = await Promise.all([
      this.desk.catalog.details(actor, booking),
      this.desk.catalog.specialist(actor, specialistId),
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
      confirm: AdminMove.confirm.encode(id, pick, specialistId, quarter),
      back: AdminMove.times.encode(id, pick, localDate(moved.startAt, zone), 0),
    });
    const was = t('move.was', user.lang, { when: dateTime(booking.startAt, zone, user.lang) });
    await this.menus.show(ctx, { ...screen, text: `${screen.text}\n${was}` });
  }

  @Action(AdminMove.confirm.pattern)
  async onConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, specialistId, quarter] = AdminMove.confirm.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    let booking: BookingDto;
    try {
      booking = await this.bookings.reschedule(
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
      const location = await this.desk.catalog.bookingLocation(actor, current.locationId);
      const date = localDate(fromQuarter(quarter), location.timeZone);
      return this.menus.show(ctx, await this.timesOf(user, current, pick, date, 0, gone));
    }
    const done = t('adm.bk.moved', user.lang);
    await ctx.answerCbQuery(done);
    await this.cards.showCard(ctx, user, booking, 'day', done);
  }

  private async timesOf(
    user: TgUserContext,
    booking: BookingDto,
    pick: number,
    date: string,
    page: number,
    notice?: string,
  ) {
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
        start: (s: StartDto) => AdminMove.card.encode(booking.id, pick, s.specialistId, toQuarter(s.startAt)),
        page: (p) => AdminMove.times.encode(booking.id, pick, date, p),
        back: AdminMove.calendar.encode(booking.id, pick, date.slice(0, 7)),
      },
      notice,
    );
  }
}
