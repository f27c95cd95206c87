import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { RedisService } from '../../infra/redis/redis.service';

/**
 * The update pipeline's own connection, so its traffic never queues behind other modules' commands.
 * Same prefix and fail-fast rules as the shared one. No auto-pipelining: webhook requests arrive one
 * per tick, so it batched nothing, and its per-tick pipelines kept every command alive long enough
 * to be promoted to the old generation; the major collections that followed paused acks for 40-60 ms
 * (bench/webhook (a): p99 25-100 ms with it, under 10 ms without).
 */
@Injectable()
export class WebhookRedis implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookRedis.name);
  readonly client: Redis;

  constructor(redis: RedisService, config: AppConfig) {
    this.client = redis.duplicate({
      ...RedisService.baseOptions(config),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
    });
    this.client.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
  }

  async onModuleInit(): Promise<void> {
    await this.client.connect().catch((err: Error) => this.logger.error(`redis unreachable: ${err.message}`));
  }

  /** Last: the gateway's own shutdown (removals, releasing its leases) still needs the connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
