import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { DateTime } from 'luxon';
import {
  BookingDto,
  BookingsApi,
  BookingStatus,
  SpecialistDto,
  SpecialistsApi,
  UserDto,
  UsersApi,
} from '../../../../booking/api';
import { Clock } from '../../../../infra/clock/clock';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf, updateKey } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { pageOf } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import type { Screen } from '../../../ui/screen';
import { SalonCatalog } from '../../client/booking/salon-catalog';
import { ownProfile } from '../own-profile';
import { asRange, MyDay, Range } from './my-day.routes';
import {
  cancelAskScreen,
  CardFacts,
  cardScreen,
  DayBooking,
  dayScreen,
  reasonScreen,
} from './my-day.screens';

const REASON_SCENE = 'specialist.cancel_reason';
/** CancelBookingDto's limit. */
const REASON_MAX = 500;
const DAYS: Record<Range, [number, number]> = { today: [0, 1], tomorrow: [1, 2], week: [0, 7] };
/** A day shows what will happen or happened; cancelled bookings are gone from it. */
const SHOWN: BookingStatus[] = ['pending', 'confirmed', 'done', 'no_show'];

interface ReasonState {
  id: number;
  range: Range;
}

/**
 * My day: the specialist's bookings today, tomorrow and over the week, per location; a card with
 * Done / No-show once the visit has started, and Cancel with a reason the client receives.
 */
@BotFlow()
@ForRoles('specialist')
export class MyDayUpdate implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly specialists: SpecialistsApi,
    private readonly users: UsersApi,
    private readonly catalog: SalonCatalog,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly clock: Clock,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'spec.menu.my_day',
      roles: ['specialist'],
      order: 60,
      placement: 'keyboard',
      open: async (ctx, user) => this.menus.open(ctx, await this.dayOf(user, 'today', 0)),
    });
    this.scenes.onInput<ReasonState>(REASON_SCENE, (ctx, user, state, text) =>
      this.reasonTyped(ctx, user, state, text),
    );
  }

  @Action(MyDay.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [range, page] = MyDay.list.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.dayOf(user, asRange(range), page));
  }

  @Action(MyDay.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, range] = MyDay.card.decode(callbackDataOf(ctx))!;
    // Back from the reason prompt: the booking stays as it is.
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.cardOf(user, await this.get(user, id), asRange(range)));
  }

  @Action(MyDay.done.pattern)
  async onDone(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, range] = MyDay.done.decode(callbackDataOf(ctx))!;
    const booking = await this.bookings.markDone(actorOf(user), id, { idempotencyKey: updateKey(ctx) });
    await this.finished(ctx, user, booking, asRange(range), t('spec.card.marked_done', user.lang));
  }

  @Action(MyDay.noShow.pattern)
  async onNoShow(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, range] = MyDay.noShow.decode(callbackDataOf(ctx))!;
    const booking = await this.bookings.markNoShow(actorOf(user), id, { idempotencyKey: updateKey(ctx) });
    await this.finished(ctx, user, booking, asRange(range), t('spec.card.marked_no_show', user.lang));
  }

  @Action(MyDay.cancelAsk.pattern)
  async onCancelAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, range] = MyDay.cancelAsk.decode(callbackDataOf(ctx))!;
    const booking = await this.get(user, id);
    const line = await this.lineOf(user, booking);
    await this.menus.show(
      ctx,
      cancelAskScreen(user.lang, line, asRange(range), await this.factsOf(user, booking)),
    );
  }

  /** Yes: the reason is typed next; the booking is cancelled only once it is there. */
  @Action(MyDay.cancelReason.pattern)
  async onCancelReason(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, range] = MyDay.cancelReason.decode(callbackDataOf(ctx))!;
    const line = await this.lineOf(user, await this.get(user, id));
    await this.scenes.enter<ReasonState>(ctx.chat!.id, REASON_SCENE, { id, range: asRange(range) });
    await this.menus.show(ctx, reasonScreen(user.lang, line, asRange(range), REASON_MAX));
  }

  private async reasonTyped(ctx: BotContext, user: TgUserContext, state: ReasonState, text: string) {
    const reason = text.trim();
    if (!reason || reason.length > REASON_MAX)
      throw new BotError('spec.cancel.reason_invalid', { max: REASON_MAX });
    const booking = await this.bookings.cancel(
      actorOf(user),
      state.id,
      { reason },
      { idempotencyKey: updateKey(ctx) },
    );
    await this.scenes.leave(ctx.chat!.id);
    const screen = await this.cardOf(user, booking, state.range, t('spec.cancel.done', user.lang));
    await this.menus.open(ctx, screen);
  }

  private async finished(
    ctx: BotContext,
    user: TgUserContext,
    booking: BookingDto,
    range: Range,
    notice: string,
  ) {
    await ctx.answerCbQuery(notice);
    await this.menus.show(ctx, await this.cardOf(user, booking, range, notice));
  }

  private async get(user: TgUserContext, id: number): Promise<BookingDto> {
    return this.bookings.get(actorOf(user), id);
  }

  private async cardOf(
    user: TgUserContext,
    booking: BookingDto,
    range: Range,
    notice?: string,
  ): Promise<Screen> {
    const line = await this.lineOf(user, booking);
    return cardScreen(user.lang, line, range, await this.factsOf(user, booking), notice);
  }

  private async factsOf(user: TgUserContext, booking: BookingDto): Promise<CardFacts> {
    return {
      price: booking.price,
      currency: await this.catalog.currency(actorOf(user)),
      comment: booking.comment,
      cancelReason: booking.cancelReason,
      now: this.clock.now(),
    };
  }

  /** The period in each location's own calendar: "today" in Berlin may be another day than in New York. */
  private async dayOf(user: TgUserContext, range: Range, page: number): Promise<Screen> {
    const actor = actorOf(user);
    const me = await ownProfile(this.specialists, user);
    const [fromDays, toDays] = DAYS[range];
    const perLocation = await Promise.all(
      me.locations.map(async (location) => {
        const today = DateTime.fromJSDate(this.clock.now(), { zone: location.timeZone }).startOf('day');
        const { items } = await this.bookings.list(actor, {
          locationId: location.id,
          from: today.plus({ days: fromDays }).toUTC().toISO()!,
          to: today.plus({ days: toDays }).toUTC().toISO()!,
          status: SHOWN,
          limit: 200,
        });
        return items;
      }),
    );
    // A regular client comes several times a week: read once.
    const clients = new Map<number, Promise<UserDto>>();
    const clientOf = (id: number) => {
      if (!clients.has(id)) clients.set(id, this.users.get(actor, id));
      return clients.get(id)!;
    };
    const lines = await Promise.all(perLocation.flat().map((b) => this.lineOf(user, b, me, clientOf)));
    lines.sort(
      (a, b) => a.location.name.localeCompare(b.location.name) || a.startAt.localeCompare(b.startAt),
    );
    return dayScreen(user.lang, range, pageOf(lines, page), me.locations.length > 1);
  }

  private async lineOf(
    user: TgUserContext,
    b: BookingDto,
    me?: SpecialistDto,
    clientOf = (id: number) => this.users.get(actorOf(user), id),
  ): Promise<DayBooking> {
    const actor = actorOf(user);
    const known = me?.locations.find((l) => l.id === b.locationId);
    const [service, location, client] = await Promise.all([
      this.catalog.serviceName(actor, b.serviceId),
      known ? undefined : this.catalog.bookingLocation(actor, b.locationId),
      clientOf(b.clientId),
    ]);
    const where = location ?? { ...known!, address: '' };
    return {
      id: b.id,
      startAt: b.startAt,
      durationMin: b.durationMin,
      status: b.status,
      service,
      client: client.name,
      phone: client.phone,
      location: { name: where.name, address: where.address, timeZone: where.timeZone },
    };
  }
}
