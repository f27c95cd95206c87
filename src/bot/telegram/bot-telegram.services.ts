import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { BotButton, BotMessenger, BotSendError } from '../api/bot-messenger.api';
import { BotTransport } from '../api/bot-transport.api';
import { BotUpdates } from '../api/bot-updates.api';
import type { TgUserContext } from '../api/tg-user-context';
import { AppConfig } from '../../config/app-config';
import { RedisService } from '../../infra/redis/redis.service';
import { t } from '../i18n/i18n';
import { TelegramCalls } from './telegram-calls';
import { TgUserContextStore } from './tg-user-context.store';

/** Runs an update through telegraf's middleware chain with the gateway's user context attached. */
@Injectable()
export class BotUpdatesService extends BotUpdates implements OnModuleInit {
  constructor(
    @InjectBot() private readonly bot: Telegraf,
    private readonly store: TgUserContextStore,
    private readonly calls: TelegramCalls,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    this.calls.attach(this.bot.telegram);
    // launchOptions: false means telegraf never "runs", and nestjs-telegraf's bot.stop() on shutdown would throw.
    const stop = this.bot.stop.bind(this.bot);
    this.bot.stop = (reason?: string) => {
      try {
        stop(reason);
      } catch {
        // not running: nothing to stop
      }
    };
  }

  async handle(update: Update, ctx: TgUserContext): Promise<void> {
    await this.store.run(update, ctx, () => this.bot.handleUpdate(update));
  }

  async rateLimited(ctx: TgUserContext, retryAfterSeconds: number): Promise<void> {
    await this.bot.telegram.sendMessage(
      ctx.chatId,
      t('rate_limited', ctx.lang, { seconds: retryAfterSeconds }),
    );
  }

  async blocked(update: Update, ctx: TgUserContext): Promise<void> {
    const text = t('blocked.notice', ctx.lang);
    if ('callback_query' in update) {
      await this.bot.telegram.answerCbQuery(update.callback_query.id, text, { show_alert: true });
      return;
    }
    const first = await this.redis.client.set(
      `tg:blocked_notice:${ctx.chatId}`,
      '1',
      'EX',
      this.config.webhook.rateWindowSeconds,
      'NX',
    );
    if (first) await this.bot.telegram.sendMessage(ctx.chatId, text);
  }
}

@Injectable()
export class BotMessengerService extends BotMessenger {
  constructor(@InjectBot() private readonly bot: Telegraf) {
    super();
  }

  async sendText(chatId: number, text: string, buttons?: BotButton[][]): Promise<void> {
    const markup = buttons?.length
      ? {
          reply_markup: {
            inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))),
          },
        }
      : {};
    try {
      await this.bot.telegram.sendMessage(chatId, text, markup);
    } catch (err) {
      throw sendError(err);
    }
  }
}

@Injectable()
export class BotTransportService extends BotTransport {
  constructor(@InjectBot() private readonly bot: Telegraf) {
    super();
  }

  async setWebhook(url: string, secretToken: string, allowedUpdates: readonly string[]): Promise<void> {
    await this.bot.telegram.setWebhook(url, {
      secret_token: secretToken,
      allowed_updates: [...allowedUpdates] as never,
      drop_pending_updates: false,
    });
  }

  async deleteWebhook(): Promise<void> {
    await this.bot.telegram.deleteWebhook({ drop_pending_updates: false });
  }

  getUpdates(
    offset: number,
    timeoutSeconds: number,
    allowedUpdates: readonly string[],
    signal: AbortSignal,
  ): Promise<Update[]> {
    return this.bot.telegram.callApi(
      'getUpdates',
      { offset, timeout: timeoutSeconds, limit: 100, allowed_updates: [...allowedUpdates] as never },
      { signal: signal as never },
    );
  }
}

/** Telegram's answer, in the contract's terms (no telegraf type leaves the bot module). */
function sendError(err: unknown): BotSendError {
  if (!(err instanceof TelegramError)) return new BotSendError('unavailable', (err as Error).message);
  const { code, description } = err;
  if (code === 429) return new BotSendError('rate_limited', description, err.parameters?.retry_after ?? 1);
  if (code === 403) return new BotSendError('blocked', description);
  if (code >= 400 && code < 500) return new BotSendError('rejected', description);
  return new BotSendError('unavailable', description);
}
