import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BookingsApi, normalizePhone, PHONE_PATTERN, UsersApi } from '../../../../booking/api';
import { DomainError } from '../../../../common/errors';
import { SlotsApi, StartDto } from '../../../../slots/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf, updateKey } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { localDate } from '../../../ui/format';
import { KeyboardBuilder } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import { fromQuarter, toQuarter } from '../../../ui/routes';
import { PAGE_SIZE, Screen } from '../../../ui/screen';
import { BookingCalendar, isSlotGone } from '../../client/booking/booking-calendar';
import {
  calendarScreen,
  confirmScreen,
  locationsScreen,
  servicesScreen,
  specialistsScreen,
  timesScreen,
} from '../../client/booking/booking.screens';
import { AdminDesk } from './admin-desk';
import { AdminNew } from './bookings.routes';
import { clientChoiceScreen } from './bookings.screens';
import { AdminBookingsUpdate } from './bookings.update';

const FIND_SCENE = 'admin.new.find';
const NAME_SCENE = 'admin.new.name';
const PHONE_SCENE = 'admin.new.phone';
/** The new client typed in this chat, waiting to be booked (the buttons carry client 0 for them). */
const CLIENT_SCENE = 'admin.new.client';
const NAME_MAX = 120;

interface NewClient {
  name: string;
  phone: string;
}

/** The slot being booked for a client: `client` is a user id, or 0 for the new client of the chat's scene. */
interface Draft {
  client: number;
  locationId: number;
  serviceId: number;
  pick: number;
}

/**
 * The admin books for a client: finds them by name or phone (or types a new client's name and
 * phone), then the client's own steps (location, service, specialist or any, calendar, times,
 * confirmation). The booking is the client's; the notifications tell them when they use the bot.
 */
@BotFlow()
@ForRoles('admin')
export class AdminNewBookingUpdate implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly users: UsersApi,
    private readonly desk: AdminDesk,
    private readonly calendar: BookingCalendar,
    private readonly slots: SlotsApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly cards: AdminBookingsUpdate,
  ) {}

  onModuleInit(): void {
    this.scenes.onInput<{ query?: string }>(FIND_SCENE, (ctx, user, _data, text) =>
      this.queryTyped(ctx, user, text),
    );
    this.scenes.onInput<object>(NAME_SCENE, (ctx, user, _data, text) => this.nameTyped(ctx, user, text));
    this.scenes.onInput<{ name: string }>(PHONE_SCENE, (ctx, user, data, text) =>
      this.phoneTyped(ctx, user, data.name, text),
    );
  }

  @Action(AdminNew.start.pattern)
  async onStart(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, FIND_SCENE, {});
    const kb = new KeyboardBuilder(user.lang)
      .button(t('adm.bk.new_client', user.lang), AdminNew.newClient.encode())
      .nav();
    await this.menus.show(ctx, { text: t('adm.bk.who', user.lang), keyboard: kb.build() });
  }

  async queryTyped(ctx: BotContext, user: TgUserContext, text: string): Promise<void> {
    const query = text.trim().slice(0, NAME_MAX);
    await this.scenes.enter(ctx.chat!.id, FIND_SCENE, { query });
    await this.menus.open(ctx, await this.foundOf(user, query, 0));
  }

  @Action(AdminNew.found.pattern)
  async onFound(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminNew.found.decode(callbackDataOf(ctx))!;
    const scene = await this.scenes.get<{ query?: string }>(ctx.chat!.id);
    const query = scene?.scene === FIND_SCENE ? scene.data.query : undefined;
    if (!query) return this.onStart(ctx, user);
    await this.menus.show(ctx, await this.foundOf(user, query, page));
  }

  @Action(AdminNew.newClient.pattern)
  async onNewClient(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, NAME_SCENE, {});
    const kb = new KeyboardBuilder(user.lang).nav(AdminNew.start.encode());
    await this.menus.show(ctx, {
      text: t('adm.bk.type_name', user.lang, { max: NAME_MAX }),
      keyboard: kb.build(),
    });
  }

  async nameTyped(ctx: BotContext, user: TgUserContext, text: string): Promise<void> {
    const name = text.trim();
    if (!name || name.length > NAME_MAX) throw new BotError('adm.bk.name_invalid', { max: NAME_MAX });
    await this.scenes.enter(ctx.chat!.id, PHONE_SCENE, { name });
    const kb = new KeyboardBuilder(user.lang).nav(AdminNew.start.encode());
    await this.menus.open(ctx, { text: t('adm.bk.type_phone', user.lang, { name }), keyboard: kb.build() });
  }

  async phoneTyped(ctx: BotContext, user: TgUserContext, name: string, text: string): Promise<void> {
    const phone = normalizePhone({ value: text.trim() }) as string;
    if (!PHONE_PATTERN.test(phone)) throw new BotError('adm.bk.phone_invalid');
    await this.scenes.enter<NewClient>(ctx.chat!.id, CLIENT_SCENE, { name, phone });
    await this.menus.open(ctx, await this.forClient(ctx, user, 0, await this.locationsOf(user, 0, 0)));
  }

  @Action(AdminNew.locations.pattern)
  async onLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [client, page] = AdminNew.locations.decode(callbackDataOf(ctx))!;
    await this.menus.show(
      ctx,
      await this.forClient(ctx, user, client, await this.locationsOf(user, client, page)),
    );
  }

  @Action(AdminNew.services.pattern)
  async onServices(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [client, locationId, page] = AdminNew.services.decode(callbackDataOf(ctx))!;
    const screen = await this.servicesOf(user, client, locationId, page);
    await this.menus.show(ctx, await this.forClient(ctx, user, client, screen));
  }

  @Action(AdminNew.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [client, locationId, serviceId, page] = AdminNew.specialists.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const [service, specialists] = await Promise.all([
      this.desk.catalog.service(actor, serviceId),
      this.desk.catalog.specialistsFor(actor, locationId, serviceId),
    ]);
    const month = this.calendar.thisMonth();
    const screen = specialistsScreen(user.lang, service, specialists, page, {
      any: AdminNew.calendar.encode(client, locationId, serviceId, 0, month),
      specialist: (id) => AdminNew.calendar.encode(client, locationId, serviceId, id, month),
      page: (p) => AdminNew.specialists.encode(client, locationId, serviceId, p),
      back: AdminNew.services.encode(client, locationId, 0),
    });
    await this.menus.show(ctx, await this.forClient(ctx, user, client, screen));
  }

  @Action(AdminNew.calendar.pattern)
  async onCalendar(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [client, locationId, serviceId, pick, month] = AdminNew.calendar.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const [service, specialist] = await Promise.all([
      this.desk.catalog.serviceName(actor, serviceId),
      pick ? this.desk.catalog.specialistName(actor, pick) : t('book.any_specialist', user.lang),
    ]);
    const view = await this.calendar.monthView(
      actor,
      { locationId, serviceId, specialistId: pick || undefined },
      month,
    );
    const screen = calendarScreen(
      user.lang,
      { ...view, subject: t('book.subject', user.lang, { service, specialist }) },
      {
        day: (date) => AdminNew.times.encode(client, locationId, serviceId, pick, date, 0),
        month: (m) => AdminNew.calendar.encode(client, locationId, serviceId, pick, m),
        back: AdminNew.specialists.encode(client, locationId, serviceId, 0),
      },
    );
    await this.menus.show(ctx, await this.forClient(ctx, user, client, screen));
  }

  @Action(AdminNew.times.pattern)
  async onTimes(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [client, locationId, serviceId, pick, date, page] = AdminNew.times.decode(callbackDataOf(ctx))!;
    const screen = await this.timesOf(user, { client, locationId, serviceId, pick }, date, page);
    await this.menus.show(ctx, await this.forClient(ctx, user, client, screen));
  }

  @Action(AdminNew.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const args = AdminNew.card.decode(callbackDataOf(ctx))!;
    const [client, locationId, serviceId, pick, specialistId, quarter] = args;
    const actor = actorOf(user);
    const [specialist, location, currency] = await Promise.all([
      this.desk.catalog.specialist(actor, specialistId),
      this.desk.catalog.location(actor, locationId),
      this.desk.catalog.currency(actor),
    ]);
    const offer = specialist.services.find((s) => s.serviceId === serviceId);
    if (!offer) throw DomainError.notFound('service', serviceId);
    const startAt = fromQuarter(quarter).toISOString();
    const details = {
      service: offer.name,
      specialist: specialist.name,
      startAt,
      durationMin: offer.durationMin,
      price: offer.price,
      currency,
      location,
    };
    const screen = confirmScreen(user.lang, 'adm.bk.new_confirm_title', details, {
      confirm: AdminNew.confirm.encode(...args),
      back: AdminNew.times.encode(
        client,
        locationId,
        serviceId,
        pick,
        localDate(startAt, location.timeZone),
        0,
      ),
    });
    await this.menus.show(ctx, await this.forClient(ctx, user, client, screen));
  }

  @Action(AdminNew.confirm.pattern)
  async onConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [client, locationId, serviceId, pick, specialistId, quarter] = AdminNew.confirm.decode(
      callbackDataOf(ctx),
    )!;
    const actor = actorOf(user);
    const whom = client ? { clientId: client } : { client: await this.newClient(ctx) };
    let booking;
    try {
      booking = await this.bookings.create(
        actor,
        { locationId, serviceId, specialistId, startAt: fromQuarter(quarter).toISOString(), ...whom },
        { idempotencyKey: updateKey(ctx) },
      );
    } catch (err) {
      if (!isSlotGone(err)) throw err;
      const gone = t('book.slot_gone', user.lang);
      await ctx.answerCbQuery(gone);
      const location = await this.desk.catalog.location(actor, locationId);
      const date = localDate(fromQuarter(quarter), location.timeZone);
      const screen = await this.timesOf(user, { client, locationId, serviceId, pick }, date, 0, gone);
      return this.menus.show(ctx, await this.forClient(ctx, user, client, screen));
    }
    await this.scenes.leave(ctx.chat!.id);
    const done = t('adm.bk.booked', user.lang);
    await ctx.answerCbQuery(done);
    await this.cards.showCard(ctx, user, booking, 'day', done);
  }

  /** The new client typed in this chat; gone (the scene expired or was left) means typing them again. */
  private async newClient(ctx: BotContext): Promise<NewClient> {
    const scene = await this.scenes.get<NewClient>(ctx.chat!.id);
    if (scene?.scene !== CLIENT_SCENE) throw new BotError('adm.bk.new_client_gone');
    return scene.data;
  }

  /** Every step says whom the booking is for. */
  private async forClient(
    ctx: BotContext,
    user: TgUserContext,
    client: number,
    screen: Screen,
  ): Promise<Screen> {
    const name = client
      ? (await this.desk.client(actorOf(user), client)).name
      : (await this.newClient(ctx)).name;
    return { ...screen, text: `${t('adm.bk.for_client', user.lang, { name })}\n\n${screen.text}` };
  }

  private async foundOf(user: TgUserContext, query: string, page: number): Promise<Screen> {
    const actor = actorOf(user);
    const search = { role: 'client' as const, search: query };
    const { total } = await this.users.list(actor, { ...search, limit: 1 });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const p = Math.min(Math.max(0, page), pages - 1);
    const { items } = await this.users.list(actor, { ...search, limit: PAGE_SIZE, offset: p * PAGE_SIZE });
    return clientChoiceScreen(user.lang, query, { items, page: p, pages }, total);
  }

  private async locationsOf(user: TgUserContext, client: number, page: number): Promise<Screen> {
    const locations = await this.desk.catalog.activeLocations(actorOf(user));
    if (locations.length === 1) return this.servicesOf(user, client, locations[0].id, 0);
    return locationsScreen(
      user.lang,
      locations,
      page,
      (id) => AdminNew.services.encode(client, id, 0),
      (p) => AdminNew.locations.encode(client, p),
    );
  }

  private async servicesOf(user: TgUserContext, client: number, locationId: number, page: number) {
    const actor = actorOf(user);
    const [location, services, currency, locations] = await Promise.all([
      this.desk.catalog.location(actor, locationId),
      this.desk.catalog.servicesAt(actor, locationId),
      this.desk.catalog.currency(actor),
      this.desk.catalog.activeLocations(actor),
    ]);
    return servicesScreen(user.lang, location, services, currency, page, {
      service: (id) => AdminNew.specialists.encode(client, locationId, id, 0),
      page: (p) => AdminNew.services.encode(client, locationId, p),
      back: locations.length > 1 ? AdminNew.locations.encode(client, 0) : undefined,
    });
  }

  private async timesOf(user: TgUserContext, draft: Draft, date: string, page: number, notice?: string) {
    const { client, locationId, serviceId, pick } = draft;
    const { starts } = await this.slots.starts(actorOf(user), {
      locationId,
      serviceId,
      date,
      specialistId: pick || undefined,
    });
    return timesScreen(
      user.lang,
      date,
      starts,
      page,
      {
        start: (s: StartDto) =>
          AdminNew.card.encode(client, locationId, serviceId, pick, s.specialistId, toQuarter(s.startAt)),
        page: (p) => AdminNew.times.encode(client, locationId, serviceId, pick, date, p),
        back: AdminNew.calendar.encode(client, locationId, serviceId, pick, date.slice(0, 7)),
      },
      notice,
    );
  }
}
