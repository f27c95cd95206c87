import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { redisScript } from '../../infra/redis/redis-script';
import { RedisService } from '../../infra/redis/redis.service';
import type { DeliverJob } from './notification-queues';

/** Outbox events relayed and not yet fanned out; member `<outboxId>:<relayed at, ms>`, score the outbox id. */
const UNFANNED = 'notify:unfanned';
/** A chat's Telegram messages not yet sent or given up: member the deliver job id, score its outbox id. */
const chatKey = (chatId: number) => `notify:chat:${chatId}`;
const DAY_SECONDS = 24 * 3600;
/**
 * A fan-out still pending after this long (its job removed by hand, or Redis lost it) no longer holds
 * later messages back; a fan-out takes milliseconds and its retries a few seconds.
 */
const FANOUT_STALE_MS = 60_000;

export type Turn = { kind: 'go' } | { kind: 'fanout' } | { kind: 'after'; jobId: string };

/**
 * Whose turn it is in a chat: the deliver job of the oldest outbox event with a message for it still
 * pending, once every older event has been fanned out (so none of them can still add one before it).
 */
const TURN_LUA = `
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {'go'} end
local seq = tonumber(ARGV[2])
for _ = 1, 20 do
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if not first[1] or tonumber(first[2]) >= seq then break end
  local at = tonumber(string.match(first[1], ':(%d+)$') or '0')
  if tonumber(ARGV[3]) - at < tonumber(ARGV[4]) then return {'fanout'} end
  redis.call('ZREM', KEYS[2], first[1])
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if head[1] == ARGV[1] then return {'go'} end
return {'after', head[1]}
`;

/**
 * Booking notifications reach a chat in the order of their outbox events ("received" before
 * "confirmed"), whatever order the queue's workers, on any instance, pick their jobs up in, and
 * when an earlier message waits for a retry. The relay lists an event as unfanned before it queues it;
 * the fan-out lists each Telegram message under its chat before queueing it, then unlists the event;
 * a message is sent only at its turn, and unlisted once sent or given up. Broadcasts are not ordered.
 * The state lives in Redis, so it holds across instances.
 */
@Injectable()
export class ChatOrder {
  private readonly turnScript: (...args: (string | number)[]) => Promise<string[]>;

  constructor(private readonly redis: RedisService) {
    this.turnScript = redisScript(redis.client, 'notifyTurn', 2, TURN_LUA);
  }

  /** Before the events are queued for fan-out. */
  async relaying(outboxIds: number[]): Promise<void> {
    if (outboxIds.length === 0) return;
    const now = Date.now();
    await this.redis.client.zadd(UNFANNED, ...outboxIds.flatMap((id) => [id, `${id}:${now}`]));
  }

  /** Before the event's deliver jobs are queued: its Telegram messages take their places in their chats. */
  async listing(
    outboxId: number,
    deliveries: DeliverJob[],
    jobIdOf: (d: DeliverJob) => string,
  ): Promise<void> {
    const chats = deliveries.filter((d) => d.channel === 'telegram' && d.chatId !== null);
    if (chats.length === 0) return;
    const multi = this.redis.client.multi();
    for (const d of chats)
      multi.zadd(chatKey(d.chatId!), 'NX', outboxId, jobIdOf(d)).expire(chatKey(d.chatId!), DAY_SECONDS);
    await multi.exec();
  }

  /** The event is fanned out (or given up): it holds nothing back any more. */
  async fannedOut(outboxId: number): Promise<void> {
    await this.redis.client.zremrangebyscore(UNFANNED, outboxId, outboxId);
  }

  /**
   * Whether the message may be sent now. A head whose job no longer runs (finished, failed, removed)
   * is unlisted on the way.
   */
  async turn(queue: Queue, chatId: number, jobId: string, outboxId: number): Promise<Turn> {
    for (;;) {
      const reply = (await this.turnScript(
        chatKey(chatId),
        UNFANNED,
        jobId,
        outboxId,
        Date.now(),
        FANOUT_STALE_MS,
      )) as [Turn['kind'], string?];
      if (reply[0] !== 'after') return { kind: reply[0] } as Turn;
      const state = await queue.getJobState(reply[1]!);
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown')
        return { kind: 'after', jobId: reply[1]! };
      await this.redis.client.zrem(chatKey(chatId), reply[1]!);
    }
  }

  /** The message was sent, or given up for good; returns the chat's next message (its job id), if any. */
  async done(chatId: number, jobId: string): Promise<string | undefined> {
    const [, [, head]] = (await this.redis.client
      .multi()
      .zrem(chatKey(chatId), jobId)
      .zrange(chatKey(chatId), 0, 0)
      .exec()) as [[Error | null, number], [Error | null, string[]]];
    return head[0];
  }

  /** The chat's next message (its job id), if any. */
  async head(chatId: number): Promise<string | undefined> {
    const [head] = await this.redis.client.zrange(chatKey(chatId), 0, 0);
    return head;
  }
}
