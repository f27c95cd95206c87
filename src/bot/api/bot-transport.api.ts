import type { Update } from 'telegraf/types';

/** How updates reach us from Telegram; the gateway picks webhook or long polling, the bot owns the API client. */
export abstract class BotTransport {
  abstract setWebhook(url: string, secretToken: string, allowedUpdates: readonly string[]): Promise<void>;
  abstract deleteWebhook(): Promise<void>;
  /** One long-poll round; rejects when aborted. */
  abstract getUpdates(
    offset: number,
    timeoutSeconds: number,
    allowedUpdates: readonly string[],
    signal: AbortSignal,
  ): Promise<Update[]>;
}
