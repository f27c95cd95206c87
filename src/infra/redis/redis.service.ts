import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '../../config/app-config';

const COMMAND_TIMEOUT_MS = 2000;
/**
 * Reconnect attempts while Redis is away: soon at first, then every half second (as BullMQ's): after a
 * long outage a 2 s cap left the relay waiting up to 2 s longer than the queues it feeds.
 */
const reconnectDelay = (times: number) => Math.min(times * 100, 500);

/**
 * The one shared ioredis connection. Commands fail fast while Redis is unreachable
 * (no offline queue), so callers can degrade instead of hanging a request.
 * Every key goes through the configured prefix: tests and a running app never collide.
 */
@Injectable()
export class RedisService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RedisService.name);
  readonly client: Redis;

  constructor(private readonly config: AppConfig) {
    this.client = new Redis(config.effectiveRedisUrl, {
      ...RedisService.baseOptions(config),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // A dead socket never emits 'close' again; ioredis's 2 s default would hold shutdown (and jest) open.
      disconnectTimeout: 200,
      // Commands issued in one turn of the event loop (many chats' menus, caches, locks) leave in one write:
      // on this VM a socket write costs 0.1-0.3 ms of CPU, more than most commands. Nothing blocks on this
      // connection (blocking reads and subscriptions use duplicates), so batching cannot hold a command up.
      enableAutoPipelining: true,
    });
    this.client.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    // While disconnected every command is refused at once; ioredis would still arm a commandTimeout timer
    // per refused command (left running for 2 s), so the timeout applies only to a live connection.
    this.client.on('ready', () => (this.client.options.commandTimeout = COMMAND_TIMEOUT_MS));
    this.client.on('close', () => (this.client.options.commandTimeout = undefined));
  }

  static baseOptions(config: AppConfig): RedisOptions {
    return {
      keyPrefix: config.redisPrefix,
      connectTimeout: 2000,
      retryStrategy: reconnectDelay,
    };
  }

  get prefix(): string {
    return this.config.redisPrefix;
  }

  /** A separate connection, e.g. for BullMQ (which needs blocking commands and its own prefix handling). */
  duplicate(options: RedisOptions = {}): Redis {
    return new Redis(this.config.effectiveRedisUrl, {
      connectTimeout: 2000,
      retryStrategy: reconnectDelay,
      ...options,
    });
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.client.connect();
    } catch (err) {
      // Start anyway: /health reports it and the client keeps reconnecting.
      this.logger.error(`redis unreachable at ${this.config.effectiveRedisUrl}: ${(err as Error).message}`);
    }
  }

  async ping(): Promise<void> {
    if (this.client.status !== 'ready') throw new Error(`not connected, status ${this.client.status}`);
    await this.client.ping();
  }

  async onModuleDestroy(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
