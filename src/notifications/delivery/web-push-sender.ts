import { Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Agent, request } from 'undici';
import { generateRequestDetails } from 'web-push';
import { AppConfig } from '../../config/app-config';
import { PushEndpointPolicy, PushEndpointRefused } from '../push-subscriptions/push-endpoint-policy';

/** How long a push service keeps a message for an offline browser: a day-old booking notice is stale. */
const TTL_SECONDS = 24 * 3600;

/** Certificate authorities to trust for push services instead of the system's: a test's own push service. */
export abstract class PushServiceTrust {
  abstract readonly ca: string;
}

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
 * undici: web-push's own sender has no way to vet the address it connects to, and its answers need
 * mapping anyway. Every connection goes through PushEndpointPolicy's lookup; every call has one
 * deadline, WEB_PUSH_TIMEOUT_SECONDS, from DNS to the last byte, and running out of it is retried.
 */
@Injectable()
export class WebPushSender implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebPushSender.name);
  private readonly dispatcher: Agent;
  private readonly timeoutMs: number;

  constructor(
    private readonly config: AppConfig,
    private readonly policy: PushEndpointPolicy,
    @Optional() trust?: PushServiceTrust,
  ) {
    this.timeoutMs = config.webPushDelivery.timeoutSeconds * 1000;
    this.dispatcher = new Agent({
      connect: { lookup: policy.lookup, ...(trust ? { ca: trust.ca } : {}) },
      connectTimeout: this.timeoutMs,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  get enabled(): boolean {
    return this.config.webPush !== undefined;
  }

  onModuleInit(): void {
    if (!this.enabled)
      this.logger.warn(
        'VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY not set: users without Telegram get no notifications (npx web-push generate-vapid-keys)',
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }

  async send(target: PushTarget, payload: string): Promise<PushOutcome> {
    const vapid = this.config.webPush;
    if (!vapid) return { kind: 'rejected', reason: 'Web Push is not configured' };
    // Rows from before the rules, or written around the API, are held to them too.
    const refused = this.policy.refusal(target.endpoint);
    if (refused) return { kind: 'rejected', reason: refused };
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
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      statusCode = res.statusCode;
      retryAfter = res.headers['retry-after'];
      await res.body.dump();
    } catch (err) {
      const refusedAddress = refusal(err);
      if (refusedAddress) return { kind: 'rejected', reason: refusedAddress.message };
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      return {
        kind: 'retry',
        reason: timedOut
          ? `push service did not answer within ${this.timeoutMs / 1000} s`
          : (err as Error).message,
      };
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

function refusal(err: unknown): PushEndpointRefused | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof PushEndpointRefused) return e;
  return undefined;
}
