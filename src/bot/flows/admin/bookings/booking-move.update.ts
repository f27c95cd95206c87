import { Action, Ctx } from 'nestjs-telegraf';
import { BookingsApi } from '../../../../booking/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { t } from '../../../i18n/i18n';
import { MenuController } from '../../../ui/menu-controller';
import { BookingMoveSteps, MoveFlow } from '../../client/booking/booking-move';
import { AdminBookings, AdminMove } from './bookings.routes';
import { pickScreen } from './bookings.screens';
import { AdminBookingsUpdate } from './bookings.update';

const ADMIN_MOVE: MoveFlow = { routes: AdminMove, actorOf };

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
    private readonly steps: BookingMoveSteps,
    private readonly menus: MenuController,
    private readonly cards: AdminBookingsUpdate,
  ) {}

  @Action(AdminMove.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminMove.specialists.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const booking = await this.bookings.get(actor, id);
    const { service, current, others, month } = await this.steps.choices(actor, booking);
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
  onCalendar(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    return this.steps.onCalendar(ADMIN_MOVE, ctx, user);
  }

  @Action(AdminMove.times.pattern)
  onTimes(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    return this.steps.onTimes(ADMIN_MOVE, ctx, user);
  }

  @Action(AdminMove.card.pattern)
  onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    return this.steps.onCard(ADMIN_MOVE, ctx, user);
  }

  @Action(AdminMove.confirm.pattern)
  async onConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const booking = await this.steps.confirm(ADMIN_MOVE, ctx, user);
    if (!booking) return;
    const done = t('adm.bk.moved', user.lang);
    await ctx.answerCbQuery(done);
    await this.cards.showCard(ctx, user, booking, 'day', done);
  }
}
