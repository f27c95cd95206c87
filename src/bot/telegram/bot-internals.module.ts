import { Module } from '@nestjs/common';
import { BotSandbox } from '../api/bot-sandbox.api';
import { SceneStore } from '../core/scene-store';
import { StaleMenus } from '../core/stale-menus';
import { BotMenu } from '../ui/bot-menu';
import { MenuController } from '../ui/menu-controller';
import { BotApiClient } from './bot-api-client';
import { SandboxRecorder } from './sandbox-recorder';
import { TelegramCalls } from './telegram-calls';
import { TgUserContextStore } from './tg-user-context.store';

/** What the telegraf options factory needs before the bot exists (the client, the user, the menus). */
@Module({
  providers: [
    TgUserContextStore,
    SandboxRecorder,
    BotApiClient,
    TelegramCalls,
    MenuController,
    BotMenu,
    SceneStore,
    StaleMenus,
    { provide: BotSandbox, useExisting: SandboxRecorder },
  ],
  exports: [TgUserContextStore, TelegramCalls, BotSandbox, MenuController, BotMenu, SceneStore, StaleMenus],
})
export class BotInternalsModule {}
