import { Action, Ctx } from 'nestjs-telegraf';
import { BookingDto, BookingsApi, LocationsApi, UsersApi } from '../../../booking/api';
import { DomainError, ErrorCode } from '../../../common/errors';
import { AuditTrail } from '../../../infra/audit/audit-trail';
import { NotificationButtons } from '../../api/callback-codec';
import type { TgUserContext } from '../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf, updateKey } from '../../core/bot-context';
import { BotFlow } from '../../core/bot-flow.decorator';
import { t } from '../../i18n/i18n';
import { dateTime } from '../../ui/format';

const ANSWERED = ['done', 'no_show'];

/**
 * The admin's answer to the completion checker's question (Yes: done / No: no-show): the booking
 * changes through BookingsApi with the admin as actor, exactly as over REST, and the question's
 * message is edited to say what was recorded, by whom and when. Every admin gets the question: one
 * who presses after another has answered is told who did, and their card shows it too.
 */
@BotFlow()
export class CompletionUpdate {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly users: UsersApi,
    private readonly locations: LocationsApi,
    private readonly audit: AuditTrail,
  ) {}

  @Action(NotificationButtons.completion.pattern)
  async answer(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, outcome] = NotificationButtons.completion.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const options = { idempotencyKey: updateKey(ctx) };
    let booking: BookingDto;
    let already = false;
    try {
      booking =
        outcome === 'done'
          ? await this.bookings.markDone(actor, id, options)
          : await this.bookings.markNoShow(actor, id, options);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== ErrorCode.IllegalTransition) throw err;
      booking = await this.bookings.get(actor, id);
      if (!ANSWERED.includes(booking.status)) throw err;
      already = true;
    }
    const answer = await this.answerOf(user, booking);
    const marked = t(
      booking.status === 'done' ? 'booking_done.marked_done' : 'booking_done.marked_no_show',
      user.lang,
    );
    const by = t('adm.done.by', user.lang, answer);
    await ctx.answerCbQuery(already ? t('adm.done.already', user.lang, { ...answer, marked }) : marked, {
      show_alert: already,
    });
    const message = ctx.callbackQuery?.message;
    const question = message && 'text' in message ? message.text : '';
    const result = `${marked}\n${by}`;
    await ctx.editMessageText(question ? `${question}\n\n${result}` : result);
  }

  /** Who recorded the visit's outcome and when (its audit row), in the location's time. */
  private async answerOf(user: TgUserContext, booking: BookingDto): Promise<{ name: string; at: string }> {
    const actor = actorOf(user);
    const { items } = await this.audit.list(actor, {
      entity: 'booking',
      entityId: String(booking.id),
      limit: 20,
    });
    const row = items.find((r) => r.action === `booking.${booking.status}`);
    const [who, location] = await Promise.all([
      row?.userId ? this.users.get(actor, row.userId).catch(() => undefined) : undefined,
      this.locations.get(actor, booking.locationId),
    ]);
    return {
      name: who?.name ?? t('adm.done.someone', user.lang),
      at: dateTime(row?.at ?? booking.updatedAt, location.timeZone, user.lang),
    };
  }
}
