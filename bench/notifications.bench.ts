/**
 * Notifications under load (issue 17, item 4). Build and run:
 *   npx nest build && node dist/bench/notifications.bench.js
 *
 * The app runs in this process (createApp, temp SQLite, Redis under a throwaway prefix) beside a fake
 * Bot API, so both see one clock.
 *   (a) commit to message: BENCH_BOOKINGS (200) clients each book over REST (POST /api/v1/bookings,
 *       one every 1/BENCH_BOOKING_RATE s, 10/s by default), and an admin confirms each booking at once.
 *       The latency runs from the booking's commit (the moment its 201 came back, a little after the
 *       commit itself) to the client's "received" message at the fake API; p50 and p99, target p99 <
 *       100 ms. Each chat gets "received" then "confirmed": the bench counts the chats that got them
 *       the other way round.
 *   (b) broadcast: an admin messages 1,000 clients (BENCH_RECIPIENTS); the rate at the fake API over
 *       the whole broadcast (target 30/s within 5 %) and the most messages in any one-second window
 *       (sliding; target: never above 30).
 * Options (env): BENCH_BOOKINGS, BENCH_BOOKING_RATE, BENCH_RECIPIENTS, REDIS_URL (redis://127.0.0.1:6379).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsersApi } from '../src/booking/api';
import { createApp } from '../src/bootstrap';
import { SYSTEM_ACTOR } from '../src/common/actor';
import { loadConfig } from '../src/config/app-config';
import { SessionsApi } from '../src/gateway/api';
import { FakeTelegramApi, RecordedCall } from '../test/support/fake-telegram-api';
import { forgetPrefix } from '../test/support/redis-prefix';
import { seedBenchSalon } from './bench-salon';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const BOOKINGS = num('BENCH_BOOKINGS', 200);
const BOOKING_RATE = num('BENCH_BOOKING_RATE', 10);
const RECIPIENTS = num('BENCH_RECIPIENTS', 1000);
const SPECIALISTS = 10;
const SERVICE_MIN = 30;
const LATENCY_TARGET_MS = 100;
const BROADCAST_RATE = 30;
const CLIENT_TG_BASE = 8_000_000_000;
/** The first of next month: ahead of the real clock, inside the 400-day horizon set below. */
const FIRST_DAY = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

type Inject = (opts: {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: object;
}) => Promise<{ statusCode: number; body: string }>;

async function main(): Promise<void> {
  process.env.TZ = 'UTC';
  const dir = mkdtempSync(join(tmpdir(), 'bench-notifications-'));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench:${randomBytes(6).toString('hex')}:`;
  const fake = await FakeTelegramApi.start();
  /** Every message the fake received, by chat, with the time it arrived (ms, performance clock). */
  const byChat = new Map<number, { text: string; at: number }[]>();
  fake.onAnswered = (call: RecordedCall) => {
    if (call.method !== 'sendMessage') return;
    const chat = Number(call.params.chat_id);
    if (!byChat.has(chat)) byChat.set(chat, []);
    byChat.get(chat)!.push({ text: String(call.params.text), at: performance.now() });
  };
  const config = loadConfig({
    NODE_ENV: 'production',
    SQLITE_PATH: join(dir, 'bench.db'),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    BOT_TOKEN: '424242:BENCH-notify_ABCDEFGHIJKLMNOPQ',
    PUBLIC_URL: 'https://bench.invalid',
    TG_WEBHOOK_SECRET: 'bench-notifications',
    TELEGRAM_API_ROOT: fake.apiRoot,
  });
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const verdicts: string[] = [];
  const verdict = (ok: boolean, line: string) => verdicts.push(`${ok ? 'met    ' : 'NOT met'}  ${line}`);
  try {
    console.log(`uptime: ${execFileSync('uptime').toString().trim()}`);
    const users = app.get(UsersApi);
    const sessions = app.get(SessionsApi);
    // Bookings wait for an admin's confirmation: each chat gets "received", then "confirmed".
    const { locationId, serviceId, specialistIds } = await seedBenchSalon(app, {
      specialists: SPECIALISTS,
      serviceMin: SERVICE_MIN,
      autoConfirm: false,
      specialistTgId: (i) => 7_500_000_000 + i,
    });
    const admin = await users.create(SYSTEM_ACTOR, { name: 'Admin', role: 'admin' });
    const adminToken = (await sessions.issue(admin.id, 'api')).token;
    const clientTokens: string[] = [];
    for (let i = 0; i < RECIPIENTS; i++) {
      const user = await users.create(SYSTEM_ACTOR, {
        name: `Client ${i}`,
        role: 'client',
        tgId: CLIENT_TG_BASE + i,
      });
      if (i < BOOKINGS) clientTokens.push((await sessions.issue(user.id, 'api')).token);
    }
    const inject = app.inject.bind(app) as unknown as Inject;

    // (a) commit to message.
    const committedAt = new Map<number, number>();
    const failures = new Map<string, number>();
    const booked: Promise<void>[] = [];
    const started = performance.now();
    for (let k = 0; k < BOOKINGS; k++) {
      const due = started + (k * 1000) / BOOKING_RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const startAt = new Date(
        FIRST_DAY + (k % 28) * 86_400_000 + 8 * 3_600_000 + Math.floor(k / 28) * SERVICE_MIN * 60_000,
      );
      booked.push(
        (async () => {
          const res = await inject({
            method: 'POST',
            url: '/api/v1/bookings',
            headers: { authorization: `Bearer ${clientTokens[k]}` },
            payload: {
              locationId,
              serviceId,
              specialistId: specialistIds[k % SPECIALISTS],
              startAt: startAt.toISOString(),
            },
          });
          if (res.statusCode !== 201) {
            failures.set(`create ${res.statusCode}`, (failures.get(`create ${res.statusCode}`) ?? 0) + 1);
            return;
          }
          committedAt.set(CLIENT_TG_BASE + k, performance.now());
          const { id } = JSON.parse(res.body) as { id: number };
          const confirmed = await inject({
            method: 'POST',
            url: `/api/v1/bookings/${id}/confirm`,
            headers: { authorization: `Bearer ${adminToken}` },
          });
          if (confirmed.statusCode !== 200)
            failures.set(
              `confirm ${confirmed.statusCode}`,
              (failures.get(`confirm ${confirmed.statusCode}`) ?? 0) + 1,
            );
        })(),
      );
    }
    await Promise.all(booked);
    // The clients' language is Russian unless they chose another: both texts are told apart in either.
    const isReceived = (text: string) => /received|принята/.test(text);
    const isConfirmed = (text: string) => /confirmed|подтверждена/.test(text);
    const received = (chat: number) => byChat.get(chat)?.find((m) => isReceived(m.text));
    const confirmed = (chat: number) => byChat.get(chat)?.find((m) => isConfirmed(m.text));
    const chats = [...committedAt.keys()];
    for (let waited = 0; waited < 600; waited++) {
      if (chats.every((chat) => received(chat) && confirmed(chat))) break;
      await sleep(100);
    }
    const latencies = chats
      .map((chat) => (received(chat)?.at ?? Infinity) - committedAt.get(chat)!)
      .sort((a, b) => a - b);
    const missing = latencies.filter((l) => l === Infinity).length;
    const outOfOrder = chats.filter((chat) => {
      const messages = byChat.get(chat) ?? [];
      const r = messages.findIndex((m) => isReceived(m.text));
      const c = messages.findIndex((m) => isConfirmed(m.text));
      return r >= 0 && c >= 0 && c < r;
    });
    const p50 = pct(latencies, 50);
    const p99 = pct(latencies, 99);
    console.log(
      `(a) ${chats.length} bookings at ${BOOKING_RATE}/s, each confirmed at once: commit to "received" at the fake API p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms; never arrived ${missing}; failures ${JSON.stringify(Object.fromEntries(failures))}`,
    );
    console.log(
      `    "confirmed" before "received" in ${outOfOrder.length} of ${chats.length} chats${outOfOrder.length ? ` (e.g. chat ${outOfOrder[0]})` : ''}`,
    );
    verdict(
      p99 < LATENCY_TARGET_MS && missing === 0 && failures.size === 0,
      `commit to message p99 ${p99.toFixed(1)} ms (target < ${LATENCY_TARGET_MS} ms)`,
    );
    verdict(
      outOfOrder.length === 0,
      `one chat's messages in commit order: ${outOfOrder.length} chats out of order`,
    );

    // (b) broadcast to every client.
    const text = `Bench broadcast ${randomBytes(3).toString('hex')}`;
    const sent = () =>
      [...byChat.values()].flatMap((messages) => messages.filter((m) => m.text === text).map((m) => m.at));
    const res = await inject({
      method: 'POST',
      url: '/api/v1/broadcasts',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { text },
    });
    if (res.statusCode !== 202) throw new Error(`broadcast: ${res.statusCode} ${res.body}`);
    const expectedSeconds = RECIPIENTS / BROADCAST_RATE;
    for (let waited = 0; sent().length < RECIPIENTS && waited < (expectedSeconds * 3 + 30) * 10; waited++)
      await sleep(100);
    await sleep(1000);
    const times = sent().sort((a, b) => a - b);
    const span = (times[times.length - 1] - times[0]) / 1000;
    const rate = (times.length - 1) / span;
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j] < times[i] - 1000 + 1e-9) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    const perChat = new Map<number, number>();
    for (const [chat, messages] of byChat)
      if (messages.some((m) => m.text === text))
        perChat.set(chat, messages.filter((m) => m.text === text).length);
    const twice = [...perChat.values()].filter((n) => n > 1).length;
    console.log(
      `(b) broadcast to ${RECIPIENTS} clients: ${times.length} messages in ${span.toFixed(1)} s, ${rate.toFixed(2)}/s; at most ${busiest} in any one-second window; ${twice} chats got it twice`,
    );
    verdict(
      Math.abs(rate - BROADCAST_RATE) <= 0.05 * BROADCAST_RATE && times.length === RECIPIENTS && twice === 0,
      `broadcast rate ${rate.toFixed(2)}/s (target ${BROADCAST_RATE}/s within 5 %), ${times.length}/${RECIPIENTS} delivered once`,
    );
    verdict(
      busiest <= BROADCAST_RATE,
      `most in one second ${busiest} (target never above ${BROADCAST_RATE})`,
    );
    console.log(`\n${verdicts.join('\n')}`);
  } finally {
    await app.close();
    await fake.stop();
    await forgetPrefix(redisUrl, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
