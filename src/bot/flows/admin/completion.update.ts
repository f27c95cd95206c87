import { Action, Ctx } from 'nestjs-telegraf';
import { BookingsApi } from '../../../booking/api';
import { NotificationButtons } from '../../api/callback-codec';
import type { TgUserContext } from '../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf, updateKey } from '../../core/bot-context';
import { BotFlow } from '../../core/bot-flow.decorator';
import { t } from '../../i18n/i18n';

/**
 * The admin's answer to the completion checker's question (Yes: done / No: no-show): the booking
 * changes through BookingsApi with the admin as actor, exactly as over REST, and the question's
 * message is edited to say what was recorded, so it cannot be answered twice by mistake.
 */
@BotFlow()
export class CompletionUpdate {
  constructor(private readonly bookings: BookingsApi) {}

  @Action(NotificationButtons.completion.pattern)
  async answer(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, outcome] = NotificationButtons.completion.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const options = { idempotencyKey: updateKey(ctx) };
    if (outcome === 'done') await this.bookings.markDone(actor, id, options);
    else await this.bookings.markNoShow(actor, id, options);
    const marked = t(
      outcome === 'done' ? 'booking_done.marked_done' : 'booking_done.marked_no_show',
      user.lang,
    );
    await ctx.answerCbQuery(marked);
    const message = ctx.callbackQuery?.message;
    const question = message && 'text' in message ? message.text : '';
    await ctx.editMessageText(question ? `${question}\n\n${marked}` : marked);
  }
}
