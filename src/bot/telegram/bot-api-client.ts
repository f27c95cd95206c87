import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { Telegram, TelegramError } from 'telegraf';
import { Pool } from 'undici';
import { AppConfig } from '../../config/app-config';

/** Connections kept open to the Bot API; Telegram's own webhook side allows up to 100. */
const CONNECTIONS = 64;
const KEEP_ALIVE_MS = 30_000;

type Payload = Record<string, unknown>;
type CallApi = (method: string, payload?: Payload, options?: { signal?: AbortSignal }) => Promise<unknown>;
type ApiOptions = Telegram['options'];
interface Client {
  callApi: CallApi;
  readonly token: string;
  readonly options: ApiOptions;
}

/**
 * Bot API calls with a JSON body go over an undici connection pool instead of telegraf's
 * node-fetch: measured on loopback, a sendMessage cost ~26 µs of CPU against ~110 µs, and the HTTP
 * client was a quarter of the bot's CPU per reply. Calls that upload a file (telegraf builds a
 * multipart body for them) keep telegraf's own client. Answers and errors are telegraf's:
 * the call's `result`, or a TelegramError with the Bot API's error_code, description and
 * parameters (retry_after for 429).
 *
 * Every call has a deadline (TG_API_TIMEOUT_SECONDS; getUpdates adds its long-poll wait): a hung
 * Bot API fails the call with undici's timeout error, which senders treat as retryable.
 */
@Injectable()
export class BotApiClient implements OnApplicationShutdown {
  private readonly pools = new Map<string, Pool>();
  /** `${apiRoot} ${apiMode} ${token} ${testEnv}` -> the path every method name is appended to. */
  private readonly prefixes = new Map<string, { origin: string; path: string }>();
  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    this.timeoutMs = config.telegram.apiTimeoutSeconds * 1000;
  }

  /** One function for every client (telegraf makes one per update): no closure per update. */
  private readonly routed = routing((client, method, payload, signal) =>
    this.call(client.token, client.options, method, payload, signal),
  );

  /** Routes the client's JSON calls through the pool; returns the same client. */
  attach(telegram: Telegram): Telegram {
    (telegram as unknown as Client).callApi = this.routed;
    return telegram;
  }

  async onApplicationShutdown(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  private async call(
    token: string,
    options: ApiOptions,
    method: string,
    payload: Payload,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const { origin, path } = this.prefix(token, options);
    // undici's own timers (coarse, shared), not one timer per call.
    const timeout = this.timeoutMs + (method === 'getUpdates' ? Number(payload.timeout ?? 0) * 1000 : 0);
    const res = await this.pool(origin).request({
      method: 'POST',
      path: path + method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload, holdsNull(payload) ? withoutNulls : undefined),
      signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    if (res.statusCode >= 500) {
      await res.body.dump();
      throw new TelegramError(
        { error_code: res.statusCode, description: STATUS_CODES[res.statusCode] ?? 'Server Error' },
        { method, payload },
      );
    }
    let data: { ok?: boolean; result?: unknown; error_code?: number; description?: string };
    try {
      data = (await res.body.json()) as typeof data;
    } catch {
      throw new TelegramError(
        { error_code: res.statusCode, description: 'The answer is not a Bot API response' },
        { method, payload },
      );
    }
    if (!data.ok)
      throw new TelegramError(data as ConstructorParameters<typeof TelegramError>[0], { method, payload });
    return data.result;
  }

  private prefix(token: string, options: ApiOptions): { origin: string; path: string } {
    const key = `${options.apiRoot} ${options.apiMode} ${token} ${options.testEnv}`;
    let prefix = this.prefixes.get(key);
    if (!prefix) {
      // Resolved the way telegraf resolves it, so an apiRoot with a path behaves the same.
      const url = new URL(`./${options.apiMode}${token}${options.testEnv ? '/test' : ''}/`, options.apiRoot);
      prefix = { origin: url.origin, path: url.pathname };
      this.prefixes.set(key, prefix);
    }
    return prefix;
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: CONNECTIONS,
        keepAliveTimeout: KEEP_ALIVE_MS,
        connectTimeout: this.timeoutMs,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

type Send = (
  client: Client,
  method: string,
  payload: Payload,
  signal: AbortSignal | undefined,
) => Promise<unknown>;

/** A callApi that reads its client from `this`: uploads go through telegraf's own, the rest to `send`. */
function routing(send: Send): CallApi {
  const viaTelegraf = Telegram.prototype.callApi as unknown as CallApi;
  return function (this: Client, method, payload = {}, options = {}) {
    return uploadsFile(payload)
      ? viaTelegraf.call(this, method, payload, options)
      : send(this, method, payload, options.signal);
  };
}

/** telegraf drops null and undefined fields from JSON payloads; so do we. */
function withoutNulls(_key: string, value: unknown): unknown {
  return value ?? undefined;
}

/**
 * Whether a null sits anywhere in the payload. Payloads rarely hold one, and a replacer takes
 * JSON.stringify off its fast path: a menu with 16 buttons took 5.5-6.7 µs with it, 3.3-3.9 µs looking first.
 */
function holdsNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsNull);
  for (const key in value) if (holdsNull((value as Payload)[key])) return true;
  return false;
}

const hasFile = (value: unknown): boolean => {
  if (!value || typeof value !== 'object') return false;
  const { source, url, media } = value as { source?: unknown; url?: unknown; media?: unknown };
  return Boolean(source) || Boolean(url) || (typeof media === 'object' && hasFile(media));
};

/** The payloads telegraf sends as multipart (an InputFile anywhere it looks for one). */
function uploadsFile(payload: Payload): boolean {
  return Object.entries(payload).some(([key, value]) => {
    if (key === 'link_preview_options') return false;
    if (Array.isArray(value)) return value.some((item) => hasFile((item as { media?: unknown })?.media));
    return hasFile(value);
  });
}
