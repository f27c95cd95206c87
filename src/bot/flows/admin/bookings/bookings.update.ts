import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BookingDto, BookingsApi, LocationDto } from '../../../../booking/api';
import { Clock } from '../../../../infra/clock/clock';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf, updateKey } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { localDate } from '../../../ui/format';
import { MenuController } from '../../../ui/menu-controller';
import { PAGE_SIZE } from '../../../ui/screen';
import { AdminDesk, SHOWN_STATUSES } from './admin-desk';
import { AdminBookings, Origin, originOf } from './bookings.routes';
import { backOf, cancelAskScreen, cardScreen, dayScreen, pickScreen } from './bookings.screens';
import { dayBounds } from './day-bounds';

const REASON_SCENE = 'admin.cancel.reason';
const REASON_MAX = 500;

interface CancelDraft {
  bookingId: number;
  origin: Origin;
  reason?: string;
}

/**
 * The admin's bookings: a location's day (everyone's or one specialist's), day by day; a card with
 * Confirm, Reschedule, Cancel (a reason typed for the client), Done / No-show. Every change goes
 * through BookingsApi as the admin, and the notifications tell the client.
 */
@BotFlow()
@ForRoles('admin')
export class AdminBookingsUpdate implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly desk: AdminDesk,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.bk.menu',
      roles: ['admin'],
      order: 12,
      placement: 'keyboard',
      open: (ctx, user) => this.open(ctx, user),
    });
    this.scenes.onInput<CancelDraft>(REASON_SCENE, (ctx, user, draft, text) =>
      this.reasonTyped(ctx, user, draft, text),
    );
  }

  /** From the main menu: today at the first location. */
  async open(ctx: BotContext, user: TgUserContext): Promise<void> {
    const locations = await this.desk.catalog.activeLocations(actorOf(user));
    if (!locations.length) throw new BotError('adm.bk.no_locations');
    const today = localDate(this.clock.now(), locations[0].timeZone);
    await this.menus.open(ctx, await this.dayOf(user, locations[0], today, 0, 0, locations.length > 1));
  }

  @Action(AdminBookings.day.pattern)
  async onDay(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, date, pick, page] = AdminBookings.day.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const [location, locations] = await Promise.all([
      this.desk.catalog.location(actor, locationId),
      this.desk.catalog.activeLocations(actor),
    ]);
    await this.menus.show(ctx, await this.dayOf(user, location, date, pick, page, locations.length > 1));
  }

  @Action(AdminBookings.locations.pattern)
  async onLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [shown, date] = AdminBookings.locations.decode(callbackDataOf(ctx))!;
    const locations = await this.desk.catalog.activeLocations(actorOf(user));
    const link = (id: number) => AdminBookings.day.encode(id, date, 0, 0);
    const title = t('adm.bk.choose_location', user.lang);
    await this.menus.show(ctx, pickScreen(user.lang, title, locations, link, link(shown)));
  }

  @Action(AdminBookings.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, date] = AdminBookings.specialists.decode(callbackDataOf(ctx))!;
    const specialists = await this.desk.specialistsAt(actorOf(user), locationId);
    const everyone = AdminBookings.day.encode(locationId, date, 0, 0);
    const screen = pickScreen(
      user.lang,
      t('adm.bk.choose_specialist', user.lang),
      specialists,
      (id) => AdminBookings.day.encode(locationId, date, id, 0),
      everyone,
      { text: t('adm.bk.everyone', user.lang), data: everyone },
    );
    await this.menus.show(ctx, screen);
  }

  @Action(AdminBookings.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, origin] = AdminBookings.card.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.showCard(ctx, user, await this.bookings.get(actorOf(user), id), originOf(origin));
  }

  @Action(AdminBookings.confirm.pattern)
  async onConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, origin] = AdminBookings.confirm.decode(callbackDataOf(ctx))!;
    const booking = await this.bookings.confirm(actorOf(user), id, { idempotencyKey: updateKey(ctx) });
    const done = t('adm.bk.confirmed', user.lang);
    await ctx.answerCbQuery(done);
    await this.showCard(ctx, user, booking, originOf(origin), done);
  }

  @Action(AdminBookings.cancelAsk.pattern)
  async onCancelAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [bookingId, word] = AdminBookings.cancelAsk.decode(callbackDataOf(ctx))!;
    const origin = originOf(word);
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, bookingId);
    const details = await this.desk.catalog.details(actor, booking);
    await this.scenes.enter<CancelDraft>(ctx.chat!.id, REASON_SCENE, { bookingId, origin });
    const screen = cancelAskScreen(user.lang, booking, details, origin);
    const hint = t('adm.bk.type_reason', user.lang, { max: REASON_MAX });
    await this.menus.show(ctx, { ...screen, text: `${screen.text}\n\n${hint}` });
  }

  /** The reason typed while the cancellation waits: asked once more with it, as the client will read it. */
  async reasonTyped(ctx: BotContext, user: TgUserContext, draft: CancelDraft, text: string): Promise<void> {
    const reason = text.trim();
    if (!reason || reason.length > REASON_MAX)
      throw new BotError('adm.bk.reason_invalid', { max: REASON_MAX });
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, draft.bookingId);
    await this.scenes.enter<CancelDraft>(ctx.chat!.id, REASON_SCENE, { ...draft, reason });
    const details = await this.desk.catalog.details(actor, booking);
    await this.menus.open(ctx, cancelAskScreen(user.lang, booking, details, draft.origin, reason));
  }

  @Action(AdminBookings.cancel.pattern)
  async onCancel(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, origin] = AdminBookings.cancel.decode(callbackDataOf(ctx))!;
    const scene = await this.scenes.get<CancelDraft>(ctx.chat!.id);
    const reason =
      scene?.scene === REASON_SCENE && scene.data.bookingId === id ? scene.data.reason : undefined;
    const before = await this.bookings.get(actorOf(user), id);
    const booking = await this.bookings.cancel(
      actorOf(user),
      id,
      { reason },
      { idempotencyKey: updateKey(ctx) },
    );
    await this.scenes.leave(ctx.chat!.id);
    const done = t(before.status === 'pending' ? 'adm.bk.declined' : 'adm.bk.cancelled', user.lang);
    await ctx.answerCbQuery(done);
    await this.showCard(ctx, user, booking, originOf(origin), done);
  }

  @Action(AdminBookings.mark.pattern)
  async onMark(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, outcome, origin] = AdminBookings.mark.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const options = { idempotencyKey: updateKey(ctx) };
    const booking =
      outcome === 'done'
        ? await this.bookings.markDone(actor, id, options)
        : await this.bookings.markNoShow(actor, id, options);
    const done = t(
      outcome === 'done' ? 'booking_done.marked_done' : 'booking_done.marked_no_show',
      user.lang,
    );
    await ctx.answerCbQuery(done);
    await this.showCard(ctx, user, booking, originOf(origin), done);
  }

  /** A booking's card, edited in place (or opened anew after typed input). */
  async showCard(
    ctx: BotContext,
    user: TgUserContext,
    booking: BookingDto,
    origin: Origin,
    notice?: string,
  ): Promise<void> {
    const actor = actorOf(user);
    const [details, client] = await Promise.all([
      this.desk.catalog.details(actor, booking),
      this.desk.client(actor, booking.clientId),
    ]);
    const back = backOf(origin, booking, localDate(booking.startAt, details.location.timeZone));
    await this.menus.show(
      ctx,
      cardScreen(user.lang, booking, details, client, this.clock.now(), origin, back, notice),
    );
  }

  private async dayOf(
    user: TgUserContext,
    location: LocationDto,
    date: string,
    pick: number,
    page: number,
    severalLocations: boolean,
  ) {
    const actor = actorOf(user);
    const query = {
      ...dayBounds(date, location.timeZone),
      locationId: location.id,
      specialistId: pick || undefined,
      status: SHOWN_STATUSES,
    };
    const { total } = await this.bookings.list(actor, { ...query, limit: 1 });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const p = Math.min(Math.max(0, page), pages - 1);
    const { items } = await this.bookings.list(actor, { ...query, limit: PAGE_SIZE, offset: p * PAGE_SIZE });
    const specialist = pick
      ? { id: pick, name: await this.desk.catalog.specialistName(actor, pick) }
      : undefined;
    return dayScreen(user.lang, {
      location,
      date,
      specialist,
      lines: { items: await this.desk.lines(actor, items), page: p, pages },
      total,
      severalLocations,
    });
  }
}
