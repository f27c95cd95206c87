import { Injectable, Logger } from '@nestjs/common';
import { RedisService } from '../../infra/redis/redis.service';

const TTL_SECONDS = 7 * 24 * 3600;
const keyOf = (broadcastId: string) => `broadcast:${broadcastId}`;
const REF = /^broadcast-(.+)$/;

export interface BroadcastCounts {
  /** null until the recipients have been found. */
  total: number | null;
  sent: number;
  failed: number;
}

/**
 * A broadcast's counts in Redis (`broadcast:{id}`, a week): its messages once the fan-out has found
 * the recipients, and how many were sent or failed for good. Counting is best effort: a lost
 * increment leaves the progress short, never a message unsent.
 */
@Injectable()
export class BroadcastProgress {
  private readonly logger = new Logger(BroadcastProgress.name);

  constructor(private readonly redis: RedisService) {}

  async started(broadcastId: string): Promise<void> {
    await this.redis.client
      .multi()
      .hset(keyOf(broadcastId), 'sent', 0, 'failed', 0)
      .expire(keyOf(broadcastId), TTL_SECONDS)
      .exec();
  }

  /** The fan-out's count; a repeated fan-out finds the same recipients and sets the same number. */
  async queued(broadcastId: string, total: number): Promise<void> {
    await this.redis.client.hset(keyOf(broadcastId), 'total', total);
  }

  /** A deliver job of the broadcast (its ref `broadcast-<id>`) ended: sent, or failed for good. */
  async finished(ref: string, outcome: 'sent' | 'failed'): Promise<void> {
    const broadcastId = REF.exec(ref)?.[1];
    if (!broadcastId) return;
    await this.redis.client
      .hincrby(keyOf(broadcastId), outcome, 1)
      .catch((err: Error) => this.logger.warn(`broadcast ${broadcastId} not counted: ${err.message}`));
  }

  /** The counts, or null for a broadcast this salon never sent (or sent over a week ago). */
  async of(broadcastId: string): Promise<BroadcastCounts | null> {
    const raw = await this.redis.client.hgetall(keyOf(broadcastId));
    if (raw.sent === undefined) return null;
    return {
      total: raw.total === undefined ? null : Number(raw.total),
      sent: Number(raw.sent),
      failed: Number(raw.failed ?? 0),
    };
  }
}
