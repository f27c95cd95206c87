import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  token: string;
  params: Record<string, any>;
  /** The request's content type: JSON for most calls, multipart/form-data for file uploads. */
  contentType: string;
  at: number;
  /** What the fake answered (e.g. the sent message with its message_id), once it has. */
  result?: unknown;
}

/** How the fake answers one call instead of succeeding. */
export type FakeFailure =
  | { kind: 'too_many_requests'; retryAfter: number }
  | { kind: 'blocked' }
  | { kind: 'server_error'; status?: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'bad_request'; description: string };

interface Rule {
  method: string | '*';
  failure: FakeFailure;
  /** How many calls it applies to; Infinity until cleared. */
  remaining: number;
  /** Only calls to this chat (params.chat_id); any chat when undefined. */
  chatId?: number;
}

type Waiter = { predicate: (call: RecordedCall) => boolean; resolve: (call: RecordedCall) => void };

/**
 * A Bot API server on 127.0.0.1 (random port) that records every call. Point the app at it with
 * TELEGRAM_API_ROOT=fake.apiRoot and any BOT_TOKEN. It answers getMe, send*, edit*, setWebhook,
 * getUpdates (long poll over queued updates) and everything else with `true`; `fail()` makes
 * chosen methods answer 429 with retry_after, 403 blocked, 5xx, or slowly.
 */
export class FakeTelegramApi {
  readonly calls: RecordedCall[] = [];
  private readonly rules: Rule[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly queuedUpdates: unknown[] = [];
  private readonly pollers: (() => void)[] = [];
  private nextMessageId = 1;
  private server!: Server;
  /** Keep the calls list bounded for load tests; 0 keeps everything. */
  recordLimit = 0;
  /** Counts every call by method even when recordLimit drops old entries. */
  readonly counts = new Map<string, number>();
  /** Called with every call once answered (its result set), e.g. by a load generator following many chats. */
  onAnswered: ((call: RecordedCall) => void) | undefined;

  static async start(): Promise<FakeTelegramApi> {
    const fake = new FakeTelegramApi();
    fake.server = createServer((req, res) => void fake.onRequest(req, res));
    fake.server.keepAliveTimeout = 30000;
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Calls of one method, oldest first. */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The texts sent to a chat by sendMessage. */
  textsTo(chatId: number): string[] {
    return this.callsOf('sendMessage')
      .filter((c) => Number(c.params.chat_id) === chatId)
      .map((c) => String(c.params.text));
  }

  /** Resolves with the first call (already made or future) matching the predicate. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 10000): Promise<RecordedCall> {
    const existing = this.calls.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching Bot API call within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      });
    });
  }

  /** Makes the next `times` calls of a method (or '*') fail or be slow; with `chatId`, only those to that chat. */
  fail(method: string | '*', failure: FakeFailure, times = Infinity, chatId?: number): void {
    this.rules.push({ method, failure, remaining: times, chatId });
  }

  clearFailures(): void {
    this.rules.length = 0;
  }

  /** Queues an update for the next getUpdates (long polling). */
  pushUpdate(update: unknown): void {
    this.queuedUpdates.push(update);
    this.pollers.splice(0).forEach((wake) => wake());
  }

  reset(): void {
    this.calls.length = 0;
    this.counts.clear();
    this.clearFailures();
  }

  async stop(): Promise<void> {
    this.pollers.splice(0).forEach((wake) => wake());
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url?.split('?')[0] ?? '');
    const body = await readBody(req);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match;
    const contentType = req.headers['content-type'] ?? '';
    let params: Record<string, any> = {};
    try {
      // Uploads are recorded without their fields: the tests look at the texts and buttons users see.
      if (!contentType.startsWith('multipart/form-data'))
        params = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: cannot parse JSON' });
    }
    const call: RecordedCall = { method, token, params, contentType, at: Date.now() };
    this.record(call);
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.method === '*' || r.method === method) &&
        (r.chatId === undefined || Number(params.chat_id) === r.chatId),
    );
    if (rule) {
      rule.remaining--;
      const { failure } = rule;
      if (failure.kind === 'slow') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, failure.delayMs);
          // A caller that gave up (or was killed) frees the fake at once.
          res.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (res.destroyed) return;
      } else if (failure.kind === 'too_many_requests') {
        return send(res, 429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${failure.retryAfter}`,
          parameters: { retry_after: failure.retryAfter },
        });
      } else if (failure.kind === 'blocked') {
        return send(res, 403, {
          ok: false,
          error_code: 403,
          description: 'Forbidden: bot was blocked by the user',
        });
      } else if (failure.kind === 'bad_request') {
        return send(res, 400, {
          ok: false,
          error_code: 400,
          description: `Bad Request: ${failure.description}`,
        });
      } else {
        const status = failure.status ?? 502;
        return send(res, status, { ok: false, error_code: status, description: 'Bad Gateway' });
      }
    }
    call.result = await this.result(method, params);
    this.onAnswered?.(call);
    send(res, 200, { ok: true, result: call.result });
  }

  private record(call: RecordedCall): void {
    this.counts.set(call.method, (this.counts.get(call.method) ?? 0) + 1);
    this.calls.push(call);
    if (this.recordLimit > 0 && this.calls.length > this.recordLimit)
      this.calls.splice(0, this.calls.length - this.recordLimit);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].predicate(call)) this.waiters.splice(i, 1)[0].resolve(call);
    }
  }

  private async result(method: string, params: Record<string, any>): Promise<unknown> {
    if (method === 'getMe') {
      return {
        id: 777000,
        is_bot: true,
        first_name: 'Fake',
        username: 'fake_bot',
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      };
    }
    if (method === 'getUpdates') return this.longPoll(params);
    if (method === 'getWebhookInfo')
      return { url: '', has_custom_certificate: false, pending_update_count: 0 };
    if (method.startsWith('send') || method === 'copyMessage' || method.startsWith('edit')) {
      return {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(params.chat_id), type: 'private' },
        ...(params.text !== undefined ? { text: params.text } : {}),
      };
    }
    return true;
  }

  private async longPoll(params: Record<string, any>): Promise<unknown[]> {
    const offset = Number(params.offset ?? 0);
    const ready = () => this.queuedUpdates.filter((u) => (u as { update_id: number }).update_id >= offset);
    // Confirmed updates (below offset) are forgotten, as Telegram does.
    for (let i = this.queuedUpdates.length - 1; i >= 0; i--) {
      if ((this.queuedUpdates[i] as { update_id: number }).update_id < offset)
        this.queuedUpdates.splice(i, 1);
    }
    if (ready().length === 0) {
      const timeoutMs = Math.min(Number(params.timeout ?? 0), 2) * 1000;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.pollers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return ready().slice(0, Number(params.limit ?? 100));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
