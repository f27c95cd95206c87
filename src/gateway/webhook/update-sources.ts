import { Injectable, Logger } from '@nestjs/common';
import type { Update } from 'telegraf/types';
import { BotTransport } from '../../bot/api';
import { AppConfig } from '../../config/app-config';
import type { UpdateSource } from '../api/telegram-gateway.api';
import { webhookSecret } from './webhook-secret';

export const WEBHOOK_PATH = 'tg/webhook';
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;
const POLL_TIMEOUT_SECONDS = 25;
const RETRY_MS = [1000, 2000, 5000, 10000];

type Accept = (update: Update, source: UpdateSource) => Promise<unknown>;

/**
 * BOT_TOKEN + PUBLIC_URL: register the webhook (with the secret) at start.
 * BOT_TOKEN only: long polling, each update through the same accept() as the webhook.
 * No token: the sandbox; updates arrive through TelegramGateway.accept(update, 'sandbox').
 */
@Injectable()
export class UpdateSources {
  private readonly logger = new Logger(UpdateSources.name);
  private readonly abort = new AbortController();
  private polling: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly transport: BotTransport,
  ) {}

  get mode(): UpdateSource {
    if (!this.config.telegram.token) return 'sandbox';
    return this.config.telegram.publicUrl ? 'webhook' : 'polling';
  }

  async start(accept: Accept): Promise<void> {
    if (this.mode === 'sandbox') {
      this.logger.warn(
        'no BOT_TOKEN: sandbox mode, nothing is sent to Telegram (Bot API calls are recorded)',
      );
    } else if (this.mode === 'webhook') {
      void this.retrying('setWebhook', () => this.registerWebhook());
    } else {
      this.logger.log('BOT_TOKEN without PUBLIC_URL: long polling');
      this.polling = this.poll(accept);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.polling;
  }

  private async registerWebhook(): Promise<void> {
    const url = `${this.config.telegram.publicUrl!.replace(/\/+$/, '')}/${WEBHOOK_PATH}`;
    await this.transport.setWebhook(url, webhookSecret(this.config)!, ALLOWED_UPDATES);
    this.logger.log(`webhook registered at ${url}`);
  }

  private async retrying(what: string, fn: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.abort.signal.aborted; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
        this.logger.error(`${what} failed, retrying in ${wait} ms: ${(err as Error).message}`);
        await this.sleep(wait);
      }
    }
  }

  private async poll(accept: Accept): Promise<void> {
    await this.retrying('deleteWebhook', () => this.transport.deleteWebhook());
    let offset = 0;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const updates = await this.transport.getUpdates(
          offset,
          POLL_TIMEOUT_SECONDS,
          ALLOWED_UPDATES,
          this.abort.signal,
        );
        for (const update of updates) {
          // Not confirmed to Telegram (offset) until journaled: a Redis outage means a refetch, not a loss.
          await accept(update, 'polling');
          offset = update.update_id + 1;
        }
        failures = 0;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
        this.logger.warn(`polling failed, retrying in ${wait} ms: ${(err as Error).message}`);
        await this.sleep(wait);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
