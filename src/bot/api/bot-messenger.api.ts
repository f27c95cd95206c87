/**
 * Why Telegram did not take a message:
 * - rate_limited: 429, try again after `retryAfterSeconds`;
 * - blocked: 403, the user blocked the bot (or deleted their account); retrying cannot help;
 * - rejected: any other 4xx (chat not found, text too long); retrying cannot help;
 * - unavailable: 5xx, network or timeout; worth retrying.
 */
export type BotSendFailure = 'rate_limited' | 'blocked' | 'rejected' | 'unavailable';

export class BotSendError extends Error {
  constructor(
    readonly reason: BotSendFailure,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'BotSendError';
  }

  get retryable(): boolean {
    return this.reason === 'rate_limited' || this.reason === 'unavailable';
  }
}

/** An inline button; `data` comes back to the bot as the callback query's data (at most 64 bytes). */
export interface BotButton {
  text: string;
  data: string;
}

/** Sends a plain message to a Telegram chat through the bot (OTP codes, notifications). */
export abstract class BotMessenger {
  /** Resolves when Telegram accepted the message; rejects with a BotSendError when it did not. */
  abstract sendText(chatId: number, text: string, buttons?: BotButton[][]): Promise<void>;
}
