import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { request } from 'undici';
import { generateRequestDetails } from 'web-push';
import { AppConfig } from '../../config/app-config';

/** How long a push service keeps a message for an offline browser: a day-old booking notice is stale. */
const TTL_SECONDS = 24 * 3600;
const TIMEOUT_MS = 10_000;

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * - delivered: the push service took it (2xx);
 * - gone: 404/410, the browser unsubscribed: the subscription is to be deleted;
 * - retry: 429 or 5xx or a network error (retryAfterSeconds when the service said);
 * - rejected: any other answer (a payload too large, a bad key): retrying cannot help.
 */
export type PushOutcome =
  | { kind: 'delivered' }
  | { kind: 'gone' }
  | { kind: 'retry'; reason: string; retryAfterSeconds?: number }
  | { kind: 'rejected'; reason: string };

/**
 * Web Push with VAPID, encrypted (aes128gcm) by web-push's generateRequestDetails and sent with
 * undici: web-push's own sender speaks https only, and its answers need mapping anyway.
 */
@Injectable()
export class WebPushSender implements OnModuleInit {
  private readonly logger = new Logger(WebPushSender.name);

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.webPush !== undefined;
  }

  onModuleInit(): void {
    if (!this.enabled)
      this.logger.warn(
        'VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY not set: users without Telegram get no notifications (npx web-push generate-vapid-keys)',
      );
  }

  async send(target: PushTarget, payload: string): Promise<PushOutcome> {
    const vapid = this.config.webPush;
    if (!vapid) return { kind: 'rejected', reason: 'Web Push is not configured' };
    const details = generateRequestDetails(target, payload, {
      TTL: TTL_SECONDS,
      vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    });
    let statusCode: number;
    let retryAfter: string | string[] | undefined;
    try {
      const res = await request(details.endpoint, {
        method: 'POST',
        headers: details.headers as Record<string, string>,
        body: details.body ?? undefined,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      statusCode = res.statusCode;
      retryAfter = res.headers['retry-after'];
      await res.body.dump();
    } catch (err) {
      return { kind: 'retry', reason: (err as Error).message };
    }
    if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered' };
    if (statusCode === 404 || statusCode === 410) return { kind: 'gone' };
    if (statusCode === 429 || statusCode >= 500) {
      const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return {
        kind: 'retry',
        reason: `push service answered ${statusCode}`,
        retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : undefined,
      };
    }
    return { kind: 'rejected', reason: `push service answered ${statusCode}` };
  }
}
