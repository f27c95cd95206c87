import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import type { Language } from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { BroadcastsApi } from '../../../../notifications/api';
import { progressText } from './broadcast.screens';

const EVERY_MS = 1000;
/** A broadcast to thousands at 30 messages/s takes minutes; the message stops following it after an hour. */
const GIVE_UP_MS = 3600_000;

/**
 * Follows a broadcast after it was queued: its progress message is edited in place whenever the
 * counts change, until every message is sent or failed. In memory: after a restart the message keeps
 * its last counts (the REST endpoint still answers).
 */
@Injectable()
export class BroadcastWatcher implements OnModuleDestroy {
  private readonly logger = new Logger(BroadcastWatcher.name);
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly broadcasts: BroadcastsApi,
    @InjectBot() private readonly bot: Telegraf,
  ) {}

  follow(
    actor: Actor,
    lang: Language,
    broadcastId: string,
    chatId: number,
    messageId: number,
    shown: string,
  ): void {
    const until = Date.now() + GIVE_UP_MS;
    const tick = async () => {
      let next = true;
      try {
        const progress = await this.broadcasts.progress(actor, broadcastId);
        const text = progressText(lang, progress);
        if (text !== shown) {
          await this.bot.telegram.editMessageText(chatId, messageId, undefined, text);
          shown = text;
        }
        next = !progress.done;
      } catch (err) {
        this.logger.warn(`broadcast ${broadcastId} progress not shown: ${(err as Error).message}`);
      }
      if (next && Date.now() < until) this.schedule(tick);
    };
    this.schedule(tick);
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(tick: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void tick();
    }, EVERY_MS);
    this.timers.add(timer);
  }
}
