import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { AppProcess, freePort } from '../support/app-process';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId, RecordingBot } from '../support/telegram-updates';
import { until } from '../support/until';
import { journalLength } from '../../src/gateway/webhook/update-journal';

const SECRET = 'durability-secret';
const headers = { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' };

describe('durability: a killed process and an unreachable Redis', () => {
  it('replays an update acknowledged just before SIGKILL after the restart', async () => {
    const fake = await FakeTelegramApi.start();
    const dir = mkdtempSync(join(tmpdir(), 'salon-kill-'));
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const port = await freePort();
    const env = {
      SQLITE_PATH: join(dir, 'booking.db'),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      BOT_TOKEN: '123456:KILL-test_ABCDEFGHIJKLMNOP',
      PUBLIC_URL: 'https://salon.example.com',
      TG_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
    };
    let app: AppProcess | undefined;
    try {
      // The first process gets stuck inside the bot (telegraf's lazy getMe), after the 200.
      fake.fail('getMe', { kind: 'slow', delayMs: 60_000 });
      app = await AppProcess.start(env, port);
      const userId = newTgUserId();
      const update = messageUpdate({ userId, text: '/start', languageCode: 'en', firstName: 'Kim' });
      const res = await fetch(`${app.baseUrl}/tg/webhook`, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
      await fake.waitFor((c) => c.method === 'getMe');
      await app.kill('SIGKILL');
      expect(fake.textsTo(userId)).toEqual([]);

      fake.clearFailures();
      app = await AppProcess.start(env, port);
      const sent = await fake.waitFor(
        (c) => c.method === 'sendMessage' && Number(c.params.chat_id) === userId,
        15000,
      );
      expect(sent.params.text).toBe('Hello, Kim! Please choose your language:');
      const redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix });
      try {
        await until(async () => (await journalLength(redis)) === 0, 3000, 'journal drained');
      } finally {
        redis.disconnect();
      }
      // Telegram's retry of the same update after the restart is a duplicate.
      const retry = await fetch(`${app.baseUrl}/tg/webhook`, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
      });
      expect(retry.status).toBe(200);
      // The chat's next /start is answered after anything journaled before it: the retry was not.
      const sentinel = messageUpdate({ userId, text: '/start', languageCode: 'en', firstName: 'Kim' });
      expect(
        (
          await fetch(`${app.baseUrl}/tg/webhook`, {
            method: 'POST',
            headers,
            body: JSON.stringify(sentinel),
          })
        ).status,
      ).toBe(200);
      await until(() => fake.textsTo(userId).length >= 2, 10_000, 'the sentinel answered');
      expect(fake.textsTo(userId)).toHaveLength(2);
      // A clean shutdown: Nest re-raises SIGTERM after its hooks; telegraf's "Bot is not running!" would make it exit 1.
      await app.kill('SIGTERM');
      expect(app.child.signalCode).toBe('SIGTERM');
      expect(app.output).not.toContain('Bot is not running');
    } catch (err) {
      if (app) console.error(app.output.slice(-4000));
      throw err;
    } finally {
      await app?.kill('SIGKILL');
      await fake.stop();
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  describe('Redis behind a proxy', () => {
    let proxy: TcpProxy;
    let t: TestApp;
    let bot: RecordingBot;

    beforeAll(async () => {
      const target = new URL(TEST_REDIS_URL);
      proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
      t = await TestApp.start({ REDIS_URL: proxy.url, TG_WEBHOOK_SECRET: SECRET });
      bot = new RecordingBot(t);
    });
    afterAll(async () => {
      proxy.thaw();
      await proxy.restore();
      await t.stop();
      await proxy.stop();
    });

    const post = (update: unknown) =>
      t.request('POST', '/tg/webhook', { headers, payload: JSON.stringify(update) });

    it('answers a fast 503 (never 200) while Redis refuses connections, and 200 again once it is back', async () => {
      await proxy.cut();
      const update = messageUpdate({ userId: newTgUserId() });
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const res = await post(update);
        // The first one may wait for ioredis to notice the closed socket; none waits for a timeout.
        expect(performance.now() - started).toBeLessThan(i === 0 ? 1000 : 300);
        expect(res.status).toBe(503);
        expect(res.body.code).toBe('service_unavailable');
      }

      await proxy.restore();
      await until(async () => (await post(update)).status === 200, 10000, 'accepted after Redis is back');
      await until(() => !!bot.of(update.update_id), 3000, 'processed');
    });

    it('answers 503 within about a second while Redis hangs, and still processes an update Redis journaled late', async () => {
      const userId = newTgUserId();
      const update = messageUpdate({ userId });
      proxy.freeze();
      const started = performance.now();
      const res = await post(update);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(503);
      expect(elapsed).toBeLessThan(2000);
      proxy.thaw();
      // The journal write landed after the answer: it is processed, and Telegram's retry is a duplicate.
      await until(() => !!bot.of(update.update_id), 5000, 'late admission processed');
      expect((await post(update)).status).toBe(200);
      const sentinel = messageUpdate({ userId: userId });
      expect((await post(sentinel)).status).toBe(200);
      await until(() => !!bot.of(sentinel.update_id), 5000, 'the sentinel handled');
      expect(bot.ids().filter((id) => id === update.update_id)).toHaveLength(1);
    });
  });
});
