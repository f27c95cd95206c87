import type { Update } from 'telegraf/types';
import type { TgUserContext } from './tg-user-context';

/** The gateway's only way into the bot: one call per accepted update, already authenticated and ordered per chat. */
export abstract class BotUpdates {
  /** Resolves when the bot finished with the update (replies sent or failed and logged). */
  abstract handle(update: Update, ctx: TgUserContext): Promise<void>;
  /** Tells the user their updates are being dropped; the gateway calls it at most once per rate-limit window. */
  abstract rateLimited(ctx: TgUserContext, retryAfterSeconds: number): Promise<void>;
  /**
   * Tells a blocked user the bot will not serve them, their update being dropped: a press is answered
   * with it, a message at most once per rate-limit window.
   */
  abstract blocked(update: Update, ctx: TgUserContext): Promise<void>;
}
