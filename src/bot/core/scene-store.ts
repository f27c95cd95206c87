import { Injectable } from '@nestjs/common';
import { RedisService } from '../../infra/redis/redis.service';

/** Multi-step input the bot is waiting for in a chat (a comment, a name): never navigation. */
export interface SceneState<D = Record<string, unknown>> {
  scene: string;
  data: D;
}

const TTL_SECONDS = 24 * 3600;
const keyOf = (chatId: number) => `fsm:${chatId}`;

/**
 * Scene state lives in Redis (`fsm:{chat_id}`, one day), never in memory: a restart, or another
 * instance, continues the flow where the user left it.
 */
@Injectable()
export class SceneStore {
  constructor(private readonly redis: RedisService) {}

  async get<D = Record<string, unknown>>(chatId: number): Promise<SceneState<D> | null> {
    const raw = await this.redis.client.get(keyOf(chatId));
    return raw ? (JSON.parse(raw) as SceneState<D>) : null;
  }

  async enter<D>(chatId: number, scene: string, data: D): Promise<void> {
    await this.redis.client.set(keyOf(chatId), JSON.stringify({ scene, data }), 'EX', TTL_SECONDS);
  }

  async leave(chatId: number): Promise<void> {
    await this.redis.client.del(keyOf(chatId));
  }
}
