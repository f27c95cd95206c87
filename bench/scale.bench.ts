/**
 * One instance against two (issue 18, item 4), on PostgreSQL. Build and run:
 *   npx nest build && node dist/bench/scale.bench.js
 *
 * For 1 and then 2 app processes (dist/src/main.js in webhook mode) on one Redis prefix and one throwaway
 * PostgreSQL database (made on BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432, dropped after),
 * answering through a fake Bot API in this process; requests go to the instances in turn, as a load
 * balancer would send them:
 *   (a) bookings: BENCH_BOOKINGS (1,000) REST bookings, each on its own slot, at concurrency 50: per
 *       second, p50/p99; then BENCH_RACES (200) slots each booked twice at once, once on each instance
 *       (on one instance: twice there): exactly one of each pair may win.
 *   (b) webhook: `/start` from distinct chats, open loop at BENCH_RATE (500) updates/s for BENCH_SECONDS
 *       (5) over at most 40 connections: ack p99, first-reply p99, replies, and every chat answered once.
 * Prints both runs and the ratio two/one. On this 2-core machine the generator, the fake Bot API, Redis,
 * PostgreSQL and the instances share the cores: the point is that nothing breaks and the overhead is
 * small, not a 2x.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { freePort, productionNodeFlags, rest, waitHealthy } from './app-process';
import { loadConfig } from '../src/config/app-config';
import { initAdmin } from '../scripts/init-admin';
import { FakeTelegramApi } from '../test/support/fake-telegram-api';
import { forgetPrefix } from '../test/support/redis-prefix';

const TOKEN = '424242:BENCH-scale_ABCDEFGHIJKLMNOPQRS';
const SECRET = 'bench-scale-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const BOOKINGS = num('BENCH_BOOKINGS', 1000);
const RACES = num('BENCH_RACES', 200);
const RATE = num('BENCH_RATE', 500);
const SECONDS = num('BENCH_SECONDS', 5);
const CONCURRENCY = 50;
const SPECIALISTS = 20;
const CLIENTS = 100;
const DAYS = 28;
const SERVICE_MIN = 30;
const FIRST_DAY = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1);

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const agent = new Agent({ keepAlive: true, maxSockets: 40 });

function post(port: number, path: string, body: unknown, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Figures {
  bookingsPerSecond: number;
  bookingP50: number;
  bookingP99: number;
  bookingErrors: number;
  raceWins: number;
  raceErrors: number;
  ackP99: number;
  replyP99: number;
  replied: number;
  offered: number;
  repeated: number;
}

async function run(instances: number, fake: FakeTelegramApi): Promise<Figures> {
  const database = `salon_bench_${randomBytes(5).toString('hex')}`;
  const pg = await new DataSource({ type: 'postgres', url: `${PG_URL}/postgres` }).initialize();
  await pg.query(`CREATE DATABASE ${database}`);
  const prefix = `bench:${randomBytes(5).toString('hex')}:`;
  const env = {
    DATABASE_URL: `${PG_URL}/${database}`,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    BOT_TOKEN: TOKEN,
    PUBLIC_URL: 'https://bench.invalid',
    TG_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const apps: { port: number; child: ChildProcess }[] = [];
  try {
    // One after the other: the first applies the migrations.
    for (let i = 0; i < instances; i++) {
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [...productionNodeFlags(), join(__dirname, '..', 'src', 'main.js')],
        {
          env: {
            PATH: process.env.PATH ?? '',
            NODE_ENV: 'production',
            HOST: '127.0.0.1',
            PORT: String(port),
            ...env,
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      apps.push({ port, child });
      await waitHealthy(port, child);
    }
    const ports = apps.map((a) => a.port);
    const { token } = await initAdmin(
      loadConfig({ ...env, NODE_ENV: 'production' }),
      4_000_000_001,
      'Bench admin',
    );
    const admin = (path: string, body?: unknown, method = 'POST') =>
      rest(ports[0], token, method, path, body);
    await admin('/settings', { minNoticeMin: 0, horizonDays: 365, autoConfirm: true }, 'PATCH');
    const location = await admin('/locations', { name: 'Bench', timeZone: 'Europe/Berlin' });
    const service = await admin('/services', { name: 'Cut', durationMin: SERVICE_MIN, price: 2500 });
    const specialists: number[] = [];
    for (let i = 0; i < SPECIALISTS; i++) {
      const specialist = await admin('/specialists', {
        user: { name: `Specialist ${i}` },
        locationIds: [location.id],
        services: [{ serviceId: service.id }],
      });
      const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 0, endMin: 1440 }));
      await admin(`/specialists/${specialist.id}/schedule?locationId=${location.id}`, week, 'PUT');
      specialists.push(specialist.id);
    }
    const clients: number[] = [];
    for (let i = 0; i < CLIENTS; i++)
      clients.push((await admin('/users', { name: `Client ${i}`, role: 'client' })).id);

    // Booking k: consecutive bookings on different days, each specialist's slots in turn.
    const slotOf = (k: number) => {
      const rest = Math.floor(k / DAYS);
      const slot = Math.floor(rest / SPECIALISTS);
      return {
        locationId: location.id,
        serviceId: service.id,
        specialistId: specialists[rest % SPECIALISTS],
        startAt: new Date(FIRST_DAY + (k % DAYS) * 86_400_000 + slot * SERVICE_MIN * 60_000).toISOString(),
        clientId: clients[k % CLIENTS],
      };
    };
    const auth = { authorization: `Bearer ${token}` };
    const book = (k: number, port: number) => post(port, '/api/v1/bookings', slotOf(k), auth);

    let next = 0;
    let errors = 0;
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BOOKINGS) {
          const k = next++;
          const t0 = performance.now();
          if ((await book(k, ports[k % ports.length])) !== 201) errors++;
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);

    // Races: slot k booked on instance 0 and on the last instance at the same moment.
    let wins = 0;
    let raceErrors = 0;
    for (let r = 0; r < RACES; r += CONCURRENCY) {
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, RACES - r) }, async (_, i) => {
          const k = BOOKINGS + r + i;
          const answers = await Promise.all([book(k, ports[0]), book(k, ports[ports.length - 1])]);
          wins += answers.filter((s) => s === 201).length;
          raceErrors += answers.filter((s) => s !== 201 && s !== 409).length;
        }),
      );
    }

    // Webhook: open loop over distinct chats, instances in turn.
    const firstChat = 6_000_000_000 + Math.floor(Math.random() * 1e6) * 1000;
    const offered = RATE * SECONDS;
    const due = new Map<number, number>();
    const replyLatency: number[] = [];
    const replies = new Map<number, number>();
    fake.onAnswered = (call) => {
      if (call.method !== 'sendMessage') return;
      const chat = Number(call.params.chat_id);
      const at = due.get(chat);
      if (at === undefined) return;
      const n = (replies.get(chat) ?? 0) + 1;
      replies.set(chat, n);
      if (n === 1) replyLatency.push(performance.now() - at);
    };
    const acks: number[] = [];
    let ackErrors = 0;
    const t0 = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < offered; i++) {
      const at = t0 + (i * 1000) / RATE;
      const wait = at - performance.now();
      if (wait > 1) await sleep(wait);
      const chat = firstChat + i;
      due.set(chat, at);
      const update = {
        update_id: i + 1,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chat, type: 'private' },
          from: { id: chat, is_bot: false, first_name: 'Bench', language_code: 'en' },
          text: '/start',
          entities: [{ type: 'bot_command', offset: 0, length: 6 }],
        },
      };
      sends.push(
        post(ports[i % ports.length], '/tg/webhook', update, {
          'x-telegram-bot-api-secret-token': SECRET,
        }).then((status) => {
          if (status !== 200) ackErrors++;
          acks.push(performance.now() - at);
        }),
      );
    }
    await Promise.all(sends);
    const deadline = performance.now() + 60_000;
    while (replies.size < offered - ackErrors && performance.now() < deadline) await sleep(50);
    await sleep(500); // a late second reply to any chat would show as repeated
    fake.onAnswered = undefined;
    acks.sort((a, b) => a - b);
    replyLatency.sort((a, b) => a - b);
    const repeated = [...replies.values()].filter((n) => n > 1).length;
    if (ackErrors) console.log(`  ${ackErrors} webhook requests not answered 200`);
    return {
      bookingsPerSecond: BOOKINGS / seconds,
      bookingP50: pct(latencies, 50),
      bookingP99: pct(latencies, 99),
      bookingErrors: errors,
      raceWins: wins,
      raceErrors,
      ackP99: pct(acks, 99),
      replyP99: pct(replyLatency, 99),
      replied: replies.size,
      offered,
      repeated,
    };
  } finally {
    for (const { child } of apps) {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    }
    await pg.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await pg.destroy();
    await forgetPrefix(REDIS_URL, prefix);
  }
}

function print(instances: number, f: Figures): void {
  console.log(
    `${instances} instance${instances > 1 ? 's' : ' '}  bookings ${f.bookingsPerSecond.toFixed(0)}/s p50 ${f.bookingP50.toFixed(1)} ms p99 ${f.bookingP99.toFixed(1)} ms errors ${f.bookingErrors}; races ${f.raceWins} won of ${RACES} (errors ${f.raceErrors}); webhook ${RATE}/s ack p99 ${f.ackP99.toFixed(1)} ms, first reply p99 ${f.replyP99.toFixed(1)} ms, ${f.replied}/${f.offered} chats answered, ${f.repeated} twice`,
  );
}

async function main(): Promise<void> {
  const fake = await FakeTelegramApi.start();
  fake.recordLimit = 100;
  try {
    const one = await run(1, fake);
    print(1, one);
    const two = await run(2, fake);
    print(2, two);
    console.log(
      `ratio two/one: bookings/s ${(two.bookingsPerSecond / one.bookingsPerSecond).toFixed(2)}, booking p99 ${(two.bookingP99 / one.bookingP99).toFixed(2)}, webhook ack p99 ${(two.ackP99 / one.ackP99).toFixed(2)}, first reply p99 ${(two.replyP99 / one.replyP99).toFixed(2)}`,
    );
    const broken = [one, two].filter(
      (f) =>
        f.bookingErrors > 0 ||
        f.raceWins !== RACES ||
        f.raceErrors > 0 ||
        f.replied !== f.offered ||
        f.repeated > 0,
    );
    console.log(
      broken.length === 0
        ? 'PASS  nothing broke: every booking stored, one winner per raced slot, every chat answered once'
        : 'FAIL  see the figures above',
    );
    process.exitCode = broken.length === 0 ? 0 : 1;
  } finally {
    await fake.stop();
    agent.destroy();
  }
}

void main();
