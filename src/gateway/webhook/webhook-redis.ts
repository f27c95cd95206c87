import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { RedisService } from '../../infra/redis/redis.service';

/**
 * The update pipeline's own connection: auto-pipelining turns the commands of many concurrent
 * updates into one write (and one syscall) per tick. Same prefix and fail-fast rules as the shared one.
 */
@Injectable()
export class WebhookRedis implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookRedis.name);
  readonly client: Redis;

  constructor(redis: RedisService, config: AppConfig) {
    this.client = redis.duplicate({
      ...RedisService.baseOptions(config),
      lazyConnect: true,
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
    });
    this.client.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
  }

  async onModuleInit(): Promise<void> {
    await this.client.connect().catch((err: Error) => this.logger.error(`redis unreachable: ${err.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
