import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';

/**
 * TG_WEBHOOK_SECRET, or one derived from the bot token so every instance agrees without extra
 * configuration. Undefined when there is neither: then no webhook request is accepted.
 */
export function webhookSecret(config: AppConfig): string | undefined {
  if (config.telegram.webhookSecret) return config.telegram.webhookSecret;
  if (config.telegram.token)
    return createHmac('sha256', 'telegram-webhook-secret').update(config.telegram.token).digest('base64url');
  return undefined;
}

/** One-shot hashing: no Hash object (a native handle the GC must finalize) per request. */
const digest = (value: string) => hash('sha256', value, 'buffer');

/** Compares fixed-length digests with timingSafeEqual, so neither the content nor the length of the secret leaks. */
export class SecretCheck {
  private readonly expected: Buffer | undefined;

  constructor(secret: string | undefined) {
    this.expected = secret === undefined ? undefined : digest(secret);
  }

  matches(given: unknown): boolean {
    if (this.expected === undefined || typeof given !== 'string') return false;
    return timingSafeEqual(this.expected, digest(given));
  }
}
