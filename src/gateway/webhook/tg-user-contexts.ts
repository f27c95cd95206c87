import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { User } from 'telegraf/types';
import { AuthSubject, UsersApi } from '../../booking/api';
import { DomainEvents } from '../../infra/events/domain-events';
import { WebhookRedis } from './webhook-redis';

const CACHE_TTL_SECONDS = 600;
const keyOf = (tgId: number) => `tg:user:${tgId}`;
/** Bumped on every change, so a lookup that read the database before the change cannot cache the old value after it. */
const generationOf = (tgId: number) => `tg:user:gen:${tgId}`;

const SET_IF_SAME_GENERATION = `
if (redis.call('GET', KEYS[2]) or '') == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 1
`;

/** Who a Telegram user is in our system: get-or-create by tg_id, cached 10 minutes, dropped when the role, language or block changes. */
@Injectable()
export class TgUserContexts implements OnModuleInit {
  private readonly logger = new Logger(TgUserContexts.name);

  constructor(
    private readonly redis: WebhookRedis,
    private readonly users: UsersApi,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.events.on('user.auth_changed', async ({ tgId }) => {
      if (tgId === null) return;
      await this.redis.client
        .multi()
        .incr(generationOf(tgId))
        .expire(generationOf(tgId), 3600)
        .del(keyOf(tgId))
        .exec();
    });
  }

  async resolve(from: User): Promise<AuthSubject> {
    const [cached, generation] = await this.redis.client.mget(keyOf(from.id), generationOf(from.id));
    if (cached) return JSON.parse(cached) as AuthSubject;
    const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim() || from.username || '';
    const subject = await this.users.getOrCreateByTelegram({ tgId: from.id, name, languageCode: from.language_code });
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
