import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BookingDto, BookingsApi, ListBookingsQuery, LIVE_STATUSES } from '../../../../booking/api';
import { DomainError, ErrorCode } from '../../../../common/errors';
import { Clock } from '../../../../infra/clock/clock';
import { NotificationButtons } from '../../../api/callback-codec';
import type { TgUserContext } from '../../../api/tg-user-context';
import { BotContext, BotUser, callbackDataOf, clientActorOf, updateKey } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { t } from '../../../i18n/i18n';
import { dateTime } from '../../../ui/format';
import { pageOf } from '../../../ui/keyboard';
import { BotMenu, EVERYONE } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { MyBookings } from '../../../ui/routes';
import { PAGE_SIZE } from '../../../ui/screen';
import { SalonCatalog } from '../booking/salon-catalog';
import { BookingLine, cancelAskScreen, cardScreen, listScreen, Tab } from './my-bookings.screens';
import { RescheduleUpdate } from './reschedule.update';

/**
 * My bookings: upcoming and past (newest first), paged; a card with Cancel (asked first; refused
 * after the cutoff with the time it was possible until) and Reschedule; Book again for past ones;
 * and the reminder's buttons, which work from the reminder message itself.
 */
@BotFlow()
export class MyBookingsUpdate implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly catalog: SalonCatalog,
    private readonly menus: MenuController,
    private readonly reschedule: RescheduleUpdate,
    private readonly clock: Clock,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'menu.my_bookings',
      roles: EVERYONE,
      order: 110,
      placement: 'both',
      data: () => MyBookings.list.encode('upcoming', 0),
      open: (ctx, user) => this.open(ctx, user),
    });
  }

  /** From the main menu or /bookings: a new section. */
  async open(ctx: BotContext, user: TgUserContext): Promise<void> {
    await this.menus.open(ctx, await this.listOf(user, 'upcoming', 0));
  }

  @Action(MyBookings.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [tab, page] = MyBookings.list.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.listOf(user, tab === 'past' ? 'past' : 'upcoming', page));
  }

  @Action(MyBookings.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = MyBookings.card.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.cardOf(user, await this.bookings.get(clientActorOf(user), id)));
  }

  @Action(MyBookings.cancelAsk.pattern)
  async onCancelAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = MyBookings.cancelAsk.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.cancelAskOf(user, id));
  }

  @Action(MyBookings.cancel.pattern)
  async onCancel(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = MyBookings.cancel.decode(callbackDataOf(ctx))!;
    const actor = clientActorOf(user);
    let booking: BookingDto;
    try {
      booking = await this.bookings.cancel(actor, id, {}, { idempotencyKey: updateKey(ctx) });
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.CancellationCutoff)
        throw await this.cutoff(user, id, err);
      throw err;
    }
    await ctx.answerCbQuery(t('my.cancelled', user.lang));
    await this.menus.show(ctx, await this.cardOf(user, booking, t('my.cancelled', user.lang)));
  }

  /** The reminder's buttons: "I'll come" is acknowledged on the reminder itself; the others open their screens. */
  @Action(NotificationButtons.reminder.pattern)
  async onReminder(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, choice] = NotificationButtons.reminder.decode(callbackDataOf(ctx))!;
    const booking = await this.bookings.get(clientActorOf(user), id);
    if (choice === 'move') return this.reschedule.open(ctx, user, booking);
    if (choice === 'cancel') return this.menus.open(ctx, await this.cancelAskOf(user, id));
    await ctx.answerCbQuery(t('reminder.see_you', user.lang));
    const message = ctx.callbackQuery?.message;
    const text = message && 'text' in message ? message.text : '';
    await ctx.editMessageText(`${text}\n\n${t('reminder.coming', user.lang)}`);
  }

  private async cancelAskOf(user: TgUserContext, id: number) {
    const actor = clientActorOf(user);
    const booking = await this.bookings.get(actor, id);
    return cancelAskScreen(user.lang, booking, await this.catalog.details(actor, booking));
  }

  /** After the cutoff the refusal says until when the booking could have been cancelled, in the location's time. */
  private async cutoff(user: TgUserContext, id: number, err: DomainError): Promise<BotError> {
    const actor = clientActorOf(user);
    const booking = await this.bookings.get(actor, id);
    const location = await this.catalog.bookingLocation(actor, booking.locationId);
    const deadline = String(err.details?.deadline ?? booking.startAt);
    return new BotError('error.cancellation_cutoff', {
      until: dateTime(deadline, location.timeZone, user.lang),
    });
  }

  private async cardOf(user: TgUserContext, booking: BookingDto, notice?: string) {
    const details = await this.catalog.details(clientActorOf(user), booking);
    return cardScreen(user.lang, booking, details, this.clock.now(), notice);
  }

  /** Upcoming: live bookings ahead, soonest first. Past: everything that started, newest first. */
  private async listOf(user: TgUserContext, tab: Tab, page: number) {
    const actor = clientActorOf(user);
    const now = this.clock.now().toISOString();
    const query: ListBookingsQuery =
      tab === 'upcoming'
        ? { clientId: user.userId, from: now, status: [...LIVE_STATUSES] }
        : { clientId: user.userId, to: now };
    const pageAt = (p: number) =>
      this.bookings.list(actor, { ...query, limit: PAGE_SIZE, offset: p * PAGE_SIZE });
    let items: BookingDto[];
    let p: number;
    let pages: number;
    if (tab === 'upcoming') {
      // One read for the page asked, which also tells the total; again only if that page no longer exists.
      let read = await pageAt(Math.max(0, page));
      pages = Math.max(1, Math.ceil(read.total / PAGE_SIZE));
      p = Math.min(Math.max(0, page), pages - 1);
      if (read.offset !== p * PAGE_SIZE) read = await pageAt(p);
      items = read.items;
    } else {
      // Newest first from an ascending list: the page's place depends on the total.
      const { total } = await this.bookings.list(actor, { ...query, limit: 1 });
      pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      p = Math.min(Math.max(0, page), pages - 1);
      const end = total - p * PAGE_SIZE;
      const start = Math.max(0, end - PAGE_SIZE);
      items =
        end > 0
          ? (await this.bookings.list(actor, { ...query, limit: end - start, offset: start })).items.reverse()
          : [];
    }
    const lines = await Promise.all(items.map((b) => this.lineOf(user, b)));
    return listScreen(user.lang, tab, { ...pageOf(lines, 0), page: p, pages });
  }

  private async lineOf(user: TgUserContext, b: BookingDto): Promise<BookingLine> {
    const actor = clientActorOf(user);
    const [service, location] = await Promise.all([
      this.catalog.serviceName(actor, b.serviceId),
      this.catalog.bookingLocation(actor, b.locationId),
    ]);
    return { id: b.id, startAt: b.startAt, timeZone: location.timeZone, service, status: b.status };
  }
}
