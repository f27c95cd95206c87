import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import { LANGUAGES } from '../../booking/api';
import { BotSandbox } from '../api/bot-sandbox.api';
import { t, TextKey } from '../i18n/i18n';

const COMMANDS: readonly [string, TextKey][] = [
  ['start', 'command.start'],
  ['menu', 'command.menu'],
  ['book', 'command.book'],
  ['bookings', 'command.bookings'],
  ['lang', 'command.lang'],
  ['help', 'command.help'],
  ['cancel', 'command.cancel'],
];

/** The command list Telegram shows, per language (and the Russian one as the default); not in the sandbox. */
@Injectable()
export class BotCommands implements OnApplicationBootstrap {
  private readonly logger = new Logger(BotCommands.name);

  constructor(
    @InjectBot() private readonly bot: Telegraf,
    private readonly sandbox: BotSandbox,
  ) {}

  onApplicationBootstrap(): void {
    if (this.sandbox.active) return;
    // Not awaited: a slow or failing Bot API must not hold the start; the next start sets them again.
    void this.register().catch((err: Error) => this.logger.warn(`bot commands not set: ${err.message}`));
  }

  private async register(): Promise<void> {
    const list = (lang: (typeof LANGUAGES)[number]) =>
      COMMANDS.map(([command, key]) => ({ command, description: t(key, lang) }));
    await this.bot.telegram.setMyCommands(list('ru'));
    for (const lang of LANGUAGES) await this.bot.telegram.setMyCommands(list(lang), { language_code: lang });
  }
}
