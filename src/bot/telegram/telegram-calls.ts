import { Injectable } from '@nestjs/common';
import { Context, Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { BotApiClient } from './bot-api-client';
import { SandboxRecorder } from './sandbox-recorder';

/**
 * Where every Bot API call of the bot goes: to the sandbox recorder when there is no BOT_TOKEN,
 * otherwise over BotApiClient's pool. Telegraf makes a client per update (ctx.telegram) besides
 * the bot's own (bot.telegram); both get the same routing.
 */
@Injectable()
export class TelegramCalls {
  constructor(
    private readonly sandbox: SandboxRecorder,
    private readonly client: BotApiClient,
  ) {}

  attach(telegram: Telegram): Telegram {
    return this.sandbox.active ? this.sandbox.attach(telegram) : this.client.attach(telegram);
  }

  /** The telegraf context class whose per-update client is attached. */
  contextType(): typeof Context {
    const attach = (telegram: Telegram) => this.attach(telegram);
    class BotContext extends Context {
      constructor(update: Update, telegram: Telegram, botInfo: UserFromGetMe) {
        super(update, attach(telegram), botInfo);
      }
    }
    return BotContext as unknown as typeof Context;
  }
}
