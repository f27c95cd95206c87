import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import type { Telegraf } from 'telegraf';
import type { Language } from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { RedisService } from '../../../../infra/redis/redis.service';
import { BroadcastsApi } from '../../../../notifications/api';
import { progressText } from './broadcast.screens';

const EVERY_MS = 1000;
/** A broadcast to thousands at 30 messages/s takes minutes; the message stops following it after an hour. */
const GIVE_UP_MS = 3600_000;
/** The progress messages being followed, by broadcast id: a restarted app picks them up again. */
const WATCHES = 'tg:broadcast_watches';

interface Watch {
  broadcastId: string;
  actor: Actor;
  lang: Language;
  chatId: number;
  messageId: number;
  /** the text the message shows now */
  shown: string;
  /** epoch ms after which it is no longer followed */
  until: number;
}

/**
 * Follows a broadcast after it was queued: its one progress message is edited in place whenever the
 * counts change, until every message is sent or failed. What is followed is kept in Redis, so after a
 * restart the message goes on from where it was.
 */
@Injectable()
export class BroadcastWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BroadcastWatcher.name);
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly broadcasts: BroadcastsApi,
    private readonly redis: RedisService,
    @InjectBot() private readonly bot: Telegraf,
  ) {}

  async follow(
    actor: Actor,
    lang: Language,
    broadcastId: string,
    chatId: number,
    messageId: number,
    shown: string,
  ): Promise<void> {
    const watch = { broadcastId, actor, lang, chatId, messageId, shown, until: Date.now() + GIVE_UP_MS };
    await this.redis.client.hset(WATCHES, broadcastId, JSON.stringify(watch));
    this.schedule(watch);
  }

  async onApplicationBootstrap(): Promise<void> {
    const all = await this.redis.client.hgetall(WATCHES).catch((err: Error) => {
      this.logger.warn(`broadcast progress messages not resumed: ${err.message}`);
      return {};
    });
    for (const raw of Object.values(all)) this.schedule(JSON.parse(raw) as Watch);
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async tick(watch: Watch): Promise<void> {
    let done = false;
    try {
      const progress = await this.broadcasts.progress(watch.actor, watch.broadcastId);
      const text = progressText(watch.lang, progress);
      if (text !== watch.shown) {
        await this.bot.telegram.editMessageText(watch.chatId, watch.messageId, undefined, text);
        watch.shown = text;
        if (!progress.done) await this.redis.client.hset(WATCHES, watch.broadcastId, JSON.stringify(watch));
      }
      done = progress.done;
    } catch (err) {
      this.logger.warn(`broadcast ${watch.broadcastId} progress not shown: ${(err as Error).message}`);
    }
    if (done || Date.now() > watch.until) {
      await this.redis.client.hdel(WATCHES, watch.broadcastId).catch(() => undefined);
      return;
    }
    this.schedule(watch);
  }

  private schedule(watch: Watch): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.tick(watch);
    }, EVERY_MS);
    this.timers.add(timer);
  }
}
