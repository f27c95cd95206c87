import { Action, Ctx } from 'nestjs-telegraf';
import { BookingDto, BookingsApi } from '../../../../booking/api';
import { DomainError, ErrorCode } from '../../../../common/errors';
import { SlotsApi, StartDto } from '../../../../slots/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { BotContext, BotUser, callbackDataOf, clientActorOf, updateKey } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { t } from '../../../i18n/i18n';
import { dateTime, localDate } from '../../../ui/format';
import { KeyboardBuilder } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import { fromQuarter, Move, MyBookings, toQuarter } from '../../../ui/routes';
import type { Screen } from '../../../ui/screen';
import { BookingCalendar, isSlotGone } from '../booking/booking-calendar';
import { calendarScreen, confirmScreen, resultScreen, timesScreen } from '../booking/booking.screens';
import { SalonCatalog } from '../booking/salon-catalog';

/**
 * Moving a booking: the same calendar and times as booking, the same service; the specialist may
 * stay, change, or be "any". The contract keeps the original when the new time is taken.
 */
@BotFlow()
export class RescheduleUpdate {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly catalog: SalonCatalog,
    private readonly calendar: BookingCalendar,
    private readonly slots: SlotsApi,
    private readonly menus: MenuController,
  ) {}

  /** From the reminder: a new section with the choice of specialist. */
  async open(ctx: BotContext, user: TgUserContext, booking: BookingDto): Promise<void> {
    await this.menus.open(ctx, await this.specialistsOf(user, booking));
  }

  @Action(Move.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Move.specialists.decode(callbackDataOf(ctx))!;
    await this.menus.show(
      ctx,
      await this.specialistsOf(user, await this.bookings.get(clientActorOf(user), id)),
    );
  }

  @Action(Move.calendar.pattern)
  async onCalendar(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, month] = Move.calendar.decode(callbackDataOf(ctx))!;
    const actor = clientActorOf(user);
    const booking = await this.bookings.get(actor, id);
    const [service, specialist] = await Promise.all([
      this.catalog.serviceName(actor, booking.serviceId),
      pick ? this.catalog.specialistName(actor, pick) : t('book.any_specialist', user.lang),
    ]);
    const query = {
      locationId: booking.locationId,
      serviceId: booking.serviceId,
      specialistId: pick || undefined,
    };
    const view = await this.calendar.monthView(actor, query, month);
    const subject = t('move.subject', user.lang, { service, specialist });
    await this.menus.show(
      ctx,
      calendarScreen(
        user.lang,
        { ...view, subject },
        {
          day: (date) => Move.times.encode(id, pick, date, 0),
          month: (m) => Move.calendar.encode(id, pick, m),
          back: Move.specialists.encode(id),
        },
      ),
    );
  }

  @Action(Move.times.pattern)
  async onTimes(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, date, page] = Move.times.decode(callbackDataOf(ctx))!;
    await this.menus.show(
      ctx,
      await this.timesOf(user, await this.bookings.get(clientActorOf(user), id), pick, date, page),
    );
  }

  @Action(Move.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, specialistId, quarter] = Move.card.decode(callbackDataOf(ctx))!;
    const actor = clientActorOf(user);
    const booking = await this.bookings.get(actor, id);
    const details = await this.catalog.details(actor, booking);
    const specialist = await this.catalog.specialist(actor, specialistId);
    const offer = specialist.services.find((s) => s.serviceId === booking.serviceId);
    const moved = {
      ...details,
      specialist: specialist.name,
      startAt: fromQuarter(quarter).toISOString(),
      durationMin: offer?.durationMin ?? booking.durationMin,
      price: offer?.price ?? booking.price,
    };
    const date = localDate(moved.startAt, details.location.timeZone);
    const was = t('move.was', user.lang, {
      when: dateTime(booking.startAt, details.location.timeZone, user.lang),
    });
    const screen = confirmScreen(user.lang, 'move.confirm_title', moved, {
      confirm: Move.confirm.encode(id, pick, specialistId, quarter),
      back: Move.times.encode(id, pick, date, 0),
    });
    await this.menus.show(ctx, { ...screen, text: `${screen.text}\n${was}` });
  }

  @Action(Move.confirm.pattern)
  async onConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, pick, specialistId, quarter] = Move.confirm.decode(callbackDataOf(ctx))!;
    const actor = clientActorOf(user);
    let booking: BookingDto;
    try {
      booking = await this.bookings.reschedule(
        actor,
        id,
        { startAt: fromQuarter(quarter).toISOString(), specialistId },
        { idempotencyKey: updateKey(ctx) },
      );
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.CancellationCutoff) {
        const location = await this.catalog.bookingLocation(
          actor,
          (await this.bookings.get(actor, id)).locationId,
        );
        throw new BotError('error.reschedule_cutoff', {
          until: dateTime(String(err.details?.deadline), location.timeZone, user.lang),
        });
      }
      if (!isSlotGone(err)) throw err;
      await ctx.answerCbQuery(t('book.slot_gone', user.lang));
      const current = await this.bookings.get(actor, id);
      const location = await this.catalog.bookingLocation(actor, current.locationId);
      const date = localDate(fromQuarter(quarter), location.timeZone);
      return this.menus.show(
        ctx,
        await this.timesOf(user, current, pick, date, 0, t('book.slot_gone', user.lang)),
      );
    }
    await ctx.answerCbQuery(t('move.done', user.lang));
    const details = await this.catalog.details(actor, booking);
    await this.menus.show(
      ctx,
      resultScreen(user.lang, 'move.done', details, MyBookings.list.encode('upcoming', 0)),
    );
  }

  private async specialistsOf(user: TgUserContext, booking: BookingDto): Promise<Screen> {
    const actor = clientActorOf(user);
    const [service, specialists] = await Promise.all([
      this.catalog.serviceName(actor, booking.serviceId),
      this.catalog.specialistsFor(actor, booking.locationId, booking.serviceId),
    ]);
    const month = this.calendar.thisMonth();
    const kb = new KeyboardBuilder(user.lang);
    const current = specialists.find((s) => s.id === booking.specialistId);
    if (current)
      kb.button(
        t('move.keep_specialist', user.lang, { name: current.name }),
        Move.calendar.encode(booking.id, current.id, month),
      );
    kb.button(t('book.any_specialist', user.lang), Move.calendar.encode(booking.id, 0, month));
    for (const s of specialists)
      if (s.id !== booking.specialistId) kb.button(s.name, Move.calendar.encode(booking.id, s.id, month));
    kb.nav(MyBookings.card.encode(booking.id));
    return { text: t('move.choose_specialist', user.lang, { service }), keyboard: kb.build() };
  }

  private async timesOf(
    user: TgUserContext,
    booking: BookingDto,
    pick: number,
    date: string,
    page: number,
    notice?: string,
  ) {
    const { starts } = await this.slots.starts(clientActorOf(user), {
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
        start: (s: StartDto) => Move.card.encode(booking.id, pick, s.specialistId, toQuarter(s.startAt)),
        page: (p) => Move.times.encode(booking.id, pick, date, p),
        back: Move.calendar.encode(booking.id, pick, date.slice(0, 7)),
      },
      notice,
    );
  }
}
