/**
 * Bookings per second on SQLite through the whole REST pipeline (Fastify inject: routing, auth
 * guard, validation, slots check, lock, transaction with claims/history/outbox/audit, cache bump).
 * Run: npx nest build && node dist/bench/bookings.bench.js   (needs Redis; REDIS_URL or 127.0.0.1:6379)
 *
 * The measured phases follow a warm-up of WARM_UP sequential bookings (BENCH_WARM to change it): the
 * first requests after a start run Nest, TypeORM and Fastify in V8's interpreter and cost about twice
 * what they cost once compiled. A salon's server runs for days, so the figures that count are the warm
 * ones; the warm-up is printed too, as the rate right after a start.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { UsersApi } from '../src/booking/api';
import { createApp } from '../src/bootstrap';
import { SYSTEM_ACTOR } from '../src/common/actor';
import { loadConfig } from '../src/config/app-config';
import { SessionsApi } from '../src/gateway/api';
import { forgetPrefix } from '../test/support/redis-prefix';
import { seedBenchSalon } from './bench-salon';

const TARGET_PER_SECOND = 300;
const SPECIALISTS = 20;
const CLIENTS = 60;
const DAYS = 28;
const SEQUENTIAL = 600;
const WARM_UP = Number(process.env.BENCH_WARM ?? 1500);
const CONCURRENT = 2000;
const CONCURRENCY = 50;
const SERVICE_MIN = 30;
/** The first of next month: ahead of the real clock, inside the 400-day horizon set below. */
const FIRST_DAY = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1);

type Inject = (opts: {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: object;
}) => Promise<{
  statusCode: number;
  body: string;
}>;

/** CPU time of this process (user + system, all threads: SQLite runs in-process; the Redis server does not). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** BENCH_PROFILE=file.cpuprofile: a V8 CPU profile of the sequential phase only. */
async function startProfile(): Promise<{ stop(): Promise<void> }> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, result) => (err ? reject(err) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  process.env.TZ = 'UTC';
  const dir = mkdtempSync(join(tmpdir(), 'bench-bookings-'));
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `bench:${randomBytes(6).toString('hex')}:`;
  const config = loadConfig({
    NODE_ENV: 'production',
    SQLITE_PATH: join(dir, 'bench.db'),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const ds = app.get(DataSource);
    const users = app.get(UsersApi);
    const sessions = app.get(SessionsApi);
    const { locationId, serviceId, specialistIds } = await seedBenchSalon(app, {
      specialists: SPECIALISTS,
      serviceMin: SERVICE_MIN,
      autoConfirm: true,
    });
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const user = await users.create(SYSTEM_ACTOR, { name: `Client ${i}`, role: 'client' });
      tokens.push((await sessions.issue(user.id, 'api')).token);
    }

    // Booking k: consecutive bookings fall on different days (different lock keys, as real traffic does);
    // within a day and time each specialist gets one, each from a different client.
    const bookingAt = (k: number) => {
      const day = k % DAYS;
      const rest = Math.floor(k / DAYS);
      const specialist = rest % SPECIALISTS;
      const slot = Math.floor(rest / SPECIALISTS);
      const startAt = new Date(FIRST_DAY + day * 86_400_000 + 6 * 3_600_000 + slot * SERVICE_MIN * 60_000);
      return {
        token: tokens[rest % CLIENTS],
        body: {
          locationId,
          serviceId,
          specialistId: specialistIds[specialist],
          startAt: startAt.toISOString(),
        },
      };
    };
    const inject = app.inject.bind(app) as unknown as Inject;
    const failures = new Map<string, number>();
    const book = async (k: number): Promise<number> => {
      const { token, body } = bookingAt(k);
      const started = performance.now();
      const res = await inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { authorization: `Bearer ${token}` },
        payload: body,
      });
      if (res.statusCode !== 201) {
        const key = `${res.statusCode} ${(JSON.parse(res.body) as { code?: string }).code}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
      return performance.now() - started;
    };

    const warmLatencies: number[] = [];
    const warmCpu = cpuMs();
    const warmStart = performance.now();
    for (let k = 0; k < WARM_UP; k++) warmLatencies.push(await book(k));
    const warmSeconds = (performance.now() - warmStart) / 1000;
    const warmCpuMs = (cpuMs() - warmCpu) / Math.max(1, WARM_UP);
    let next = WARM_UP;

    // What one authenticated read costs on this machine: the floor under any write.
    const readCpu = cpuMs();
    const readStart = performance.now();
    for (let i = 0; i < 300; i++) {
      await inject({
        method: 'GET',
        url: '/api/v1/bookings/1',
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
    }
    const readsPerSecond = 300 / ((performance.now() - readStart) / 1000);
    const readCpuMs = (cpuMs() - readCpu) / 300;

    const profiler = await startProfile();
    const seqLatencies: number[] = [];
    const seqCpu = cpuMs();
    const seqStart = performance.now();
    for (let i = 0; i < SEQUENTIAL; i++) seqLatencies.push(await book(next++));
    const seqSeconds = (performance.now() - seqStart) / 1000;
    const seqCpuMs = (cpuMs() - seqCpu) / SEQUENTIAL;
    await profiler.stop();

    const concLatencies: number[] = [];
    const concCpu = cpuMs();
    const concStart = performance.now();
    const end = next + CONCURRENT;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < end) concLatencies.push(await book(next++));
      }),
    );
    const concSeconds = (performance.now() - concStart) / 1000;
    const concCpuMs = (cpuMs() - concCpu) / CONCURRENT;

    const [{ n: stored }] = await ds.query(`SELECT COUNT(*) AS n FROM bookings`);
    const report = (
      name: string,
      count: number,
      seconds: number,
      latencies: number[],
      cpuPerBooking: number,
    ) => {
      const sorted = [...latencies].sort((a, b) => a - b);
      const rate = count / seconds;
      console.log(
        `${name.padEnd(16)} ${count} bookings in ${seconds.toFixed(2)} s = ${rate.toFixed(0)}/s` +
          `  (p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms)` +
          `  ratio to target ${TARGET_PER_SECOND}/s: ${(rate / TARGET_PER_SECOND).toFixed(2)}x;  ${cpuPerBooking.toFixed(2)} ms CPU each`,
      );
      return rate;
    };
    console.log(
      `bookings.bench: SQLite (WAL) + Redis, ${SPECIALISTS} specialists, ${DAYS} days, ${SERVICE_MIN}-min service, REST via Fastify inject`,
    );
    if (WARM_UP > 0) report('warm-up (cold)', WARM_UP, warmSeconds, warmLatencies, warmCpuMs);
    const sequential = report('sequential', SEQUENTIAL, seqSeconds, seqLatencies, seqCpuMs);
    const concurrent = report(
      `concurrency ${CONCURRENCY}`,
      CONCURRENT,
      concSeconds,
      concLatencies,
      concCpuMs,
    );
    console.log(
      `baseline         GET /api/v1/bookings/:id sequential ${readsPerSecond.toFixed(0)}/s, ${readCpuMs.toFixed(2)} ms CPU each;` +
        ` a booking costs ${(readsPerSecond / sequential).toFixed(1)}x a read by wall clock, ${(seqCpuMs / readCpuMs).toFixed(1)}x by CPU;` +
        ` concurrency gain ${(concurrent / sequential).toFixed(2)}x`,
    );
    console.log(
      `stored bookings: ${stored} of ${next} attempted; failures: ${failures.size ? JSON.stringify(Object.fromEntries(failures)) : 'none'}`,
    );
  } finally {
    await app.close();
    await forgetPrefix(redisUrl, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
