import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { User } from 'telegraf/types';
import { AuthSubject, UsersApi } from '../../booking/api';
import { AppConfig } from '../../config/app-config';
import { DomainEvents } from '../../infra/events/domain-events';
import { RedisService } from '../../infra/redis/redis.service';
import { WebhookRedis } from './webhook-redis';

const CACHE_TTL_SECONDS = 600;
/**
 * How long this process keeps its own copy: as long as Redis keeps the shared one. A change reaches it
 * over pub/sub on a live connection, and a reconnect drops every copy, so no message can be missed.
 */
const LOCAL_TTL_MS = CACHE_TTL_SECONDS * 1000;
const LOCAL_MAX_ENTRIES = 20_000;
const keyOf = (tgId: number) => `tg:user:${tgId}`;
/** Bumped on every change, so a lookup that read the database before the change cannot cache the old value after it. */
const generationOf = (tgId: number) => `tg:user:gen:${tgId}`;
/** Pub/sub channels are not prefixed by ioredis; this one is, by hand, so apps sharing a Redis stay apart. */
const channelOf = (prefix: string) => `${prefix}tg:user:changed`;
/** A held subject is stale once Telegram shows another @username: the database learns the new one. */
const sameUsername = (subject: AuthSubject, from: User) =>
  (subject.username ?? null) === (from.username ?? null);

const SET_IF_SAME_GENERATION = `
if (redis.call('GET', KEYS[2]) or '') == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 1
`;

/**
 * Who a Telegram user is in our system: get-or-create by tg_id, cached 10 minutes in Redis, dropped
 * when the role, language or block changes. Each process also keeps the subjects it used in the last
 * 10 minutes in memory (most updates come from users who just wrote): a change drops them at once here
 * and, through Redis pub/sub, in every other instance; if the subscription was interrupted, all of them.
 */
@Injectable()
export class TgUserContexts implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TgUserContexts.name);
  private readonly local = new Map<number, { subject: AuthSubject; until: number }>();
  /** Counts invalidations: a lookup that began before one does not keep its result in memory. */
  private epoch = 0;
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(
    private readonly redis: WebhookRedis,
    private readonly users: UsersApi,
    private readonly events: DomainEvents,
    shared: RedisService,
    config: AppConfig,
  ) {
    this.channel = channelOf(config.redisPrefix);
    this.subscriber = shared.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', (err) => this.logger.warn(`redis subscriber: ${err.message}`));
    this.subscriber.on('message', (_channel, tgId) => this.forgetLocally(Number(tgId)));
    // Messages sent while the subscription was down are lost: nothing held in memory can be trusted.
    this.subscriber.on('ready', () => this.forgetAllLocally());
  }

  onModuleInit(): void {
    this.events.on('user.auth_changed', async ({ tgId }) => {
      if (tgId === null) return;
      this.forgetLocally(tgId);
      await this.redis.client
        .multi()
        .incr(generationOf(tgId))
        .expire(generationOf(tgId), 3600)
        .del(keyOf(tgId))
        .publish(this.channel, String(tgId))
        .exec();
    });
    this.subscriber
      .connect()
      .then(() => this.subscriber.subscribe(this.channel))
      .catch((err: Error) =>
        this.logger.warn(`user context invalidations not subscribed yet: ${err.message}`),
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  async resolve(from: User): Promise<AuthSubject> {
    const now = Date.now();
    const held = this.local.get(from.id);
    if (held && held.until > now && this.subscriber.status === 'ready' && sameUsername(held.subject, from))
      return held.subject;
    const epoch = this.epoch;
    const subject = await this.fromRedisOrDatabase(from);
    if (epoch === this.epoch) {
      this.local.delete(from.id);
      if (this.local.size >= LOCAL_MAX_ENTRIES) this.local.delete(this.local.keys().next().value!);
      this.local.set(from.id, { subject, until: now + LOCAL_TTL_MS });
    }
    return subject;
  }

  private forgetLocally(tgId: number): void {
    this.epoch++;
    this.local.delete(tgId);
  }

  private forgetAllLocally(): void {
    this.epoch++;
    this.local.clear();
  }

  private async fromRedisOrDatabase(from: User): Promise<AuthSubject> {
    const [cached, generation] = await this.redis.client.mget(keyOf(from.id), generationOf(from.id));
    const held = cached ? (JSON.parse(cached) as AuthSubject) : undefined;
    if (held && sameUsername(held, from)) return held;
    const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim() || from.username || '';
    const subject = await this.users.getOrCreateByTelegram({
      tgId: from.id,
      name,
      languageCode: from.language_code,
      username: from.username,
    });
    try {
      await this.redis.client.eval(
        SET_IF_SAME_GENERATION,
        2,
        keyOf(from.id),
        generationOf(from.id),
        generation ?? '',
        JSON.stringify(subject),
        CACHE_TTL_SECONDS,
      );
    } catch (err) {
      this.logger.warn(`user context not cached: ${(err as Error).message}`);
    }
    return subject;
  }
}
