import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Update } from 'telegraf/types';
import { journalLength, leaseOf } from '../../src/gateway/webhook/update-journal';
import { AppProcess, freePort } from '../support/app-process';
import { seedSalon, SalonFixture } from '../support/booking-fixtures';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId } from '../support/telegram-updates';
import { queryDatabase } from '../support/test-database';
import { until } from '../support/until';

const SECRET = 'multi-secret';
const PARTITIONS = 16;
/** Small, so a takeover after a SIGKILL is quick; the heartbeat renews it five times per lease. */
const LEASE_MS = 1500;
/** Each start compiles the app on the fly: on a loaded 2-core machine that took over 30 s. */
const START_MS = 90_000;
const CLIENTS = 200;

/** The greeting /start gets while the language is not chosen: it names the sender's first name. */
const HELLO = /^Hello, (m\d+)! Please choose your language:$/;

describe('two instances behind one Redis and one database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'salon-multi-'));
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const store = { SQLITE_PATH: join(dir, 'booking.db'), REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
  let fake: FakeTelegramApi;
  let redis: Redis;
  let apps: AppProcess[] = [];
  let salon: SalonFixture;
  let admin: { id: number; token: string };
  let clients: { id: number; token: string }[];
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix });
    // The catalog, an admin and the clients, written by an app in this process, then handed over.
    const seeder = await TestApp.start(store);
    salon = await seedSalon(seeder, { specialists: 4, timeZone: 'Africa/Abidjan' });
    admin = await seeder.userWithToken('admin');
    clients = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await seeder.userWithToken('client'));
    await seeder.app.close();

    env = {
      ...store,
      BOT_TOKEN: '123456:MULTI-test_ABCDEFGHIJKLMNOP',
      PUBLIC_URL: 'https://salon.example.com',
      TG_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TG_RATE_LIMIT: '1000',
      TG_JOURNAL_PARTITIONS: String(PARTITIONS),
      TG_LEASE_MS: String(LEASE_MS),
      TG_HEARTBEAT_MS: '300',
      LOG_LEVEL: 'warn',
    };
    const ports = [await freePort(), await freePort()];
    apps = await Promise.all(ports.map((port) => AppProcess.start(env, port, START_MS)));
    // Both run: each holds its fair share, half of the partitions.
    await until(
      async () => {
        const owners = await leaseOwners();
        return apps.every((app) => owners.filter((pid) => pid === app.child.pid).length === PARTITIONS / 2);
      },
      10_000,
      'the partitions shared',
    );
  }, 4 * START_MS);

  afterAll(async () => {
    for (const app of apps) await app.kill('SIGKILL');
    await fake.stop();
    redis.disconnect();
    const plain = new Redis(TEST_REDIS_URL);
    const keys = await plain.keys(`${prefix}*`);
    if (keys.length) await plain.del(...keys);
    plain.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A failing test shows what the apps logged (warnings and errors). */
  const showingLogs = (test: () => Promise<void>) => async () => {
    try {
      await test();
    } catch (err) {
      apps.forEach((app, i) => console.error(`instance ${i}:\n${app.output.slice(-3000)}`));
      throw err;
    }
  };

  /** The pid of each partition's owner (undefined: none). */
  async function leaseOwners(): Promise<(number | undefined)[]> {
    const values = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => redis.get(leaseOf(p))));
    return values.map((v) => (v ? Number(v.split(':')[1]) : undefined));
  }

  const partitionOf = (chatId: number) => chatId % PARTITIONS;

  const post = (app: AppProcess, update: Update) =>
    fetch(`${app.baseUrl}/tg/webhook`, {
      method: 'POST',
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      body: JSON.stringify(update),
    }).then(
      (res) => res.status,
      () => 0,
    );

  /** Telegram's side: to the chosen instance, and on to the other one while it is not answered 200. */
  async function deliver(update: Update, first: number): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt++) {
      if ((await post(apps[(first + attempt) % 2], update)) === 200) return;
    }
    throw new Error(`update ${update.update_id} never accepted`);
  }

  /** The greetings a chat got, as the first names they named, in the order they reached the Bot API. */
  const greetings = (chatId: number) =>
    fake.textsTo(chatId).map((text) => HELLO.exec(text)?.[1] ?? `other: ${text}`);

  /** `perChat` updates for each chat, each chat's sent one after another, to the instances in turn. */
  function burst(chats: number[], perChat: number, onSent: () => void = () => undefined): Promise<void>[] {
    return chats.map(async (userId, c) => {
      for (let m = 0; m < perChat; m++) {
        const update = messageUpdate({ userId, text: '/start', languageCode: 'en', firstName: `m${m}` });
        await deliver(update, (c + m) % 2);
        onSent();
      }
    });
  }

  it(
    'an instance set up for another number of partitions refuses to start, saying why',
    showingLogs(async () => {
      await expect(
        AppProcess.start({ ...env, TG_JOURNAL_PARTITIONS: '8' }, await freePort(), START_MS),
      ).rejects.toThrow(/TG_JOURNAL_PARTITIONS is 8 but the instances on this Redis use 16/);
    }),
    START_MS,
  );

  it(
    'updates for 50 chats sent alternately to both arrive in order per chat, each processed once',
    showingLogs(async () => {
      const chats = Array.from({ length: 50 }, () => newTgUserId());
      const PER_CHAT = 6;
      // Both instances own chats of this burst, and both receive updates of chats the other owns.
      const owners = await leaseOwners();
      expect(new Set(chats.map((chat) => owners[partitionOf(chat)])).size).toBe(2);

      await Promise.all(burst(chats, PER_CHAT));
      const expected = Array.from({ length: PER_CHAT }, (_, m) => `m${m}`);
      await until(() => chats.every((chat) => greetings(chat).length >= PER_CHAT), 30_000, 'every greeting');
      await until(async () => (await journalLength(redis)) === 0, 5000, 'journal drained');
      for (const chat of chats) expect(greetings(chat)).toEqual(expected);
    }),
    120_000,
  );

  it(
    `${CLIENTS} concurrent bookings split across both instances: no slot is booked twice`,
    showingLogs(async () => {
      const day = new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 10);
      // 20 slots (4 specialists x 5 hours), each wanted by 10 clients, half of them through each instance.
      const through = (i: number) => Math.floor(i / 4) % 2;
      const wanted = clients.map((client, i) => ({
        client,
        specialistId: salon.specialists[i % 4].id,
        startAt: `${day}T${String(9 + (Math.floor(i / 4) % 5)).padStart(2, '0')}:00:00.000Z`,
      }));
      const answers = await Promise.all(
        wanted.map(async (w, i) => {
          const res = await fetch(`${apps[through(i)].baseUrl}/api/v1/bookings`, {
            method: 'POST',
            headers: { authorization: `Bearer ${w.client.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              locationId: salon.locationId,
              serviceId: salon.serviceId,
              specialistId: w.specialistId,
              startAt: w.startAt,
            }),
          });
          const body = (await res.json()) as { code?: string };
          return res.status === 201 ? '201' : `${res.status} ${body.code}`;
        }),
      );
      const slots = new Set(wanted.map((w) => `${w.specialistId} ${w.startAt}`));
      const racers = (slot: string) =>
        new Set(wanted.flatMap((w, i) => (`${w.specialistId} ${w.startAt}` === slot ? [through(i)] : [])));
      expect([...slots].every((slot) => racers(slot).size === 2)).toBe(true);
      expect(answers.filter((a) => a === '201')).toHaveLength(slots.size);
      expect(answers.filter((a) => a !== '201')).toEqual(
        Array.from({ length: CLIENTS - slots.size }, () => '409 slot_taken'),
      );
      // Both instances booked some.
      expect(new Set(answers.map((a, i) => (a === '201' ? through(i) : -1)).filter((i) => i >= 0)).size).toBe(
        2,
      );
      const rows = await queryDatabase<{ specialist_id: number; start_at: string }>(
        store.SQLITE_PATH,
        `SELECT specialist_id, start_at FROM bookings WHERE status IN ('pending', 'confirmed')`,
      );
      expect(rows).toHaveLength(slots.size);
      expect(new Set(rows.map((r) => `${r.specialist_id} ${String(r.start_at)}`)).size).toBe(slots.size);
    }),
    120_000,
  );

  it(
    "a user's language changed through one instance is used at once by the other, which holds the user",
    showingLogs(async () => {
      const owners = await leaseOwners();
      let userId = newTgUserId();
      while (owners[partitionOf(userId)] === undefined) userId = newTgUserId();
      const owner = apps.findIndex((app) => app.child.pid === owners[partitionOf(userId)]);
      const other = 1 - owner;
      // The owner processes the user's updates and keeps who they are in memory.
      await deliver(messageUpdate({ userId, text: '/start', languageCode: 'en', firstName: 'Ann' }), other);
      await until(() => fake.textsTo(userId).length === 1, 10_000, 'the first greeting');
      expect(fake.textsTo(userId)).toEqual(['Hello, Ann! Please choose your language:']);

      const [{ id }] = await queryDatabase<{ id: number }>(
        store.SQLITE_PATH,
        'SELECT id FROM users WHERE tg_id = :tg',
        {
          tg: userId,
        },
      );
      const res = await fetch(`${apps[other].baseUrl}/api/v1/users/${id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ language: 'ru' }),
      });
      expect(res.status).toBe(200);
      // At once: the next update, straight after the answer, is processed in the new language. It too
      // goes to the instance that does not hold the chat: the owner hears of it by a nudge, not a sweep.
      const sentAt = Date.now();
      await deliver(messageUpdate({ userId, text: '/start', languageCode: 'en', firstName: 'Ann' }), other);
      await until(() => fake.textsTo(userId).length === 2, 10_000, 'the second greeting');
      const answered = fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === userId)[1];
      console.log(
        `an update sent to the other instance was answered by the owner in ${answered.at - sentAt} ms`,
      );
      expect(answered.at - sentAt).toBeLessThan(1000);
      expect(fake.textsTo(userId)[1]).toBe('Здравствуйте, Ann! Выберите язык:');
    }),
    60_000,
  );

  it(
    'SIGKILL of one instance mid-burst: the other takes its partitions over within the lease, nothing lost',
    showingLogs(async () => {
      const chats = Array.from({ length: 50 }, () => newTgUserId());
      const PER_CHAT = 6;
      const owners = await leaseOwners();
      const victim = 1;
      const victimPid = apps[victim].child.pid;
      const victimsChats = chats.filter((chat) => owners[partitionOf(chat)] === victimPid);
      expect(victimsChats.length).toBeGreaterThan(0);
      // Every reply takes a while, so the kill finds updates in flight and waiting.
      fake.fail('sendMessage', { kind: 'slow', delayMs: 30 });
      let sent = 0;
      const sending = burst(chats, PER_CHAT, () => sent++);
      await until(() => sent >= (chats.length * PER_CHAT) / 3, 30_000, 'a third of the burst sent');
      await apps[victim].kill('SIGKILL');
      const killedAt = performance.now();
      await Promise.all(sending);
      await until(
        () => chats.every((chat) => new Set(greetings(chat)).size === PER_CHAT),
        LEASE_MS + 10_000,
        'every update answered',
      );
      const tookMs = performance.now() - killedAt;
      fake.clearFailures();
      console.log(`all chats done ${Math.round(tookMs)} ms after the SIGKILL (lease ${LEASE_MS} ms)`);
      expect(tookMs).toBeLessThan(LEASE_MS + 3000);
      // The survivor holds every partition now.
      const after = await leaseOwners();
      expect(after.every((pid) => pid === apps[1 - victim].child.pid)).toBe(true);
      await until(async () => (await journalLength(redis)) === 0, 5000, 'journal drained');

      // In order per chat; only an update in flight at the kill is answered twice, one after the other.
      let twice = 0;
      for (const chat of chats) {
        const names = greetings(chat);
        const indices = names.map((name) => Number(name.slice(1)));
        expect(indices.every((n, i) => i === 0 || n === indices[i - 1] || n === indices[i - 1] + 1)).toBe(
          true,
        );
        expect(new Set(names).size).toBe(PER_CHAT);
        twice += names.length - PER_CHAT;
      }
      expect(twice).toBeLessThanOrEqual(victimsChats.length);
    }),
    120_000,
  );
});
