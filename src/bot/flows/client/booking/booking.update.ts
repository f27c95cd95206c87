import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BookingsApi, LocationDto } from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { DomainError } from '../../../../common/errors';
import { SlotsApi, StartDto } from '../../../../slots/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { BotContext, BotUser, callbackDataOf, clientActorOf, updateKey } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu, EVERYONE } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { Book, fromQuarter, MyBookings, toQuarter } from '../../../ui/routes';
import { localDate } from '../../../ui/format';
import {
  BookingDetails,
  calendarScreen,
  confirmScreen,
  locationsScreen,
  resultScreen,
  servicesScreen,
  specialistsScreen,
  timesScreen,
} from './booking.screens';
import { BookingCalendar, isSlotGone } from './booking-calendar';
import { SalonCatalog } from './salon-catalog';

const COMMENT_SCENE = 'booking.comment';
const DRAFT_SCENE = 'booking.draft';
const COMMENT_MAX = 1000;

/** What is being booked; the comment is the only part that does not travel in the buttons. */
interface Draft {
  locationId: number;
  serviceId: number;
  /** The specialist the user chose, 0 for any. */
  pick: number;
  specialistId: number;
  quarter: number;
  comment?: string;
}

/**
 * The client's booking: location -> service -> specialist or any -> month calendar -> times ->
 * confirmation card (optional comment) -> booked, each step edited in place. Every read and the
 * write go through the contracts as the user; the write carries the update id as idempotency key.
 */
@BotFlow()
export class BookingUpdate implements OnModuleInit {
  constructor(
    private readonly catalog: SalonCatalog,
    private readonly calendar: BookingCalendar,
    private readonly slots: SlotsApi,
    private readonly bookings: BookingsApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'menu.book',
      roles: EVERYONE,
      order: 100,
      placement: 'both',
      data: () => Book.locations.encode(0),
      open: (ctx, user) => this.start(ctx, user),
    });
    this.scenes.onInput<Draft>(COMMENT_SCENE, (ctx, user, draft, text) =>
      this.commentTyped(ctx, user, draft, text),
    );
  }

  /** Book from the main menu, /book or a `book_<location>` deep link. */
  async start(ctx: BotContext, user: TgUserContext, locationId?: number): Promise<void> {
    const actor = clientActorOf(user);
    if (locationId !== undefined) {
      const location = await this.catalog.location(actor, locationId);
      return this.menus.open(ctx, await this.servicesOf(user, location, 0, true));
    }
    const locations = await this.catalog.activeLocations(actor);
    if (locations.length === 1)
      return this.menus.open(ctx, await this.servicesOf(user, locations[0], 0, false));
    await this.menus.open(ctx, this.locationsOf(user, locations, 0));
  }

  /** A `spec_<specialist>` deep link: that specialist's locations, then services. */
  async startWithSpecialist(ctx: BotContext, user: TgUserContext, specialistId: number): Promise<void> {
    await this.menus.open(ctx, await this.specialistLocationsScreen(user, specialistId));
  }

  @Action(Book.locations.pattern)
  async onLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = Book.locations.decode(callbackDataOf(ctx))!;
    const locations = await this.catalog.activeLocations(clientActorOf(user));
    if (locations.length === 1)
      return this.menus.show(ctx, await this.servicesOf(user, locations[0], 0, false));
    await this.menus.show(ctx, this.locationsOf(user, locations, page));
  }

  @Action(Book.services.pattern)
  async onServices(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, page] = Book.services.decode(callbackDataOf(ctx))!;
    const location = await this.catalog.location(clientActorOf(user), locationId);
    const several = (await this.catalog.activeLocations(clientActorOf(user))).length > 1;
    await this.menus.show(ctx, await this.servicesOf(user, location, page, several));
  }

  @Action(Book.specialistLocations.pattern)
  async onSpecialistLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [specialistId] = Book.specialistLocations.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.specialistLocationsScreen(user, specialistId));
  }

  @Action(Book.specialistServices.pattern)
  async onSpecialistServices(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, specialistId, page] = Book.specialistServices.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.specialistServicesScreen(user, locationId, specialistId, page));
  }

  @Action(Book.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, serviceId, page] = Book.specialists.decode(callbackDataOf(ctx))!;
    const actor = clientActorOf(user);
    const [service, specialists] = await Promise.all([
      this.catalog.service(actor, serviceId),
      this.catalog.specialistsFor(actor, locationId, serviceId),
    ]);
    const screen = specialistsScreen(user.lang, service, specialists, page, {
      any: Book.calendar.encode(locationId, serviceId, 0, this.calendar.thisMonth()),
      specialist: (id) => Book.calendar.encode(locationId, serviceId, id, this.calendar.thisMonth()),
      page: (p) => Book.specialists.encode(locationId, serviceId, p),
      back: Book.services.encode(locationId, 0),
    });
    await this.menus.show(ctx, screen);
  }

  @Action(Book.calendar.pattern)
  async onCalendar(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, serviceId, pick, month] = Book.calendar.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.calendarOf(user, locationId, serviceId, pick, month));
  }

  /** Opens the calendar for a service with a specialist ("Book again"), as a new section. */
  async openCalendar(
    ctx: BotContext,
    user: TgUserContext,
    locationId: number,
    serviceId: number,
    pick: number,
  ): Promise<void> {
    await this.menus.open(
      ctx,
      await this.calendarOf(user, locationId, serviceId, pick, this.calendar.thisMonth()),
    );
  }

  @Action(Book.times.pattern)
  async onTimes(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, serviceId, pick, date, page] = Book.times.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.timesOf(user, locationId, serviceId, pick, date, page));
  }

  @Action(Book.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, serviceId, pick, specialistId, quarter] = Book.card.decode(callbackDataOf(ctx))!;
    const draft: Draft = { locationId, serviceId, pick, specialistId, quarter };
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.cardOf(user, draft));
  }

  @Action(Book.comment.pattern)
  async onComment(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, serviceId, pick, specialistId, quarter] = Book.comment.decode(callbackDataOf(ctx))!;
    const draft: Draft = { locationId, serviceId, pick, specialistId, quarter };
    await this.scenes.enter(ctx.chat!.id, COMMENT_SCENE, draft);
    await ctx.answerCbQuery();
    await ctx.telegram.sendMessage(ctx.chat!.id, t('book.type_comment', user.lang, { max: COMMENT_MAX }));
  }

  /** The comment typed while the comment scene waits: kept in the draft, and the card shown again with it. */
  async commentTyped(ctx: BotContext, user: TgUserContext, draft: Draft, text: string): Promise<void> {
    const comment = text.trim();
    if (!comment || comment.length > COMMENT_MAX)
      throw new BotError('book.comment_invalid', { max: COMMENT_MAX });
    const withComment = { ...draft, comment };
    await this.scenes.enter(ctx.chat!.id, DRAFT_SCENE, withComment);
    await this.menus.open(ctx, await this.cardOf(user, withComment));
  }

  @Action(Book.confirm.pattern)
  async onConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, serviceId, pick, specialistId, quarter] = Book.confirm.decode(callbackDataOf(ctx))!;
    const draft: Draft = { locationId, serviceId, pick, specialistId, quarter };
    const scene = await this.scenes.get<Draft>(ctx.chat!.id);
    const comment =
      scene?.scene === DRAFT_SCENE && sameSlot(scene.data, draft) ? scene.data.comment : undefined;
    const actor = clientActorOf(user);
    let booking;
    try {
      booking = await this.bookings.create(
        actor,
        { locationId, serviceId, specialistId, startAt: fromQuarter(quarter).toISOString(), comment },
        { idempotencyKey: updateKey(ctx) },
      );
    } catch (err) {
      if (!isSlotGone(err)) throw err;
      await ctx.answerCbQuery(t('book.slot_gone', user.lang));
      const location = await this.catalog.location(actor, locationId);
      const date = localDate(fromQuarter(quarter), location.timeZone);
      return this.menus.show(
        ctx,
        await this.timesOf(user, locationId, serviceId, pick, date, 0, t('book.slot_gone', user.lang)),
      );
    }
    const title = booking.status === 'pending' ? 'book.done_pending' : 'book.done_confirmed';
    await ctx.answerCbQuery(t(title, user.lang));
    // The draft is dropped while the result is shown: the booking is made, the screen need not wait.
    await Promise.all([
      this.scenes.leave(ctx.chat!.id),
      this.catalog
        .details(actor, booking)
        .then((details) =>
          this.menus.show(
            ctx,
            resultScreen(user.lang, title, details, MyBookings.list.encode('upcoming', 0)),
          ),
        ),
    ]);
  }

  private locationsOf(user: TgUserContext, locations: LocationDto[], page: number) {
    return locationsScreen(
      user.lang,
      locations,
      page,
      (id) => Book.services.encode(id, 0),
      (p) => Book.locations.encode(p),
    );
  }

  private async servicesOf(user: TgUserContext, location: LocationDto, page: number, withBack: boolean) {
    const actor = clientActorOf(user);
    const [services, currency] = await Promise.all([
      this.catalog.servicesAt(actor, location.id),
      this.catalog.currency(actor),
    ]);
    return servicesScreen(user.lang, location, services, currency, page, {
      service: (id) => Book.specialists.encode(location.id, id, 0),
      page: (p) => Book.services.encode(location.id, p),
      back: withBack ? Book.locations.encode(0) : undefined,
    });
  }

  private async specialistLocationsScreen(user: TgUserContext, specialistId: number) {
    const specialist = await this.catalog.specialist(clientActorOf(user), specialistId);
    const locations = specialist.locations.filter((l) => l.active);
    if (locations.length === 1) return this.specialistServicesScreen(user, locations[0].id, specialistId, 0);
    return locationsScreen(
      user.lang,
      locations.map((l) => ({ ...l, address: '' })),
      0,
      (id) => Book.specialistServices.encode(id, specialistId, 0),
      () => Book.specialistLocations.encode(specialistId),
    );
  }

  private async specialistServicesScreen(
    user: TgUserContext,
    locationId: number,
    specialistId: number,
    page: number,
  ) {
    const actor = clientActorOf(user);
    const [location, specialist, currency] = await Promise.all([
      this.catalog.location(actor, locationId),
      this.catalog.specialist(actor, specialistId),
      this.catalog.currency(actor),
    ]);
    const services = specialist.services
      .filter((s) => s.active)
      .map((s) => ({ id: s.serviceId, name: s.name, durationMin: s.durationMin, price: s.price }));
    const several = specialist.locations.filter((l) => l.active).length > 1;
    return servicesScreen(user.lang, location, services, currency, page, {
      service: (id) => Book.calendar.encode(locationId, id, specialistId, this.calendar.thisMonth()),
      page: (p) => Book.specialistServices.encode(locationId, specialistId, p),
      back: several ? Book.specialistLocations.encode(specialistId) : undefined,
    });
  }

  private async calendarOf(
    user: TgUserContext,
    locationId: number,
    serviceId: number,
    pick: number,
    month: string,
  ) {
    const actor = clientActorOf(user);
    const [service, specialist] = await Promise.all([
      this.catalog.service(actor, serviceId),
      pick ? this.catalog.specialist(actor, pick) : undefined,
    ]);
    const view = await this.calendar.monthView(
      actor,
      { locationId, serviceId, specialistId: pick || undefined },
      month,
    );
    const subject = t('book.subject', user.lang, {
      service: service.name,
      specialist: specialist?.name ?? t('book.any_specialist', user.lang),
    });
    return calendarScreen(
      user.lang,
      { ...view, subject },
      {
        day: (date) => Book.times.encode(locationId, serviceId, pick, date, 0),
        month: (m) => Book.calendar.encode(locationId, serviceId, pick, m),
        back: Book.specialists.encode(locationId, serviceId, 0),
      },
    );
  }

  private async timesOf(
    user: TgUserContext,
    locationId: number,
    serviceId: number,
    pick: number,
    date: string,
    page: number,
    notice?: string,
  ) {
    const { starts } = await this.slots.starts(clientActorOf(user), {
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
          Book.card.encode(locationId, serviceId, pick, s.specialistId, toQuarter(s.startAt)),
        page: (p) => Book.times.encode(locationId, serviceId, pick, date, p),
        back: Book.calendar.encode(locationId, serviceId, pick, date.slice(0, 7)),
      },
      notice,
    );
  }

  private async cardOf(user: TgUserContext, draft: Draft) {
    const details = await this.draftDetails(clientActorOf(user), draft);
    const args = [draft.locationId, draft.serviceId, draft.pick, draft.specialistId, draft.quarter] as const;
    const location = details.location;
    const date = localDate(fromQuarter(draft.quarter), location.timeZone);
    return confirmScreen(user.lang, 'book.confirm_title', details, {
      confirm: Book.confirm.encode(...args),
      comment: Book.comment.encode(...args),
      back: Book.times.encode(draft.locationId, draft.serviceId, draft.pick, date, 0),
    });
  }

  /** The card of a slot not booked yet: the specialist's own duration and price for the service. */
  private async draftDetails(actor: Actor, draft: Draft): Promise<BookingDetails> {
    const [specialist, location, currency] = await Promise.all([
      this.catalog.specialist(actor, draft.specialistId),
      this.catalog.location(actor, draft.locationId),
      this.catalog.currency(actor),
    ]);
    const offer = specialist.services.find((s) => s.serviceId === draft.serviceId);
    if (!offer) throw DomainError.notFound('service', draft.serviceId);
    return {
      service: offer.name,
      specialist: specialist.name,
      startAt: fromQuarter(draft.quarter).toISOString(),
      durationMin: offer.durationMin,
      price: offer.price,
      currency,
      location,
      comment: draft.comment,
    };
  }
}

function sameSlot(a: Draft, b: Draft): boolean {
  return (
    a.locationId === b.locationId &&
    a.serviceId === b.serviceId &&
    a.specialistId === b.specialistId &&
    a.quarter === b.quarter
  );
}
