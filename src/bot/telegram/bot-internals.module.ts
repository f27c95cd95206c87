import { Module } from '@nestjs/common';
import { BotSandbox } from '../api/bot-sandbox.api';
import { SandboxRecorder } from './sandbox-recorder';
import { TgUserContextStore } from './tg-user-context.store';

/** What the telegraf options factory needs before the bot exists. */
@Module({
  providers: [TgUserContextStore, SandboxRecorder, { provide: BotSandbox, useExisting: SandboxRecorder }],
  exports: [TgUserContextStore, SandboxRecorder, BotSandbox],
})
export class BotInternalsModule {}
