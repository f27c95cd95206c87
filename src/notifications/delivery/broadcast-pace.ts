import { Injectable } from '@nestjs/common';
import { redisScript } from '../../infra/redis/redis-script';
import { RedisService } from '../../infra/redis/redis.service';

/** Telegram's overall limit for a bot: 30 messages in any second. */
export const BROADCAST_PER_SECOND = 30;
/** A second, and a few ms for the clocks of Redis and of whoever counts arrivals. */
export const BROADCAST_WINDOW_MS = 1005;
/** A send not settled within this long (its process died) stops holding its place. */
const PENDING_MS = 60_000;
/** With every place held by a send in flight, look again this soon. */
const IN_FLIGHT_POLL_MS = 10;
const LOG = 'notify:broadcast:sent';

/**
 * A sliding log of sends by Redis's clock (shared by every instance). A send in flight is in the log with
 * a score in the future; once settled its score is the time it was answered, which is after Telegram got
 * it. A send may start when fewer than LIMIT sends are in flight or were answered within the last WINDOW
 * ms: then of any LIMIT + 1 messages arriving within one second, the last one to start would have seen
 * the other LIMIT in the log (each was answered after it arrived, so less than a second before) and waited.
 */
const TAKE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[4]))
  return 0
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if oldest > now then return tonumber(ARGV[5]) end
return math.max(1, oldest + window - now + 1)
`;
const SETTLE_LUA = `
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
return 0
`;

/**
 * Broadcasts go at most 30 messages in any second as Telegram receives them, across instances, however
 * late a send leaves after its turn. BullMQ's limiter counts fixed windows by start: 30 per second let
 * 45-60 through in some seconds, 3 per 100 ms let 33 through in a sliding second (bench/notifications).
 */
@Injectable()
export class BroadcastPace {
  private taken = 0;
  private readonly take: (
    key: string,
    limit: number,
    window: number,
    id: string,
    pending: number,
    poll: number,
  ) => Promise<number>;
  private readonly settle: (key: string, id: string) => Promise<number>;

  constructor(redis: RedisService) {
    this.take = redisScript(redis.client, 'broadcastTake', 1, TAKE_LUA);
    this.settle = redisScript(redis.client, 'broadcastSettle', 1, SETTLE_LUA);
  }

  /**
   * Runs `send` in its turn: waits here (at most about a second) until a place in the window frees,
   * so the next send starts the moment one does (a delayed job came back tens of ms late, and the rate
   * fell to 27.5/s).
   */
  async paced(send: () => Promise<void>): Promise<void> {
    const id = `${process.pid}-${++this.taken}`;
    for (;;) {
      const wait = await this.take(
        LOG,
        BROADCAST_PER_SECOND,
        BROADCAST_WINDOW_MS,
        id,
        PENDING_MS,
        IN_FLIGHT_POLL_MS,
      );
      if (wait === 0) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    try {
      await send();
    } finally {
      await this.settle(LOG, id).catch(() => undefined);
    }
  }
}
