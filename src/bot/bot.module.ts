import { Module } from '@nestjs/common';
import { TelegrafModule } from 'nestjs-telegraf';
import { BookingModule } from '../booking/booking.module';
import { AppConfig } from '../config/app-config';
import { BotMessenger } from './api/bot-messenger.api';
import { BotTransport } from './api/bot-transport.api';
import { BotUpdates } from './api/bot-updates.api';
import { BotInternalsModule } from './telegram/bot-internals.module';
import { SANDBOX_TOKEN } from './telegram/sandbox-recorder';
import { TelegramCalls } from './telegram/telegram-calls';
import {
  BotMessengerService,
  BotTransportService,
  BotUpdatesService,
} from './telegram/bot-telegram.services';
import { TgUserContextStore } from './telegram/tg-user-context.store';
import { BookingDoneUpdate } from './updates/booking-done.update';
import { StartUpdate } from './updates/start.update';

/**
 * The Telegram UI. Telegraf never launches by itself: updates arrive only through `BotUpdates`
 * (fed by the gateway), and without BOT_TOKEN every Bot API call is recorded by the sandbox.
 */
@Module({
  imports: [
    TelegrafModule.forRootAsync({
      imports: [BotInternalsModule],
      inject: [AppConfig, TgUserContextStore, TelegramCalls],
      useFactory: (config: AppConfig, store: TgUserContextStore, calls: TelegramCalls) => ({
        token: config.telegram.token ?? SANDBOX_TOKEN,
        launchOptions: false,
        options: {
          telegram: { apiRoot: config.telegram.apiRoot, webhookReply: false },
          // No timer per update: the gateway bounds handlers with one watchdog (TG_HANDLER_TIMEOUT_SECONDS).
          handlerTimeout: Infinity,
          contextType: calls.contextType(),
        },
        middlewares: [store.middleware()],
      }),
    }),
    BotInternalsModule,
    BookingModule,
  ],
  providers: [
    StartUpdate,
    BookingDoneUpdate,
    BotUpdatesService,
    BotMessengerService,
    BotTransportService,
    { provide: BotUpdates, useExisting: BotUpdatesService },
    { provide: BotMessenger, useExisting: BotMessengerService },
    { provide: BotTransport, useExisting: BotTransportService },
  ],
  exports: [BotUpdates, BotMessenger, BotTransport, BotInternalsModule],
})
export class BotModule {}
