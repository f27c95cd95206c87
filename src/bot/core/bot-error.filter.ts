import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import { TelegrafArgumentsHost } from 'nestjs-telegraf';
import { DomainError, ErrorCode } from '../../common/errors';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { currentTraceId } from '../../infra/cls/trace';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { t, TextKey } from '../i18n/i18n';
import { actorOf, BotContext, callbackDataOf } from './bot-context';
import { BotError } from './bot-error';
import { answered } from './callback-answers';

/** The localized sentence for each error code; a code without its own falls back to a generic refusal. */
const KEY_BY_CODE: Partial<Record<ErrorCode, TextKey>> = {
  [ErrorCode.NotFound]: 'error.not_found',
  [ErrorCode.Forbidden]: 'error.forbidden',
  [ErrorCode.ValidationFailed]: 'error.validation_failed',
  [ErrorCode.SlotTaken]: 'error.slot_taken',
  [ErrorCode.SlotUnavailable]: 'error.slot_unavailable',
  [ErrorCode.ClientOverlap]: 'error.client_overlap',
  [ErrorCode.IllegalTransition]: 'error.illegal_transition',
  [ErrorCode.CancellationCutoff]: 'error.cancellation_cutoff_generic',
  [ErrorCode.NotStarted]: 'error.not_started',
  [ErrorCode.TooSoon]: 'error.too_soon',
  [ErrorCode.BeyondHorizon]: 'error.beyond_horizon',
  [ErrorCode.TooManyRequests]: 'error.too_many_requests',
  [ErrorCode.ServiceUnavailable]: 'error.unavailable',
};

/** Refusals of access: the attempt is written to the audit log (a forged button, a stale link to someone else's object). */
const REFUSALS = new Set([ErrorCode.NotFound, ErrorCode.Forbidden]);

/**
 * The bot's one error path. A DomainError from a contract (or a BotError) becomes one localized
 * sentence: the answer to the pressed button, or a reply. Anything else is logged with the trace id
 * and the user is told to try again. Never a stack trace, never silence.
 */
@Catch()
@Injectable()
export class BotErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('BotErrorFilter');

  constructor(
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = TelegrafArgumentsHost.create(host).getContext<BotContext>();
    const user = ctx.state?.user;
    const lang = user?.lang ?? 'ru';
    let text: string;
    if (exception instanceof BotError) {
      text = t(exception.key, lang, exception.params);
    } else if (exception instanceof DomainError) {
      text = t(KEY_BY_CODE[exception.code] ?? 'error.refused', lang);
      if (user && REFUSALS.has(exception.code)) await this.auditRefusal(ctx, exception);
    } else {
      this.logger.error({ err: exception, traceId: currentTraceId() }, 'bot handler failed');
      text = t('error.internal', lang);
    }
    try {
      if (ctx.callbackQuery && !answered(ctx)) await ctx.answerCbQuery(text, { show_alert: true });
      else if (ctx.chat) await ctx.telegram.sendMessage(ctx.chat.id, text);
    } catch (err) {
      this.logger.warn(`error reply not delivered: ${(err as Error).message}`);
    }
  }

  private async auditRefusal(ctx: BotContext, err: DomainError): Promise<void> {
    try {
      await this.uow.run((em) =>
        this.audit.record(em, actorOf(ctx.state.user), {
          action: 'bot.refused',
          entity: 'bot_update',
          entityId: ctx.update.update_id,
          changes: { code: err.code, message: err.message, data: callbackDataOf(ctx) ?? null },
        }),
      );
    } catch (auditErr) {
      this.logger.warn(`refusal not audited: ${(auditErr as Error).message}`);
    }
  }
}
