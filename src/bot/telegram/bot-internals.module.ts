import { Module } from '@nestjs/common';
import { BotSandbox } from '../api/bot-sandbox.api';
import { BotApiClient } from './bot-api-client';
import { SandboxRecorder } from './sandbox-recorder';
import { TelegramCalls } from './telegram-calls';
import { TgUserContextStore } from './tg-user-context.store';

/** What the telegraf options factory needs before the bot exists. */
@Module({
  providers: [
    TgUserContextStore,
    SandboxRecorder,
    BotApiClient,
    TelegramCalls,
    { provide: BotSandbox, useExisting: SandboxRecorder },
  ],
  exports: [TgUserContextStore, TelegramCalls, BotSandbox],
})
export class BotInternalsModule {}
