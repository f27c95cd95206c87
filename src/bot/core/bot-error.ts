import type { TextKey } from '../i18n/i18n';

/** A refusal the bot itself words (e.g. with a time formatted in the location's zone); the bot's filter shows it. */
export class BotError extends Error {
  constructor(
    readonly key: TextKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'BotError';
  }
}
