import { Action, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { BookingsApi } from '../../booking/api';
import type { Actor } from '../../common/actor';
import { DomainError } from '../../common/errors';
import { t } from '../i18n/i18n';
import type { BotState } from '../telegram/tg-user-context.store';

const ANSWER = /^bkdone:(\d+):(done|no_show)$/;

/**
 * The admin's answer to the completion checker's question (Yes: done / No: no-show): the booking
 * changes through BookingsApi with the admin as actor, exactly as over REST, and the question's
 * message is edited to say what was recorded, so it cannot be answered twice by mistake.
 */
@Update()
export class BookingDoneUpdate {
  constructor(private readonly bookings: BookingsApi) {}

  @Action(ANSWER)
  async answer(@Ctx() ctx: Context & { match: RegExpExecArray }): Promise<void> {
    const { user } = ctx.state as BotState;
    if (!user) return;
    const [, id, outcome] = ctx.match;
    const actor: Actor = { userId: user.userId, role: user.role, clientType: 'internal' };
    try {
      if (outcome === 'done') await this.bookings.markDone(actor, Number(id));
      else await this.bookings.markNoShow(actor, Number(id));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await ctx.answerCbQuery(t('booking_done.refused', user.lang, { reason: err.message }));
      return;
    }
    const marked = t(
      outcome === 'done' ? 'booking_done.marked_done' : 'booking_done.marked_no_show',
      user.lang,
    );
    await ctx.answerCbQuery(marked);
    const question =
      ctx.callbackQuery?.message && 'text' in ctx.callbackQuery.message ? ctx.callbackQuery.message.text : '';
    await ctx.editMessageText(question ? `${question}\n\n${marked}` : marked);
  }
}
