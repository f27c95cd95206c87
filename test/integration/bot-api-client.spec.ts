import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegram, TelegramError } from 'telegraf';
import { BotApiClient } from '../../src/bot/telegram/bot-api-client';
import { loadConfig } from '../../src/config/app-config';
import { FakeTelegramApi } from '../support/fake-telegram-api';

const TOKEN = '123456:client-test-token';

describe('BotApiClient: the bot Bot API calls over a connection pool', () => {
  let fake: FakeTelegramApi;
  let client: BotApiClient;
  let telegram: Telegram;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
  });

  beforeEach(() => {
    fake.reset();
    client = new BotApiClient(loadConfig({ NODE_ENV: 'test', TG_API_TIMEOUT_SECONDS: '1' }));
    telegram = client.attach(new Telegram(TOKEN, { apiRoot: fake.apiRoot, webhookReply: false }));
  });

  afterEach(() => client.onApplicationShutdown());
  afterAll(() => fake.stop());

  it('sends JSON with the token in the path and returns the result', async () => {
    const sent = await telegram.sendMessage(42, 'Hello', {
      reply_markup: { inline_keyboard: [[{ text: 'Book', callback_data: 'book' }]] },
    });

    expect(sent).toMatchObject({ chat: { id: 42 }, text: 'Hello' });
    const [call] = fake.callsOf('sendMessage');
    expect(call.token).toBe(TOKEN);
    expect(call.contentType).toBe('application/json');
    expect(call.params).toEqual({
      chat_id: 42,
      text: 'Hello',
      reply_markup: { inline_keyboard: [[{ text: 'Book', callback_data: 'book' }]] },
    });
  });

  it('leaves out null and undefined fields, as telegraf does', async () => {
    await telegram.callApi('sendMessage', {
      chat_id: 7,
      text: 'x',
      parse_mode: undefined,
      reply_markup: null,
    } as never);

    expect(fake.callsOf('sendMessage')[0].params).toEqual({ chat_id: 7, text: 'x' });
  });

  it('leaves out a null nested in the payload too, and sends one without nulls as it is', async () => {
    await telegram.callApi('sendMessage', {
      chat_id: 7,
      text: 'x',
      reply_markup: { inline_keyboard: [[{ text: 'Book', callback_data: 'book', url: null }]] },
    } as never);
    await telegram.callApi('sendMessage', {
      chat_id: 8,
      text: 'y',
      reply_markup: { inline_keyboard: [[{ text: 'Back', callback_data: 'back' }]] },
    } as never);

    expect(fake.callsOf('sendMessage').map((call) => call.params)).toEqual([
      {
        chat_id: 7,
        text: 'x',
        reply_markup: { inline_keyboard: [[{ text: 'Book', callback_data: 'book' }]] },
      },
      {
        chat_id: 8,
        text: 'y',
        reply_markup: { inline_keyboard: [[{ text: 'Back', callback_data: 'back' }]] },
      },
    ]);
  });

  it('429 is a TelegramError carrying retry_after', async () => {
    fake.fail('sendMessage', { kind: 'too_many_requests', retryAfter: 17 }, 1);

    const err = await telegram.sendMessage(1, 'x').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(TelegramError);
    expect((err as TelegramError).code).toBe(429);
    expect((err as TelegramError).parameters?.retry_after).toBe(17);
    expect((err as TelegramError).on).toMatchObject({ method: 'sendMessage', payload: { chat_id: 1 } });
  });

  it('403 (blocked by the user) is a TelegramError with its description', async () => {
    fake.fail('sendMessage', { kind: 'blocked' }, 1);

    const err = (await telegram.sendMessage(1, 'x').catch((e: unknown) => e)) as TelegramError;

    expect(err).toBeInstanceOf(TelegramError);
    expect(err.code).toBe(403);
    expect(err.description).toContain('blocked');
  });

  it('a 5xx is a TelegramError with the HTTP status, and the pool keeps working after it', async () => {
    fake.fail('sendMessage', { kind: 'server_error', status: 503 }, 1);

    const err = (await telegram.sendMessage(1, 'x').catch((e: unknown) => e)) as TelegramError;

    expect(err).toBeInstanceOf(TelegramError);
    expect(err.code).toBe(503);
    expect(err.description).toBe('Service Unavailable');
    await expect(telegram.sendMessage(1, 'again')).resolves.toMatchObject({ text: 'again' });
  });

  it('an answer that is not the Bot API (an HTML error page of a proxy) is a TelegramError, not a crash', async () => {
    const proxy = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>404 Not Found</body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const behindProxy = client.attach(
      new Telegram(TOKEN, { apiRoot: `http://127.0.0.1:${port}`, webhookReply: false }),
    );

    const err = (await behindProxy.sendMessage(1, 'x').catch((e: unknown) => e)) as TelegramError;
    await client.onApplicationShutdown();
    await new Promise((resolve) => proxy.close(resolve));

    expect(err).toBeInstanceOf(TelegramError);
    expect(err.code).toBe(404);
    expect(err.description).toBe('The answer is not a Bot API response');
  });

  it("a file upload keeps telegraf's own multipart client", async () => {
    await telegram
      .sendDocument(5, { source: Buffer.from('receipt'), filename: 'receipt.txt' })
      .catch(() => undefined);

    const [call] = fake.callsOf('sendDocument');
    expect(call.contentType).toMatch(/^multipart\/form-data/);
  });

  it('an aborted call rejects and leaves the pool usable', async () => {
    fake.fail('getUpdates', { kind: 'slow', delayMs: 5000 }, 1);
    const abort = new AbortController();

    const polling = telegram.callApi('getUpdates', { timeout: 0 }, { signal: abort.signal as never });
    await fake.waitFor((call) => call.method === 'getUpdates');
    abort.abort();

    await expect(polling).rejects.toThrow();
    await expect(telegram.getMe()).resolves.toMatchObject({ is_bot: true });
  });

  it('a call without an answer fails after TG_API_TIMEOUT_SECONDS, and the next one works', async () => {
    fake.fail('sendMessage', { kind: 'slow', delayMs: 30_000 }, 1);
    const started = performance.now();

    const err = (await telegram.sendMessage(1, 'x').catch((e: unknown) => e)) as Error & { code?: string };

    const elapsed = performance.now() - started;
    expect(err).not.toBeInstanceOf(TelegramError);
    expect(err.code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(elapsed).toBeGreaterThan(900);
    expect(elapsed).toBeLessThan(3000);
    await expect(telegram.sendMessage(1, 'again')).resolves.toMatchObject({ text: 'again' });
  });

  it('long polling may wait its own timeout on top of the deadline', async () => {
    // The fake holds a poll without updates for its whole timeout (2 s), past the 1 s deadline.
    await expect(telegram.callApi('getUpdates', { timeout: 2 })).resolves.toEqual([]);
  });
});
