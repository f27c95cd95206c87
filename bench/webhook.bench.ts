/**
 * Webhook pipeline benchmark (issue 4, item 12). Build and run:
 *   npx nest build && node dist/bench/webhook.bench.js
 *
 * Processes, all on 127.0.0.1: this one (the open-loop load generator and the report), a fake Bot API,
 * the app (dist/src/main.js, real Redis under a throwaway prefix, temp SQLite) and a bare telegraf
 * bot (no Redis, no database) as the floor. Load is open-loop at a fixed rate: a request is due at
 * t0 + i/rate and its latency counts from that moment, so a stalled server cannot hide its queue.
 *
 *   (a) ack only: plain messages no handler answers, at 2,000 updates/s; target p99 < 10 ms.
 *   (b) end to end: /start answered through the fake Bot API; capacity (replies/s while saturated)
 *       of ours and of the floor, taking turns for 3 rounds; target: ratio of the medians >= 0.6.
 *       Then ours at twice its capacity: target ack p99 < 50 ms while the journal absorbs the excess
 *       and drains, nothing lost.
 *
 * Options (env): BENCH_RATE_A (2000), BENCH_SECONDS_A (8), BENCH_SATURATE_RATE (6500: both bots must
 * fall behind it), BENCH_SECONDS_B (3), BENCH_ROUNDS_B (3), BENCH_CHATS (2000),
 * REDIS_URL (redis://127.0.0.1:6379), LOG_LEVEL (info),
 * BENCH_APP_NODE_ARGS (e.g. --cpu-prof), BENCH_APP_STDOUT (a file for the app's stdout), BENCH_ONLY_A (stop after (a)).
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort, productionNodeFlags, waitHealthy } from './app-process';
import { Telegraf } from 'telegraf';
import { JOURNAL_KEY } from '../src/gateway/webhook/update-journal';
import { FakeTelegramApi } from '../test/support/fake-telegram-api';

const TOKEN = '424242:BENCH-token_ABCDEFGHIJKLMNOPQRS';
const SECRET = 'bench-webhook-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RATE_A = num('BENCH_RATE_A', 2000);
const SECONDS_A = num('BENCH_SECONDS_A', 8);
const SATURATE_RATE = num('BENCH_SATURATE_RATE', 6500);
const SECONDS_B = num('BENCH_SECONDS_B', 3);
const ROUNDS_B = num('BENCH_ROUNDS_B', 3);
const CHATS = num('BENCH_CHATS', 2000);
/** BENCH_SLOW_MS: list the acks slower than this, with when they were due, to tell a stall from a queue. */
const SLOW_MS = num('BENCH_SLOW_MS', 0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- child roles

/** The fake Bot API in its own process; answers `count` over IPC with the number of sendMessage calls. */
async function runFake(): Promise<void> {
  const fake = await FakeTelegramApi.start();
  fake.recordLimit = 100;
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd === 'count') process.send!({ sendMessage: fake.counts.get('sendMessage') ?? 0 });
  });
  process.send!({ apiRoot: fake.apiRoot });
}

/** The floor: a bare telegraf webhook bot, same reply, same fake API, nothing else. */
async function runFloor(): Promise<void> {
  const bot = new Telegraf(TOKEN, {
    telegram: { apiRoot: process.env.TELEGRAM_API_ROOT!, webhookReply: false },
  });
  bot.start((ctx) => ctx.reply(`Hello, ${ctx.from.first_name}! Your role: client.`));
  bot.catch((err) => console.error(`floor: ${(err as Error).message}`));
  const server = createServer(bot.webhookCallback('/tg/webhook', { secretToken: SECRET }));
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

// ---------------------------------------------------------------- load generator

interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  achievedRate: number;
  /** How late this generator sent requests (ms after they were due), sorted: a busy machine delays the load too. */
  sendLagMs: number[];
}

let nextUpdateId = Math.floor(Math.random() * 1e8);
const firstNames = ['Anna', 'Boris', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hugo'];

/** A realistic private-chat update of one of CHATS users. */
function update(i: number, text: (i: number) => string): string {
  const userId = 500_000_000 + (i % CHATS);
  const first = firstNames[i % firstNames.length];
  return JSON.stringify({
    update_id: nextUpdateId++,
    message: {
      message_id: i + 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, first_name: first, type: 'private' },
      from: { id: userId, is_bot: false, first_name: first, language_code: i % 3 === 0 ? 'en' : 'ru' },
      text: text(i),
      ...(text(i) === '/start' ? { entities: [{ type: 'bot_command', offset: 0, length: 6 }] } : {}),
    },
  });
}

const START = () => '/start';
const CHATTER = (i: number) => `message ${i}: can I book a haircut on Friday afternoon?`;

/**
 * Like Telegram, which keeps up to max_connections (40 by default, 100 at most) open to a webhook,
 * each target gets one pool of keep-alive connections for the whole run: a burst is not also a
 * storm of new TCP connections (which delayed the first 50 ms of every burst by 200-700 ms, for the
 * floor as much as for us).
 */
const agents = new Map<number, Agent>();
const agentFor = (port: number) => {
  let agent = agents.get(port);
  if (!agent) agents.set(port, (agent = new Agent({ keepAlive: true, maxSockets: 100 })));
  return agent;
};

async function openLoop(
  port: number,
  rate: number,
  seconds: number,
  text: (i: number) => string,
): Promise<LoadResult> {
  const agent = agentFor(port);
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const slow: string[] = [];
  const sendLag: number[] = [];
  let sent = 0;
  let done = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const fire = (i: number) => {
      const due = t0 + (i * 1000) / rate;
      sendLag.push(performance.now() - due);
      const body = update(i, text);
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/tg/webhook',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-telegram-bot-api-secret-token': SECRET,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const latency = performance.now() - due;
            latencies.push(latency);
            if (SLOW_MS && latency > SLOW_MS)
              slow.push(`${((performance.timeOrigin + due) % 100000).toFixed(0)}:${latency.toFixed(0)}`);
            statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
            if (++done === total) resolve();
          });
        },
      );
      req.on('error', (err) => {
        statuses[err.message] = (statuses[err.message] ?? 0) + 1;
        if (++done === total) resolve();
      });
      req.end(body);
    };
    // Every millisecond, whatever is due. Spinning on setImmediate instead was precise to a few µs
    // but kept a whole core busy, half of a 2-core machine, which the app and Redis then lacked. The
    // ~1 ms this costs in precision counts against the app: latency runs from the due time.
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  const elapsed = (performance.now() - t0) / 1000;
  if (slow.length)
    console.log(
      `    slow acks (due, ms of the wall clock mod 100 s:latency ms): ${slow.slice(0, 400).join(' ')}`,
    );
  latencies.sort((a, b) => a - b);
  sendLag.sort((a, b) => a - b);
  return {
    sendLagMs: sendLag,
    sent: total,
    ok: statuses['200'] ?? 0,
    failed: total - (statuses['200'] ?? 0),
    statuses,
    latenciesMs: latencies,
    achievedRate: total / elapsed,
  };
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
const ms = (v: number) => `${v.toFixed(2)} ms`;

// ---------------------------------------------------------------- orchestration

function forkRole(
  role: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; msg: any }> {
  const child = fork(__filename, [role], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ child, msg }));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

async function replies(fake: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    fake.once('message', (msg: { sendMessage: number }) => resolve(msg.sendMessage));
    fake.send({ cmd: 'count' });
  });
}

/** Polls until `expected` replies arrived (or the deadline); returns when and how many. */
async function drain(fake: ChildProcess, redis: Redis | undefined, expected: number, timeoutMs: number) {
  const started = performance.now();
  let maxJournal = 0;
  let count = 0;
  while (performance.now() - started < timeoutMs) {
    count = await replies(fake);
    if (redis) maxJournal = Math.max(maxJournal, await redis.xlen(JOURNAL_KEY));
    if (count >= expected) break;
    await sleep(100);
  }
  // Entries are removed in batches a few ms after their reply: give the last batch a moment.
  for (let i = 0; redis && i < 20 && (await redis.xlen(JOURNAL_KEY)) > 0; i++) await sleep(100);
  const journal = redis ? await redis.xlen(JOURNAL_KEY) : 0;
  return { count, seconds: (performance.now() - started) / 1000, maxJournal, journal };
}

/**
 * End-to-end capacity: a burst well above what either bot can do, and the time until its last
 * reply. Replies per second over that whole span, acking and processing included.
 */
async function capacity(
  fake: ChildProcess,
  server: ChildProcess,
  port: number,
  rate: number,
  seconds: number,
  redis?: Redis,
) {
  const before = await replies(fake);
  const used = meter(server);
  const t0 = performance.now();
  const result = await openLoop(port, rate, seconds, START);
  const drained = await drain(fake, redis, before + result.ok, 180000);
  const perSecond = (drained.count - before) / ((performance.now() - t0) / 1000);
  const { cpu, steal } = used();
  return { perSecond, result, drained, cpuPerReply: cpu / Math.max(1, drained.count - before), steal };
}

/**
 * CPU time the hypervisor gave to other guests while this VM wanted it ("steal", all cores), so far;
 * Linux only, NaN elsewhere. A stall the floor shows too, with steal in the same phase, is the machine.
 */
function stealMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return (Number(fields[8]) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system, all threads) a process has used so far; Linux only, NaN elsewhere. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Starts measuring a phase: the returned function gives the CPU `child` used and the steal since. */
function meter(child: ChildProcess): () => { cpu: number; steal: number } {
  const cpu = cpuMs(child.pid!);
  const steal = stealMs();
  return () => ({ cpu: cpuMs(child.pid!) - cpu, steal: stealMs() - steal });
}

/** Starts measuring how many cores each process kept busy (CPU time per wall-clock time) in a phase. */
function coresMeter(pids: Record<string, number | undefined>): () => string {
  const t0 = performance.now();
  const start = new Map(Object.entries(pids).map(([name, pid]) => [name, pid ? cpuMs(pid) : NaN]));
  return () => {
    const wall = performance.now() - t0;
    return Object.entries(pids)
      .map(([name, pid]) => `${name} ${((cpuMs(pid ?? 0) - start.get(name)!) / wall).toFixed(2)}`)
      .join(', ');
  };
}

/** The Redis server's pid when it runs on this machine (for its CPU time), else undefined. */
async function redisPid(redis: Redis): Promise<number | undefined> {
  const host = new URL(REDIS_URL).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') return undefined;
  const match = /process_id:(\d+)/.exec(await redis.info('server'));
  return match ? Number(match[1]) : undefined;
}

async function main(): Promise<void> {
  const role = process.argv[2];
  if (role === 'fake') return runFake();
  if (role === 'floor') return runFloor();

  const dir = mkdtempSync(join(tmpdir(), 'salon-bench-'));
  const prefix = `bench:${randomBytes(5).toString('hex')}:`;
  const redis = new Redis(REDIS_URL, { keyPrefix: prefix });
  const children: ChildProcess[] = [];
  const verdicts: string[] = [];
  const verdict = (ok: boolean, line: string) => verdicts.push(`${ok ? 'PASS' : 'MISS'}  ${line}`);
  try {
    const { child: fake, msg: fakeInfo } = await forkRole('fake');
    children.push(fake);
    const apiRoot = fakeInfo.apiRoot as string;

    const { child: floor, msg: floorInfo } = await forkRole('floor', { TELEGRAM_API_ROOT: apiRoot });
    children.push(floor);

    const port = await freePort();
    // e.g. BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the app under this load
    const nodeArgs = [
      ...productionNodeFlags(),
      ...(process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ];
    // e.g. BENCH_APP_STDOUT=/tmp/app.log with LOG_LEVEL=warn and --trace-gc, to line GC pauses up with slow acks
    const appStdout = process.env.BENCH_APP_STDOUT ? openSync(process.env.BENCH_APP_STDOUT, 'w') : 'ignore';
    const app = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', 'src', 'main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        SQLITE_PATH: join(dir, 'booking.db'),
        REDIS_URL,
        REDIS_PREFIX: prefix,
        BOT_TOKEN: TOKEN,
        PUBLIC_URL: 'https://bench.invalid',
        TG_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: apiRoot,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      },
      stdio: ['ignore', appStdout, 'inherit'],
    });
    children.push(app);
    await waitHealthy(port, app);
    console.log(`fake Bot API ${apiRoot}, app :${port}, floor :${floorInfo.port}, ${CHATS} chats`);

    // Warm-up: every user exists (get-or-create) and both bots know getMe.
    const warm = await openLoop(port, 500, CHATS / 500, START);
    const warmFloor = await openLoop(floorInfo.port, 500, 2, START);
    const warmDrain = await drain(fake, redis, warm.ok + warmFloor.ok, 60000);
    console.log(
      `warm-up: ${warm.ok + warmFloor.ok} updates, ${warmDrain.count} replies, journal ${warmDrain.journal}`,
    );

    // (a) ack only: a short sweep up to the target rate, so a miss shows where the knee is on this machine.
    const rates = [...new Set([RATE_A / 4, RATE_A / 2, RATE_A].map(Math.round))];
    console.log('');
    let a: LoadResult | undefined;
    for (const rate of rates) {
      const used = meter(app);
      a = await openLoop(port, rate, rate === RATE_A ? SECONDS_A : 3, CHATTER);
      const { latenciesMs: l } = a;
      for (let i = 0; i < 600 && (await redis.xlen(JOURNAL_KEY)) > 0; i++) await sleep(100);
      const { cpu, steal } = used();
      const cpuPerUpdate = cpu / a.sent;
      console.log(
        `(a) ack only, ${rate}/s: sent ${a.achievedRate.toFixed(0)}/s, ${a.ok}/${a.sent} answered 200, ack p50 ${ms(pct(l, 50))}, p99 ${ms(pct(l, 99))}, max ${ms(l[l.length - 1])} (sent late by p99 ${ms(pct(a.sendLagMs, 99))}), ${cpuPerUpdate.toFixed(3)} ms CPU per update (ack + processing), steal ${steal.toFixed(0)} ms`,
      );
      // The same load on the bare telegraf bot: what this machine gives any Node webhook right now.
      const floorUsed = meter(floor);
      const f = await openLoop(floorInfo.port, rate, rate === RATE_A ? SECONDS_A : 3, CHATTER);
      const { cpu: floorCpuTotal, steal: floorSteal } = floorUsed();
      const floorCpu = floorCpuTotal / f.sent;
      console.log(
        `    floor at ${rate}/s: ack p50 ${ms(pct(f.latenciesMs, 50))}, p99 ${ms(pct(f.latenciesMs, 99))}, ${floorCpu.toFixed(3)} ms CPU per update, steal ${floorSteal.toFixed(0)} ms`,
      );
    }
    const p99a = pct(a!.latenciesMs, 99);
    verdict(
      p99a < 10 && a!.failed === 0,
      `(a) ack p99 ${ms(p99a)} at ${RATE_A}/s (target < 10 ms: ${(p99a / 10).toFixed(2)}x the budget)`,
    );

    if (process.env.BENCH_ONLY_A) {
      console.log(`\n${verdicts.join('\n')}`);
      return;
    }

    // (b) capacity, floor and ours taking turns under the same load, BENCH_ROUNDS_B times: the
    // machine drifts (one floor burst ran at 1,580 replies/s, another at 3,280), and the medians of
    // interleaved rounds compare the two bots under the same conditions.
    console.log(
      `\n(b) end to end (/start -> sendMessage), a burst of ${SATURATE_RATE}/s for ${SECONDS_B} s, time to the last reply:`,
    );
    type Capacity = Awaited<ReturnType<typeof capacity>>;
    const line = (c: Capacity) =>
      `${c.perSecond.toFixed(0)} replies/s (offered ${c.result.achievedRate.toFixed(0)}/s), ${c.cpuPerReply.toFixed(3)} ms CPU per reply, p99 ${ms(pct(c.result.latenciesMs, 99))}, steal ${c.steal.toFixed(0)} ms`;
    const floorRounds: Capacity[] = [];
    const oursRounds: Capacity[] = [];
    for (let round = 1; round <= ROUNDS_B; round++) {
      const floorCap = await capacity(fake, floor, floorInfo.port, SATURATE_RATE, SECONDS_B);
      const oursCap = await capacity(fake, app, port, SATURATE_RATE, SECONDS_B, redis);
      floorRounds.push(floorCap);
      oursRounds.push(oursCap);
      console.log(`  round ${round}: floor (bare telegraf): ${line(floorCap)}`);
      console.log(
        `           ours:                  ${line(oursCap)}, journal peak ${oursCap.drained.maxJournal}`,
      );
      for (const [who, cap] of [
        ['the floor', floorCap],
        ['ours', oursCap],
      ] as const) {
        if (cap.perSecond > 0.95 * SATURATE_RATE)
          console.log(
            `    ${who} kept up with ${SATURATE_RATE}/s: raise BENCH_SATURATE_RATE to measure its capacity`,
          );
      }
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    const floorPerSecond = median(floorRounds.map((c) => c.perSecond));
    const oursPerSecond = median(oursRounds.map((c) => c.perSecond));
    const ratio = oursPerSecond / floorPerSecond;
    const cpuRatio =
      median(floorRounds.map((c) => c.cpuPerReply)) / median(oursRounds.map((c) => c.cpuPerReply));
    console.log(
      `    medians: floor ${floorPerSecond.toFixed(0)} replies/s, ours ${oursPerSecond.toFixed(0)} replies/s; CPU-bound capacity ratio (floor CPU per reply / ours): ${cpuRatio.toFixed(2)}x`,
    );
    verdict(
      ratio >= 0.6,
      `(b) capacity ratio ours/floor ${ratio.toFixed(2)}x by wall clock, ${cpuRatio.toFixed(2)}x by CPU per reply, medians of ${ROUNDS_B} rounds (target >= 0.6x)`,
    );

    // (b') twice our capacity.
    const overload = Math.max(50, Math.round(2 * oursPerSecond));
    const expectedBefore = await replies(fake);
    const overUsed = meter(app);
    const cores = coresMeter({
      app: app.pid,
      redis: await redisPid(redis),
      'fake Bot API': fake.pid,
      'load generator': process.pid,
    });
    const over = await openLoop(port, overload, SECONDS_B, START);
    const { steal: overSteal } = overUsed();
    const busy = cores();
    const overDrain = await drain(fake, redis, expectedBefore + over.ok, 120000);
    const lost = expectedBefore + over.ok - overDrain.count;
    const p99o = pct(over.latenciesMs, 99);
    console.log(
      `\n(b') ours at 2x capacity, ${overload}/s for ${SECONDS_B} s: ${over.ok}/${over.sent} acked 200, ack p50 ${ms(pct(over.latenciesMs, 50))}, p99 ${ms(p99o)}` +
        ` (this generator sent late by p99 ${ms(pct(over.sendLagMs, 99))}), steal ${overSteal.toFixed(0)} ms`,
    );
    console.log(`    cores busy during the load: ${busy}`);
    console.log(
      `    journal peak ${overDrain.maxJournal}, drained in ${overDrain.seconds.toFixed(1)} s after the load, journal now ${overDrain.journal}, lost ${lost}`,
    );
    verdict(p99o < 50 && over.failed === 0, `(b') ack p99 ${ms(p99o)} at 2x capacity (target < 50 ms)`);
    verdict(
      lost === 0 && overDrain.journal === 0,
      `(b') nothing lost (${lost}), journal drained (${overDrain.journal} left)`,
    );

    console.log(`\n${verdicts.join('\n')}`);
  } finally {
    for (const agent of agents.values()) agent.destroy();
    for (const child of children.reverse()) child.kill('SIGTERM');
    await sleep(1500);
    let cursor = '0';
    const raw = new Redis(REDIS_URL);
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await raw.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    raw.disconnect();
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
