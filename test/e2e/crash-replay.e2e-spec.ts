import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { AppProcess, freePort } from '../support/app-process';
import { seedSalon } from '../support/booking-fixtures';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';
import { queryDatabase } from '../support/test-database';
import { journalLength } from '../../src/gateway/webhook/update-journal';

const SECRET = 'crash-secret';
/** Each start compiles the app on the fly: on a loaded 2-core machine that took over 30 s. */
const START_MS = 90_000;

/** A private SQLite file and Redis prefix that two processes in a row share. */
async function sharedStore(): Promise<{
  env: { SQLITE_PATH: string; REDIS_URL: string; REDIS_PREFIX: string };
  cleanup: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'salon-crash-'));
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  return {
    env: { SQLITE_PATH: join(dir, 'booking.db'), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix },
    cleanup: async () => {
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('a crash (SIGKILL) in the middle of a burst', () => {
  it('bookings retried with their Idempotency-Key after the restart are each created once', async () => {
    const store = await sharedStore();
    let app: AppProcess | undefined;
    try {
      // The catalog and 40 clients with tokens, written by an app in this process, then handed over.
      const seeder = await TestApp.start(store.env);
      const salon = await seedSalon(seeder, { specialists: 4, timeZone: 'Africa/Abidjan' });
      const clients = await Promise.all(Array.from({ length: 40 }, () => seeder.userWithToken('client')));
      await seeder.app.close();

      const day = new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 10);
      const requests = clients.map((client, i) => ({
        token: client.token,
        key: `booking-${i}`,
        body: {
          locationId: salon.locationId,
          serviceId: salon.serviceId,
          specialistId: salon.specialists[i % 4].id,
          startAt: `${day}T${String(8 + Math.floor(i / 4)).padStart(2, '0')}:00:00.000Z`,
        },
      }));
      const port = await freePort();
      const send = (r: (typeof requests)[number]) =>
        fetch(`${app!.baseUrl}/api/v1/bookings`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${r.token}`,
            'content-type': 'application/json',
            'idempotency-key': r.key,
          },
          body: JSON.stringify(r.body),
        });

      app = await AppProcess.start({ ...store.env, LOG_LEVEL: 'warn' }, port, START_MS);
      let answered = 0;
      const burst = requests.map((r) =>
        send(r).then(
          (res) => (answered += res.status === 201 ? 1 : 0),
          () => undefined,
        ),
      );
      await until(() => answered >= 8, 20_000, 'the first bookings answered');
      await app.kill('SIGKILL');
      await Promise.all(burst);
      expect(answered).toBeLessThan(requests.length);

      // The clients did not all hear back: each sends its request again, with the same key, and once
      // more after a 503 (the machine is loaded and the killed process's locks wait out their TTL).
      app = await AppProcess.start({ ...store.env, LOG_LEVEL: 'warn' }, port, START_MS);
      const retried = await Promise.all(
        requests.map(async (r) => {
          let res = await send(r);
          for (let attempt = 1; res.status === 503 && attempt < 5; attempt++) res = await send(r);
          return { status: res.status, body: (await res.json()) as { clientId: number; startAt: string } };
        }),
      );
      expect(retried.map((r) => r.status)).toEqual(requests.map(() => 201));
      retried.forEach((r, i) =>
        expect([r.body.clientId, r.body.startAt]).toEqual([clients[i].id, requests[i].body.startAt]),
      );
      await app.kill('SIGTERM');

      const count = async (sql: string) =>
        (await queryDatabase<{ n: number }>(store.env.SQLITE_PATH, sql))[0].n;
      expect(await count('SELECT COUNT(*) AS n FROM bookings')).toBe(requests.length);
      expect(await count(`SELECT COUNT(*) AS n FROM outbox_events WHERE type = 'booking_created'`)).toBe(
        requests.length,
      );
      expect(await count('SELECT COUNT(*) AS n FROM idempotency_keys')).toBe(requests.length);
    } catch (err) {
      if (app) console.error(app.output.slice(-4000));
      throw err;
    } finally {
      await app?.kill('SIGKILL');
      await store.cleanup();
    }
  }, 300_000);

  it('Telegram updates: every one is answered after the restart; only those in flight at the kill twice', async () => {
    const CONCURRENCY = 4;
    const store = await sharedStore();
    const fake = await FakeTelegramApi.start();
    const env = {
      ...store.env,
      BOT_TOKEN: '123456:CRASH-test_ABCDEFGHIJKLMNOP',
      PUBLIC_URL: 'https://salon.example.com',
      TG_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TG_CONCURRENCY: String(CONCURRENCY),
      TG_RATE_LIMIT: '1000',
      LOG_LEVEL: 'warn',
    };
    let app: AppProcess | undefined;
    try {
      const port = await freePort();
      app = await AppProcess.start(env, port, START_MS);
      // One update per chat, so a chat's replies count how often its update was handled.
      const chats = Array.from({ length: 60 }, () => newTgUserId());
      const replies = (chat: number) =>
        fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chat).length;
      // Each reply takes a while, so the kill finds some updates in flight.
      fake.fail('sendMessage', { kind: 'slow', delayMs: 20 });
      const acks = await Promise.all(
        chats.map((userId) =>
          fetch(`${app!.baseUrl}/tg/webhook`, {
            method: 'POST',
            headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
            body: JSON.stringify(messageUpdate({ userId, text: '/start', languageCode: 'en' })),
          }).then((res) => res.status),
        ),
      );
      expect(acks).toEqual(chats.map(() => 200));
      await until(() => chats.filter((c) => replies(c) > 0).length >= 15, 20_000, '15 chats answered');
      await app.kill('SIGKILL');
      const beforeKill = chats.map(replies);
      expect(beforeKill.filter((n) => n === 0).length).toBeGreaterThan(0);

      app = await AppProcess.start(env, port, START_MS);
      await until(() => chats.every((c) => replies(c) > 0), 30_000, 'every chat answered');
      const redis = new Redis(TEST_REDIS_URL, { keyPrefix: env.REDIS_PREFIX });
      try {
        await until(async () => (await journalLength(redis)) === 0, 10_000, 'journal drained');
      } finally {
        redis.disconnect();
      }
      const counts = chats.map(replies);
      // However many messages one answer is, a chat answered twice got more than the fewest.
      const once = Math.min(...counts);
      const twice = counts.filter((n) => n > once).length;
      expect(twice).toBeLessThanOrEqual(CONCURRENCY);
    } catch (err) {
      if (app) console.error(app.output.slice(-4000));
      throw err;
    } finally {
      await app?.kill('SIGKILL');
      await fake.stop();
      await store.cleanup();
    }
  }, 300_000);
});
