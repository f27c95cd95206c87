import { Action, Ctx } from 'nestjs-telegraf';
import { BookingDto, BookingsApi } from '../../../../booking/api';
import { DomainError, ErrorCode } from '../../../../common/errors';
import type { TgUserContext } from '../../../api/tg-user-context';
import { BotContext, BotUser, callbackDataOf, clientActorOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { t } from '../../../i18n/i18n';
import { dateTime } from '../../../ui/format';
import { KeyboardBuilder } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import { Move, MyBookings } from '../../../ui/routes';
import type { Screen } from '../../../ui/screen';
import { BookingMoveSteps, MoveFlow } from '../booking/booking-move';
import { resultScreen } from '../booking/booking.screens';
import { SalonCatalog } from '../booking/salon-catalog';

const CLIENT_MOVE: MoveFlow = { routes: Move, actorOf: clientActorOf };

/**
 * Moving a booking: the same calendar and times as booking, the same service; the specialist may
 * stay, change, or be "any". The contract keeps the original when the new time is taken.
 */
@BotFlow()
export class RescheduleUpdate {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly catalog: SalonCatalog,
    private readonly steps: BookingMoveSteps,
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
  onCalendar(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    return this.steps.onCalendar(CLIENT_MOVE, ctx, user);
  }

  @Action(Move.times.pattern)
  onTimes(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    return this.steps.onTimes(CLIENT_MOVE, ctx, user);
  }

  @Action(Move.card.pattern)
  onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    return this.steps.onCard(CLIENT_MOVE, ctx, user);
  }

  @Action(Move.confirm.pattern)
  async onConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const booking = await this.steps
      .confirm(CLIENT_MOVE, ctx, user)
      .catch((err: unknown) => this.refused(err, ctx, user));
    if (!booking) return;
    await ctx.answerCbQuery(t('move.done', user.lang));
    const details = await this.catalog.details(clientActorOf(user), booking);
    await this.menus.show(
      ctx,
      resultScreen(user.lang, 'move.done', details, MyBookings.list.encode('upcoming', 0)),
    );
  }

  /** Too close to the visit to move it: the client is told until when moving was possible. */
  private async refused(err: unknown, ctx: BotContext, user: TgUserContext): Promise<never> {
    if (!(err instanceof DomainError && err.code === ErrorCode.CancellationCutoff)) throw err;
    const actor = clientActorOf(user);
    const [id] = Move.confirm.decode(callbackDataOf(ctx))!;
    const location = await this.catalog.bookingLocation(
      actor,
      (await this.bookings.get(actor, id)).locationId,
    );
    throw new BotError('error.reschedule_cutoff', {
      until: dateTime(String(err.details?.deadline), location.timeZone, user.lang),
    });
  }

  private async specialistsOf(user: TgUserContext, booking: BookingDto): Promise<Screen> {
    const { service, current, others, month } = await this.steps.choices(clientActorOf(user), booking);
    const kb = new KeyboardBuilder(user.lang);
    if (current)
      kb.button(
        t('move.keep_specialist', user.lang, { name: current.name }),
        Move.calendar.encode(booking.id, current.id, month),
      );
    kb.button(t('book.any_specialist', user.lang), Move.calendar.encode(booking.id, 0, month));
    for (const s of others) kb.button(s.name, Move.calendar.encode(booking.id, s.id, month));
    kb.nav(MyBookings.card.encode(booking.id));
    return { text: t('move.choose_specialist', user.lang, { service }), keyboard: kb.build() };
  }
}
