/**
 * Webhook under load, ours beside a bare telegraf bot (issue 17). Build and run:
 *   npx nest build && node dist/bench/webhook.bench.js
 *
 * Processes: the app (dist/src/main.js, temp SQLite, Redis under a throwaway prefix) and the floor (a
 * bare telegraf 4.16 webhook bot, no Redis, no database) are pinned to core 1 (`taskset -c 1`); this
 * process (the load generator), the fake Bot API and a Redis server of the bench's own are pinned to
 * core 0. Only one of the two bots is under load at a time. With BENCH_REDIS_URL the bench uses that
 * Redis instead, not pinned (it says so).
 *
 * Load: updates from distinct chats (each chat gets at most one update per case, so its first reply is
 * unambiguous; the pool is rate x seconds chats, all of them known users after a warm-up) over at most
 * 40 keep-alive connections, like Telegram's default max_connections. Cases, each on the floor then ours:
 *   open 1,000/s: ack p99, first-reply p99, CPU per update, peak RSS;
 *   open 2,000/s: ack p99, first-reply p99, replies/s, backlog 1 s after the window;
 *   flood: closed loop over the 40 connections as fast as acks return: replies/s, ack p99, and the
 *          time until the journal is drained after the flood.
 * An open-loop request is due at t0 + i/rate and its ack and first reply count from that moment, so a
 * stalled server cannot hide its queue; the first reply is the first message sent or edited in that
 * chat, as the fake Bot API received it.
 *
 * Options (env):
 *   BENCH_MIX        start (the issue's mix: /start only) | screens (the bot's real screens: a text
 *                    answered with the menu, a callback that edits the menu into the services screen,
 *                    a callback that opens a calendar, which reads slots; a salon is seeded first)
 *   BENCH_RUNS (1), BENCH_SECONDS (8), BENCH_FLOOD_SECONDS (10), BENCH_CONNECTIONS (40),
 *   BENCH_RATES ("1000,2000"), BENCH_REDIS_URL (an existing Redis instead of the bench's own),
 *   BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_APP_STDOUT (a file for the
 *   app's stdout), BENCH_APP_ENV (extra env for the app, "K=V,K=V"), LOG_LEVEL (info), BENCH_ONLY
 *   (a case to run alone: open1000, open2000 or flood), BENCH_SKIP_FLOOR (1: ours only).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Telegraf } from 'telegraf';
import { freePort, productionNodeFlags, waitHealthy } from './app-process';
import { loadConfig } from '../src/config/app-config';
import { journalLength } from '../src/gateway/webhook/update-journal';
import { initAdmin } from '../scripts/init-admin';
import { FakeTelegramApi, RecordedCall } from '../test/support/fake-telegram-api';
import { forgetPrefix } from '../test/support/redis-prefix';

const TOKEN = '424242:BENCH-token_ABCDEFGHIJKLMNOPQRS';
const SECRET = 'bench-webhook-secret';
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const MIX = (process.env.BENCH_MIX ?? 'start') as 'start' | 'screens';
const RUNS = num('BENCH_RUNS', 1);
const SECONDS = num('BENCH_SECONDS', 8);
const FLOOD_SECONDS = num('BENCH_FLOOD_SECONDS', 10);
const CONNECTIONS = num('BENCH_CONNECTIONS', 40);
const RATES = (process.env.BENCH_RATES ?? '1000,2000').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY;
const SKIP_FLOOR = Boolean(process.env.BENCH_SKIP_FLOOR);
/** How long the bench waits for the last replies of a case before it counts the rest as lost. */
const SETTLE_TIMEOUT_MS = 120_000;
/** Replies are what users see: a message sent or edited in their chat. */
const REPLY_METHODS = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'sendPhoto']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A wall-clock time in ms with sub-ms precision, comparable between the processes of this machine. */
const wallNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- child roles

/** One reply as the fake saw it: chat, when (wall clock, ms), and the menu's message id when it has buttons. */
type Reply = [chatId: number, at: number, menuMessageId: number];

/** The fake Bot API; `take` over IPC hands over (and forgets) the replies received since the last take. */
async function runFake(): Promise<void> {
  const fake = await FakeTelegramApi.start();
  fake.recordLimit = 100;
  let replies: Reply[] = [];
  fake.onAnswered = (call: RecordedCall) => {
    if (!REPLY_METHODS.has(call.method) || call.params.chat_id === undefined) return;
    const menu = call.params.reply_markup?.inline_keyboard?.length
      ? call.method === 'sendMessage'
        ? (call.result as { message_id: number }).message_id
        : Number(call.params.message_id)
      : 0;
    replies.push([Number(call.params.chat_id), wallNow(), menu]);
  };
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd !== 'take') return;
    const taken = replies;
    replies = [];
    process.send!({ replies: taken });
  });
  process.send!({ apiRoot: fake.apiRoot });
}

/** The floor: a bare telegraf webhook bot, one reply to /start (and to anything else), nothing more. */
async function runFloor(): Promise<void> {
  const bot = new Telegraf(TOKEN, {
    telegram: { apiRoot: process.env.TELEGRAM_API_ROOT!, webhookReply: false },
  });
  bot.start((ctx) => ctx.reply(`Hello, ${ctx.from.first_name}! Your role: client.`));
  bot.on('message', (ctx) => ctx.reply('Not understood. Here is the menu.'));
  bot.on('callback_query', (ctx) => ctx.editMessageText('A screen.'));
  bot.catch((err) => console.error(`floor: ${(err as Error).message}`));
  const server = createServer(bot.webhookCallback('/tg/webhook', { secretToken: SECRET }));
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

// ---------------------------------------------------------------- pinning and processes

const CORES = cpus().length;
const PIN = CORES >= 2;

/** The command line that runs `args` on one core (as is on a single-core machine). */
function pinned(core: number, args: string[]): [string, string[]] {
  return PIN ? ['taskset', ['-c', String(core), ...args]] : [args[0], args.slice(1)];
}

/** Pins every thread of a running process to one core (this generator pins itself). */
function pinPid(core: number, pid: number): void {
  if (PIN) execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/** A role of this file in its own Node process on `core`, with IPC; resolves with its first message. */
function spawnRole(
  role: string,
  core: number,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; msg: any }> {
  const [cmd, args] = pinned(core, [process.execPath, __filename, role]);
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ child, msg }));
    child.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}

/** A Redis server of the bench's own on core 0, no persistence: Redis is part of what core 0 carries. */
async function startRedis(dir: string): Promise<{ url: string; child?: ChildProcess; note: string }> {
  if (process.env.BENCH_REDIS_URL)
    return {
      url: process.env.BENCH_REDIS_URL,
      note: `Redis ${process.env.BENCH_REDIS_URL} (existing, NOT pinned)`,
    };
  const port = await freePort();
  const [cmd, args] = pinned(0, [
    'redis-server',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      if (child.exitCode !== null || i > 50) throw new Error('redis-server did not start');
      await sleep(100);
    }
  }
  probe.disconnect();
  return { url, child, note: `Redis :${port} (the bench's own, pinned to core 0)` };
}

function procStat(pid: number): { cpuMs: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 };
}

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

/** Samples a process's resident memory every 50 ms; the returned function stops and gives the peak (MB). */
function rssPeak(pid: number): () => number {
  let peak = procStatusKb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, procStatusKb(pid, 'VmRSS'))), 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, procStatusKb(pid, 'VmRSS')) / 1024;
  };
}

// ---------------------------------------------------------------- updates

let nextUpdateId = Math.floor(Math.random() * 1e8);
const CHAT_BASE = 600_000_000;
const firstNames = ['Anna', 'Boris', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hugo'];

interface Salon {
  locationId: number;
  serviceId: number;
  month: string;
}

/** What the generator knows of each chat: the message id of its current menu (0: none seen). */
const menus = new Map<number, number>();

function message(chatId: number, text: string): object {
  const first = firstNames[chatId % firstNames.length];
  return {
    message_id: 1,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, first_name: first, type: 'private' },
    from: { id: chatId, is_bot: false, first_name: first, language_code: 'en' },
    text,
    ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] } : {}),
  };
}

function callback(chatId: number, data: string): object {
  const first = firstNames[chatId % firstNames.length];
  return {
    id: `q${nextUpdateId}`,
    chat_instance: 'bench',
    from: { id: chatId, is_bot: false, first_name: first, language_code: 'en' },
    data,
    message: {
      message_id: menus.get(chatId) ?? 1,
      date: 0,
      chat: { id: chatId, type: 'private' },
      text: 'menu',
    },
  };
}

const b36 = (n: number) => n.toString(36);

/** Builds the update one chat sends next (a JSON body). */
type MakeUpdate = (chatId: number) => string;

const startUpdate: MakeUpdate = (chatId) =>
  JSON.stringify({ update_id: nextUpdateId++, message: message(chatId, '/start') });

/** Onboarding, as a new user goes through it: /start, then English, then "Skip" for the phone. */
const languageUpdate: MakeUpdate = (chatId) =>
  JSON.stringify({ update_id: nextUpdateId++, callback_query: callback(chatId, 'ol:en') });
const skipPhoneUpdate: MakeUpdate = (chatId) =>
  JSON.stringify({ update_id: nextUpdateId++, message: message(chatId, 'Skip') });

/**
 * The bot's real screens, by chat: a text the bot answers with the menu, a press on the menu's booking
 * button (the menu is edited into the services screen), or a press that opens a specialist's calendar
 * (edited in; it reads the month's free days).
 */
function screensUpdate({ locationId, serviceId, month }: Salon): MakeUpdate {
  return (chatId) => {
    const update_id = nextUpdateId++;
    switch (chatId % 3) {
      case 0:
        return JSON.stringify({ update_id, message: message(chatId, 'hello, can I book on Friday?') });
      case 1:
        return JSON.stringify({ update_id, callback_query: callback(chatId, `bs:${b36(locationId)}:0`) });
      default:
        return JSON.stringify({
          update_id,
          callback_query: callback(chatId, `bc:${b36(locationId)}:${b36(serviceId)}:0:${month}`),
        });
    }
  };
}

// ---------------------------------------------------------------- load generator

const agents = new Map<number, Agent>();
/** One pool of at most CONNECTIONS keep-alive connections per bot for the whole run, as Telegram keeps. */
const agentFor = (port: number) => {
  let agent = agents.get(port);
  if (!agent) agents.set(port, (agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })));
  return agent;
};

/** Posts one update; resolves with the status (0 for a connection error). */
function post(port: number, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent: agentFor(port),
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
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

interface Sent {
  /** Per update: its chat, its due time (wall clock ms), its ack latency (ms; NaN until acked). */
  chats: number[];
  due: number[];
  ack: number[];
  statuses: Map<number, number>;
  /** The wall-clock time the last update was due (open loop) or sent (closed loop). */
  endAt: number;
  startAt: number;
}

function newSent(): Sent {
  return { chats: [], due: [], ack: [], statuses: new Map(), endAt: 0, startAt: wallNow() };
}

function count(sent: Sent, status: number): void {
  sent.statuses.set(status, (sent.statuses.get(status) ?? 0) + 1);
}

/** Open loop: update i is due at t0 + i/rate, for chats[i]; latency counts from the due time. */
async function openLoop(port: number, rate: number, chats: number[], make: MakeUpdate): Promise<Sent> {
  const sent = newSent();
  const t0 = performance.now();
  const total = chats.length;
  let fired = 0;
  let done = 0;
  await new Promise<void>((resolve) => {
    const fire = (i: number) => {
      const due = t0 + (i * 1000) / rate;
      sent.chats.push(chats[i]);
      sent.due.push(performance.timeOrigin + due);
      sent.ack.push(NaN);
      void post(port, make(chats[i])).then((status) => {
        sent.ack[i] = performance.now() - due;
        count(sent, status);
        if (++done === total) resolve();
      });
    };
    // Every millisecond, whatever is due: spinning would keep core 0 busy, which the fake API and
    // Redis share; the ~1 ms this costs in precision counts against the bot (latency runs from due).
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (fired < due) fire(fired++);
      if (fired < total) setTimeout(tick, 1);
    };
    tick();
  });
  sent.endAt = performance.timeOrigin + t0 + ((total - 1) * 1000) / rate;
  return sent;
}

/** Closed loop: CONNECTIONS senders, each posting its next update as soon as the previous one is acked. */
async function closedLoop(port: number, seconds: number, pool: number[], make: MakeUpdate): Promise<Sent> {
  const sent = newSent();
  const until = performance.now() + seconds * 1000;
  let next = 0;
  const sender = async () => {
    while (performance.now() < until) {
      const i = sent.chats.length;
      const chat = pool[next++ % pool.length];
      const start = performance.now();
      sent.chats.push(chat);
      sent.due.push(performance.timeOrigin + start);
      sent.ack.push(NaN);
      const status = await post(port, make(chat));
      sent.ack[i] = performance.now() - start;
      count(sent, status);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, sender));
  sent.endAt = wallNow();
  return sent;
}

// ---------------------------------------------------------------- measuring

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
const sorted = (values: number[]) => values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);

class FakeClient {
  constructor(readonly child: ChildProcess) {}

  take(): Promise<Reply[]> {
    return new Promise((resolve) => {
      this.child.once('message', (msg: { replies: Reply[] }) => {
        for (const [chat, , menu] of msg.replies) if (menu) menus.set(chat, menu);
        resolve(msg.replies);
      });
      this.child.send({ cmd: 'take' });
    });
  }
}

interface Bot {
  name: 'ours' | 'floor';
  port: number;
  pid: number;
  redis?: Redis;
}

interface Outcome {
  acked: number;
  failed: number;
  ackP50: number;
  ackP99: number;
  firstReplyP50: number;
  firstReplyP99: number;
  /** Updates answered per second of the window (first replies within it). */
  repliesPerSecond: number;
  /** Updates without a first reply 1 s after the window (open loop). */
  backlog: number;
  /** Journal entries at the end of the window (ours). */
  journalAtEnd: number;
  /** Seconds from the end of the flood until every update was answered (and the journal empty). */
  drainSeconds: number;
  cpuPerUpdateMs: number;
  peakRssMb: number;
  lost: number;
  /** Replies per update answered (open loop: measured; closed loop: as given). */
  perUpdate: number;
}

/**
 * Runs a case on one bot: the load, then waits until every acked update is answered and (ours) the
 * journal is empty, or SETTLE_TIMEOUT_MS. Open loop: each chat has one update in the case, so its
 * first reply is the chat's first reply after the update was due, and every reply to the chat is its.
 * Closed loop (chats repeat): updates answered are the replies counted divided by `perUpdate`, the
 * replies one update gets from this bot (measured by calibrate()).
 */
async function measure(
  bot: Bot,
  fake: FakeClient,
  load: () => Promise<Sent>,
  open: boolean,
  perUpdate = 1,
): Promise<Outcome> {
  await fake.take();
  const cpu0 = procStat(bot.pid).cpuMs;
  const peak = rssPeak(bot.pid);
  const sent = await load();
  const journalAtEnd = bot.redis ? await journalLength(bot.redis) : 0;
  const acked = sent.statuses.get(200) ?? 0;
  const indexOf = new Map<number, number>();
  if (open) sent.chats.forEach((chat, i) => indexOf.set(chat, i));
  const firstReply = new Array<number>(sent.chats.length).fill(NaN);
  let answered = 0;
  let replies = 0;
  let repliesInWindow = 0;
  let lastReplyAt = sent.endAt;
  let lastFirstReplyAt = sent.startAt;
  const absorb = (taken: Reply[]) => {
    for (const [chat, at] of taken) {
      replies++;
      if (at <= sent.endAt) repliesInWindow++;
      lastReplyAt = Math.max(lastReplyAt, at);
      const i = indexOf.get(chat);
      if (i === undefined || at < sent.due[i] || !Number.isNaN(firstReply[i])) continue;
      firstReply[i] = at - sent.due[i];
      lastFirstReplyAt = Math.max(lastFirstReplyAt, at);
      answered++;
    }
    if (!open) answered = Math.floor(replies / perUpdate);
  };
  const settleStart = performance.now();
  let backlog = NaN;
  let quietSince = performance.now();
  let journal = 0;
  for (;;) {
    const before = replies;
    absorb(await fake.take());
    if (replies > before) quietSince = performance.now();
    if (open && Number.isNaN(backlog) && wallNow() >= sent.endAt + 1000) backlog = acked - answered;
    journal = bot.redis ? await journalLength(bot.redis) : 0;
    const quiet = performance.now() - quietSince > 300;
    if (open ? answered >= acked && journal === 0 && !Number.isNaN(backlog) : journal === 0 && quiet) break;
    if (performance.now() - settleStart > SETTLE_TIMEOUT_MS) break;
    await sleep(20);
  }
  if (Number.isNaN(backlog)) backlog = acked - answered;
  const cpu = procStat(bot.pid).cpuMs - cpu0;
  const peakRssMb = peak();
  const acks = sorted(sent.ack);
  // Unanswered updates count as infinitely late in the first-reply percentiles.
  const missing = Math.max(0, acked - answered);
  const firsts = sorted(firstReply);
  const withMissing = open ? [...firsts, ...new Array<number>(missing).fill(Infinity)] : [];
  const windowSeconds = (sent.endAt - sent.startAt) / 1000;
  return {
    acked,
    failed: sent.chats.length - acked,
    ackP50: pct(acks, 50),
    ackP99: pct(acks, 99),
    firstReplyP50: pct(withMissing, 50),
    firstReplyP99: pct(withMissing, 99),
    // Open loop: updates answered over the time from the first due to the last first reply (the
    // offered rate for a bot that keeps up); flood: updates answered while it lasted.
    repliesPerSecond: open
      ? answered / ((lastFirstReplyAt - sent.startAt) / 1000)
      : repliesInWindow / perUpdate / windowSeconds,
    backlog,
    journalAtEnd,
    drainSeconds: Math.max(0, (lastReplyAt - sent.endAt) / 1000),
    cpuPerUpdateMs: cpu / Math.max(1, sent.chats.length),
    peakRssMb,
    // Closed loop: what the journal still holds (the floor answers before it acks).
    lost: open ? missing : journal,
    perUpdate: open ? replies / Math.max(1, answered) : perUpdate,
  };
}

// ---------------------------------------------------------------- report

const f = (v: number, digits = 1) =>
  Number.isFinite(v) ? v.toFixed(digits) : Number.isNaN(v) ? 'n/a' : 'never';
const ratio = (ours: number, floor: number) =>
  floor > 0 && Number.isFinite(ours) ? `${(ours / floor).toFixed(2)}x` : '-';

function row(label: string, ours: number, floor: number | undefined, unit: string, digits = 1): string {
  const floorText = floor === undefined ? '-' : `${f(floor, digits)}${unit}`;
  return `    ${label.padEnd(26)} ${`${f(ours, digits)}${unit}`.padStart(12)}  ${floorText.padStart(12)}  ${floor === undefined ? '' : ratio(ours, floor)}`;
}

type Verdicts = Map<string, boolean[]>;

function judge(verdicts: Verdicts, lines: string[], key: string, ok: boolean, detail: string): void {
  if (!verdicts.has(key)) verdicts.set(key, []);
  verdicts.get(key)!.push(ok);
  lines.push(`    ${ok ? 'met    ' : 'NOT met'}  ${key}: ${detail}`);
}

// ---------------------------------------------------------------- main

async function seedSalon(port: number, env: Record<string, string>): Promise<Salon> {
  const { token } = await initAdmin(
    loadConfig({ ...env, NODE_ENV: 'production' }),
    4_000_000_001,
    'Bench admin',
  );
  const rest = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const location = await rest('POST', '/locations', { name: 'Bench salon', timeZone: 'Europe/Berlin' });
  const service = await rest('POST', '/services', { name: 'Haircut', durationMin: 60, price: 3500 });
  for (let i = 0; i < 4; i++) {
    const specialist = await rest('POST', '/specialists', {
      user: { name: `Specialist ${i}` },
      locationIds: [location.id],
      services: [{ serviceId: service.id }],
    });
    const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 8 * 60, endMin: 20 * 60 }));
    await rest('PUT', `/specialists/${specialist.id}/schedule?locationId=${location.id}`, week);
  }
  const now = new Date();
  const month = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  return { locationId: location.id, serviceId: service.id, month };
}

async function main(): Promise<void> {
  const role = process.argv[2];
  if (role === 'fake') return runFake();
  if (role === 'floor') return runFloor();

  pinPid(0, process.pid);
  const dir = mkdtempSync(join(tmpdir(), 'salon-bench-'));
  const prefix = `bench:${randomBytes(5).toString('hex')}:`;
  const children: ChildProcess[] = [];
  let redis: Redis | undefined;
  let redisUrl = '';
  let ownRedis: ChildProcess | undefined;
  try {
    const started = await startRedis(dir);
    redisUrl = started.url;
    ownRedis = started.child;
    redis = new Redis(redisUrl, { keyPrefix: prefix });
    const { child: fakeChild, msg: fakeInfo } = await spawnRole('fake', 0);
    children.push(fakeChild);
    const fake = new FakeClient(fakeChild);
    const apiRoot = fakeInfo.apiRoot as string;
    const { child: floorChild, msg: floorInfo } = await spawnRole('floor', 1, { TELEGRAM_API_ROOT: apiRoot });
    children.push(floorChild);

    const port = await freePort();
    const nodeArgs = [
      ...productionNodeFlags(),
      ...(process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ];
    const appStdout = process.env.BENCH_APP_STDOUT ? openSync(process.env.BENCH_APP_STDOUT, 'w') : 'ignore';
    const appEnv: Record<string, string> = {
      SQLITE_PATH: join(dir, 'booking.db'),
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      BOT_TOKEN: TOKEN,
      PUBLIC_URL: 'https://bench.invalid',
      TG_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: apiRoot,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...Object.fromEntries(
        (process.env.BENCH_APP_ENV ?? '')
          .split(',')
          .filter(Boolean)
          .map((kv) => kv.split('=') as [string, string]),
      ),
    };
    const [cmd, args] = pinned(1, [process.execPath, ...nodeArgs, join(__dirname, '..', 'src', 'main.js')]);
    const app = spawn(cmd, args, {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...appEnv,
      },
      stdio: ['ignore', appStdout, 'inherit'],
    });
    children.push(app);
    await waitHealthy(port, app);
    const salon = MIX === 'screens' ? await seedSalon(port, appEnv) : undefined;
    const mixUpdate = salon ? screensUpdate(salon) : startUpdate;

    const ours: Bot = { name: 'ours', port, pid: app.pid!, redis };
    const floor: Bot = { name: 'floor', port: floorInfo.port, pid: floorChild.pid! };
    const poolSize = Math.max(...RATES.map((rate) => Math.ceil(rate * SECONDS)));
    const pool = Array.from({ length: poolSize }, (_, i) => CHAT_BASE + i);
    let offset = 0;
    /** The next `n` chats of the pool: each chat gets at most one update in a case. */
    const nextChats = (n: number) => {
      const chats = Array.from({ length: n }, (_, i) => pool[(offset + i) % pool.length]);
      offset = (offset + n) % pool.length;
      return chats;
    };
    console.log(
      `mix ${MIX}; ${PIN ? 'app and floor pinned to core 1; generator, fake Bot API pinned to core 0' : `only ${CORES} core: nothing pinned`}; ${started.note}`,
    );
    console.log(
      `app :${port}, floor :${floor.port}, ${poolSize} chats, ${CONNECTIONS} connections, ${SECONDS} s per open-loop case, ${FLOOD_SECONDS} s flood, ${RUNS} run(s); uptime: ${execFileSync('uptime').toString().trim()}`,
    );

    // Warm-up: every chat of the pool becomes a known user (users are created one by one, so in
    // slices, each answered before the next), and both bots warm their JIT. With the real screens the
    // users also go through onboarding (language, phone skipped), which ends with their menu: its
    // message id is what the generator's presses refer to.
    const warmStart = performance.now();
    const passes = salon ? [startUpdate, languageUpdate, skipPhoneUpdate] : [startUpdate];
    for (const make of passes) {
      for (let i = 0; i < pool.length; i += 2000) {
        const slice = pool.slice(i, i + 2000);
        await openLoop(port, 1000, slice, make);
        for (let seen = new Set<number>(), waited = 0; seen.size < slice.length && waited < 1200; waited++) {
          for (const [chat] of await fake.take()) seen.add(chat);
          if (seen.size < slice.length) await sleep(100);
        }
      }
      while ((await journalLength(redis)) > 0) await sleep(100);
      await sleep(300);
      await fake.take();
    }
    await openLoop(floor.port, 1000, pool.slice(0, 2000), mixUpdate);
    await sleep(500);
    await fake.take();
    console.log(
      `warm-up: ${pool.length} users in ${((performance.now() - warmStart) / 1000).toFixed(1)} s, ${menus.size} menus seen`,
    );
    // Replies per update of each bot (ours sends the reply keyboard and the menu for /start): the
    // flood's updates answered are its replies divided by this.
    const calibrate = async (bot: Bot) =>
      (await measure(bot, fake, () => openLoop(bot.port, 200, nextChats(400), mixUpdate), true)).perUpdate;

    const verdicts: Verdicts = new Map();

    const perUpdate = { ours: await calibrate(ours), floor: SKIP_FLOOR ? 1 : await calibrate(floor) };
    console.log(`replies per update: ours ${perUpdate.ours.toFixed(2)}, floor ${perUpdate.floor.toFixed(2)}`);

    for (let run = 1; run <= RUNS; run++) {
      const lines: string[] = [];
      const load = execFileSync('uptime').toString().trim();
      lines.push(`\nrun ${run} of ${RUNS} (${load})`);
      lines.push(`    ${''.padEnd(26)} ${'ours'.padStart(12)}  ${'floor'.padStart(12)}  ratio`);
      const both = async (run1: (bot: Bot) => Promise<Outcome>) => {
        const fl = SKIP_FLOOR ? undefined : await run1(floor);
        const ou = await run1(ours);
        return { ou, fl };
      };
      const rssVerdict: number[] = [];
      for (const rate of RATES) {
        if (ONLY && ONLY !== `open${rate}`) continue;
        const { ou, fl } = await both((bot) => {
          const chats = nextChats(Math.round(rate * SECONDS));
          return measure(bot, fake, () => openLoop(bot.port, rate, chats, mixUpdate), true);
        });
        rssVerdict.push(ou.peakRssMb);
        lines.push(
          `  open loop ${rate}/s, ${SECONDS} s (acked ours ${ou.acked}/${ou.acked + ou.failed}${fl ? `, floor ${fl.acked}/${fl.acked + fl.failed}` : ''}):`,
        );
        lines.push(row('ack p50', ou.ackP50, fl?.ackP50, ' ms', 2));
        lines.push(row('ack p99', ou.ackP99, fl?.ackP99, ' ms', 2));
        lines.push(row('first reply p50', ou.firstReplyP50, fl?.firstReplyP50, ' ms', 1));
        lines.push(row('first reply p99', ou.firstReplyP99, fl?.firstReplyP99, ' ms', 1));
        lines.push(row('replies/s in the window', ou.repliesPerSecond, fl?.repliesPerSecond, '', 0));
        lines.push(row('backlog 1 s after', ou.backlog, fl?.backlog, '', 0));
        lines.push(row('CPU per update', ou.cpuPerUpdateMs, fl?.cpuPerUpdateMs, ' ms', 3));
        lines.push(row('peak RSS', ou.peakRssMb, fl?.peakRssMb, ' MB', 0));
        lines.push(
          `    journal at the end of the window ${ou.journalAtEnd}, lost ${ou.lost}${fl ? ` (floor lost ${fl.lost})` : ''}`,
        );
        const ackBudget = rate <= 1000 ? 10 : 15;
        const replyBudget = rate <= 1000 ? 25 : 100;
        judge(
          verdicts,
          lines,
          `${rate}/s ack p99 < ${ackBudget} ms`,
          ou.ackP99 < ackBudget && ou.failed === 0,
          `${f(ou.ackP99, 2)} ms`,
        );
        judge(
          verdicts,
          lines,
          `${rate}/s first reply p99 < ${replyBudget} ms`,
          ou.firstReplyP99 < replyBudget,
          `${f(ou.firstReplyP99)} ms`,
        );
        if (rate > 1000)
          judge(
            verdicts,
            lines,
            `${rate}/s no backlog`,
            ou.backlog === 0 && ou.lost === 0,
            `${ou.backlog} unanswered 1 s after the window, ${ou.lost} never`,
          );
        if (rate === 1000 && fl)
          judge(
            verdicts,
            lines,
            'CPU per update at 1,000/s <= 1.2x floor',
            ou.cpuPerUpdateMs <= 1.2 * fl.cpuPerUpdateMs,
            `${f(ou.cpuPerUpdateMs, 3)} ms vs ${f(fl.cpuPerUpdateMs, 3)} ms: ${ratio(ou.cpuPerUpdateMs, fl.cpuPerUpdateMs)}`,
          );
      }
      if (!ONLY || ONLY === 'flood') {
        const { ou, fl } = await both((bot) =>
          measure(
            bot,
            fake,
            () => closedLoop(bot.port, FLOOD_SECONDS, pool, mixUpdate),
            false,
            perUpdate[bot.name],
          ),
        );
        rssVerdict.push(ou.peakRssMb);
        lines.push(
          `  flood: closed loop over ${CONNECTIONS} connections, ${FLOOD_SECONDS} s (acked ours ${ou.acked}, ${f(ou.acked / FLOOD_SECONDS, 0)}/s${fl ? `; floor ${fl.acked}, ${f(fl.acked / FLOOD_SECONDS, 0)}/s` : ''}):`,
        );
        lines.push(row('ack p50', ou.ackP50, fl?.ackP50, ' ms', 2));
        lines.push(row('ack p99', ou.ackP99, fl?.ackP99, ' ms', 2));
        lines.push(row('replies/s in the flood', ou.repliesPerSecond, fl?.repliesPerSecond, '', 0));
        lines.push(row('drained after (s)', ou.drainSeconds, fl?.drainSeconds, ' s', 1));
        lines.push(row('CPU per update', ou.cpuPerUpdateMs, fl?.cpuPerUpdateMs, ' ms', 3));
        lines.push(row('peak RSS', ou.peakRssMb, fl?.peakRssMb, ' MB', 0));
        lines.push(
          `    journal at the end of the flood ${ou.journalAtEnd}, lost ${ou.lost}${fl ? ` (floor lost ${fl.lost})` : ''}`,
        );
        if (fl)
          judge(
            verdicts,
            lines,
            'flood replies >= 50% of floor',
            ou.repliesPerSecond >= 0.5 * fl.repliesPerSecond,
            `${f(ou.repliesPerSecond, 0)}/s vs ${f(fl.repliesPerSecond, 0)}/s: ${ratio(ou.repliesPerSecond, fl.repliesPerSecond)}`,
          );
        judge(
          verdicts,
          lines,
          'flood ack p99 < 50 ms',
          ou.ackP99 < 50 && ou.failed === 0,
          `${f(ou.ackP99, 2)} ms`,
        );
        judge(
          verdicts,
          lines,
          'flood drained within 10 s',
          ou.drainSeconds <= 10 && ou.lost === 0,
          `${f(ou.drainSeconds)} s, ${ou.lost} never answered`,
        );
      }
      judge(
        verdicts,
        lines,
        'peak RSS < 250 MB in every case',
        Math.max(...rssVerdict) < 250,
        `${rssVerdict.map((v) => f(v, 0)).join(', ')} MB`,
      );
      console.log(lines.join('\n'));
    }
    console.log(
      `\nsummary over ${RUNS} run(s) (target: met in at least ${Math.ceil(0.8 * RUNS)} of ${RUNS}):`,
    );
    for (const [key, results] of verdicts) {
      const met = results.filter(Boolean).length;
      console.log(
        `  ${met >= Math.ceil(0.8 * results.length) ? 'MET    ' : 'NOT MET'}  ${key}: met in ${met} of ${results.length}`,
      );
    }
    console.log(
      `app peak RSS over the whole bench (VmHWM): ${f(procStatusKb(app.pid!, 'VmHWM') / 1024, 0)} MB`,
    );
  } finally {
    for (const agent of agents.values()) agent.destroy();
    for (const child of children.reverse()) child.kill('SIGTERM');
    await sleep(1500);
    redis?.disconnect();
    if (ownRedis) ownRedis.kill('SIGTERM');
    else if (redisUrl) await forgetPrefix(redisUrl, prefix);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
