/**
 * The bot under a crowd (issue 11, item 5). Build and run:
 *   npx nest build && node dist/bench/bot.bench.js
 *
 * The app (dist/src/main.js in webhook mode, real Redis under a throwaway prefix, temp SQLite) answers
 * through a fake Bot API that lives in this process, beside the generator. BENCH_CLIENTS (200) clients
 * start at once and each does a whole booking in 8 updates, each sent when the previous screen has
 * reached the fake API:
 *   1 /start book_<location> (deep link: menu + services)   2 service   3 specialist   4 day
 *   5 time (card)   6 Confirm (booked)   7 "My bookings" (reply keyboard)   8 the booking's card
 * A step's latency runs from its POST until the screen it asked for reaches the fake API (what the
 * user waits for). A time taken meanwhile shows fresh times: the client picks another (counted).
 * Prints per-step p50/p99, bookings per second, the app's CPU time per update and the checks: 0 errors,
 * 0 double bookings. Target: step p99 < 100 ms.
 *
 * BENCH_THINK_MS (0) is a user's pause before each step after the first (uniform in 0.5x..1.5x): 0 sends
 * the next step the moment the screen arrives (a closed loop: latency then measures the queue of 200
 * chats, i.e. throughput); 1000 is a person tapping about once a second, the shape of issue 17's load.
 * BENCH_RAMP_MS (0) spreads the clients' first updates evenly over that time instead of one instant.
 * BENCH_LOCKSTEP=1 holds every client at each step until all have finished the one before, and prints the
 * app's CPU per update of each step (where a booking's CPU goes; latencies then measure a burst of 200).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, productionNodeFlags, rest, waitHealthy } from './app-process';
import type { InlineKeyboardButton } from 'telegraf/types';
import { loadConfig } from '../src/config/app-config';
import { initAdmin } from '../scripts/init-admin';
import { FakeTelegramApi, RecordedCall } from '../test/support/fake-telegram-api';
import { forgetPrefix } from '../test/support/redis-prefix';

const TOKEN = '424242:BENCH-bot_ABCDEFGHIJKLMNOPQRSTU';
const SECRET = 'bench-bot-secret';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const SPECIALISTS = Number(process.env.BENCH_SPECIALISTS ?? 8);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
const RAMP_MS = Number(process.env.BENCH_RAMP_MS ?? 0);
const LOCKSTEP = process.env.BENCH_LOCKSTEP === '1';
const STEP_TIMEOUT_MS = 30_000;
const TARGET_P99_MS = 100;
const STEPS = [
  '/start book_',
  'service',
  'specialist',
  'day',
  'time',
  'confirm',
  'my bookings',
  'card',
] as const;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

interface Screen {
  messageId: number;
  text: string;
  buttons: InlineKeyboardButton.CallbackButton[];
}

/** Follows what the bot shows each chat: resolves a step when a screen (sent or edited) reaches the fake API. */
class Screens {
  private readonly waiting = new Map<number, (screen: Screen) => void>();

  constructor(fake: FakeTelegramApi) {
    fake.onAnswered = (call) => this.seen(call);
  }

  next(chatId: number): Promise<Screen> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`chat ${chatId}: no screen in ${STEP_TIMEOUT_MS} ms`)),
        STEP_TIMEOUT_MS,
      );
      this.waiting.set(chatId, (screen) => {
        clearTimeout(timer);
        resolve(screen);
      });
    });
  }

  private seen(call: RecordedCall): void {
    if (call.method !== 'sendMessage' && call.method !== 'editMessageText') return;
    const keyboard = call.params.reply_markup?.inline_keyboard as InlineKeyboardButton[][] | undefined;
    // The reply-keyboard anchor and plain texts are not screens.
    if (!keyboard?.length) return;
    const chatId = Number(call.params.chat_id);
    const resolve = this.waiting.get(chatId);
    if (!resolve) return;
    this.waiting.delete(chatId);
    const messageId =
      call.method === 'sendMessage'
        ? (call.result as { message_id: number }).message_id
        : Number(call.params.message_id);
    resolve({
      messageId,
      text: String(call.params.text),
      buttons: keyboard.flat() as InlineKeyboardButton.CallbackButton[],
    });
  }
}

/** BENCH_LOCKSTEP: step n starts for all clients once every client still running has finished step n-1. */
class Lockstep {
  private arrived = 0;
  private waiting: (() => void)[] = [];
  private mark: { cpu: number; updates: number } | undefined;
  /** The app's CPU time and updates from one release to the next: step by step. */
  readonly steps: { cpu: number; updates: number }[] = [];

  constructor(
    private running: number,
    private readonly pid: number,
    private readonly updates: () => number,
  ) {}

  reach(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.arrived++;
      this.release();
    });
  }

  /** A client that failed or finished no longer holds the others. */
  leave(): void {
    this.running--;
    this.release();
  }

  private release(): void {
    if (this.arrived < this.running || this.waiting.length === 0) return;
    const now = { cpu: cpuMs(this.pid), updates: this.updates() };
    if (this.mark)
      this.steps.push({ cpu: now.cpu - this.mark.cpu, updates: now.updates - this.mark.updates });
    this.mark = now;
    this.arrived = 0;
    const go = this.waiting;
    this.waiting = [];
    for (const resolve of go) resolve();
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 40 });

function post(port: number, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/tg/webhook',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-telegram-bot-api-secret-token': SECRET,
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

let nextUpdateId = 5_000_000;

class Client {
  readonly latencies: number[][] = STEPS.map(() => []);
  retries = 0;
  booked = false;
  private reached = -1;

  constructor(
    readonly chatId: number,
    private readonly index: number,
    private readonly port: number,
    private readonly screens: Screens,
    private readonly lockstep?: Lockstep,
  ) {}

  private from() {
    return { id: this.chatId, is_bot: false, first_name: `Client ${this.index}`, language_code: 'en' };
  }

  private async step(step: number, update: Record<string, unknown>): Promise<Screen> {
    // A time picked again after "taken meanwhile" repeats steps 5 and 6 without waiting for the others.
    if (this.lockstep && step > this.reached) {
      this.reached = step;
      await this.lockstep.reach();
    }
    if (THINK_MS > 0 && step > 0) await new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));
    const shown = this.screens.next(this.chatId);
    const started = performance.now();
    const status = await post(this.port, { update_id: nextUpdateId++, ...update });
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    const screen = await shown;
    this.latencies[step].push(performance.now() - started);
    return screen;
  }

  private text(step: number, text: string): Promise<Screen> {
    const entities = text.startsWith('/')
      ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }]
      : undefined;
    return this.step(step, {
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.chatId, type: 'private' },
        from: this.from(),
        text,
        entities,
      },
    });
  }

  private press(step: number, screen: Screen, button: InlineKeyboardButton.CallbackButton): Promise<Screen> {
    return this.step(step, {
      callback_query: {
        id: `q${nextUpdateId}`,
        chat_instance: 'bench',
        from: this.from(),
        data: button.callback_data,
        message: {
          message_id: screen.messageId,
          date: 0,
          chat: { id: this.chatId, type: 'private' },
          text: screen.text,
        },
      },
    });
  }

  private pick(screen: Screen, test: RegExp, nth: number): InlineKeyboardButton.CallbackButton {
    const found = screen.buttons.filter((b) => test.test(b.text));
    if (!found.length)
      throw new Error(`chat ${this.chatId}: no button ${test} on "${screen.text.slice(0, 60)}"`);
    return found[nth % found.length];
  }

  async book(locationId: number, delayMs = 0): Promise<void> {
    try {
      await this.booking(locationId, delayMs);
      await this.lockstep?.reach();
    } finally {
      this.lockstep?.leave();
    }
  }

  private async booking(locationId: number, delayMs: number): Promise<void> {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    let screen = await this.text(0, `/start book_${locationId}`);
    screen = await this.press(1, screen, this.pick(screen, /^Haircut/, 0));
    screen = await this.press(2, screen, this.pick(screen, /^Specialist /, this.index));
    const calendar = screen;
    screen = await this.press(
      3,
      calendar,
      this.pick(calendar, /^\d{1,2}$/, Math.floor(this.index / SPECIALISTS)),
    );
    let attempt = 0;
    for (;;) {
      const card = await this.press(4, screen, this.pick(screen, /^\d\d:\d\d$/, this.index + attempt * 7));
      screen = await this.press(5, card, this.pick(card, /Confirm/, 0));
      if (screen.text.startsWith('✅ Booked')) break;
      // Taken meanwhile: the fresh times of that day are shown; another one is picked.
      this.retries++;
      attempt++;
      if (attempt > 20) throw new Error(`chat ${this.chatId}: no time could be booked`);
    }
    this.booked = true;
    screen = await this.text(6, '🗓 My bookings');
    await this.press(7, screen, this.pick(screen, /Haircut/, 0));
  }
}

/** Two live bookings of one specialist that overlap in time: must be none. */
function doubleBookings(bookings: { specialistId: number; startAt: string; endAt: string }[]): number {
  let overlaps = 0;
  const bySpecialist = new Map<number, { start: number; end: number }[]>();
  for (const b of bookings) {
    const list = bySpecialist.get(b.specialistId) ?? [];
    list.push({ start: Date.parse(b.startAt), end: Date.parse(b.endAt) });
    bySpecialist.set(b.specialistId, list);
  }
  for (const list of bySpecialist.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) if (list[i].start < list[i - 1].end) overlaps++;
  }
  return overlaps;
}

/** A process's CPU time (user + system) so far, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const { user, system } = cpuSplitMs(pid);
  return user + system;
}

/** User and system (kernel: socket writes and reads) CPU time so far. */
function cpuSplitMs(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'salon-bench-bot-'));
  const prefix = `bench:${randomBytes(5).toString('hex')}:`;
  const fake = await FakeTelegramApi.start();
  fake.recordLimit = 1000;
  const env = {
    SQLITE_PATH: join(dir, 'booking.db'),
    REDIS_URL,
    REDIS_PREFIX: prefix,
    BOT_TOKEN: TOKEN,
    PUBLIC_URL: 'https://bench.invalid',
    TG_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const port = await freePort();
  // BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app under this load.
  const nodeArgs = [
    ...productionNodeFlags(),
    ...(process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const app = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', 'src', 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitHealthy(port, app);
    const { token } = await initAdmin(
      loadConfig({ ...env, NODE_ENV: 'production' }),
      4_000_000_001,
      'Bench admin',
    );
    const location = await rest(port, token, 'POST', '/locations', {
      name: 'Bench salon',
      timeZone: 'Europe/Berlin',
    });
    const service = await rest(port, token, 'POST', '/services', {
      name: 'Haircut',
      durationMin: 60,
      price: 3500,
    });
    for (let i = 0; i < SPECIALISTS; i++) {
      const specialist = await rest(port, token, 'POST', '/specialists', {
        user: { name: `Specialist ${i}` },
        locationIds: [location.id],
        services: [{ serviceId: service.id }],
      });
      const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 8 * 60, endMin: 20 * 60 }));
      await rest(
        port,
        token,
        'PUT',
        `/specialists/${specialist.id}/schedule?locationId=${location.id}`,
        week,
      );
    }

    const screens = new Screens(fake);
    const updatesSoFar = () => clients.reduce((n, c) => n + c.latencies.reduce((m, l) => m + l.length, 0), 0);
    const lockstep = LOCKSTEP ? new Lockstep(CLIENTS, app.pid!, updatesSoFar) : undefined;
    const clients: Client[] = Array.from(
      { length: CLIENTS },
      (_, i) => new Client(3_000_000_000 + i, i, port, screens, lockstep),
    );
    // Warm-up: a few bookings so the first requests do not pay for JIT and connections.
    const warm = Array.from(
      { length: 5 },
      (_, i) => new Client(3_900_000_000 + i, CLIENTS + i, port, screens),
    );
    await Promise.all(warm.map((c) => c.book(location.id)));

    console.log(`${CLIENTS} clients, ${SPECIALISTS} specialists, app :${port}, fake Bot API ${fake.apiRoot}`);
    const started = performance.now();
    const cpuBefore = cpuSplitMs(app.pid!);
    const outcomes = await Promise.allSettled(
      clients.map((c, i) => c.book(location.id, (i * RAMP_MS) / CLIENTS)),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSplitMs(app.pid!);
    const systemCpu = cpuAfter.system - cpuBefore.system;
    const cpu = cpuAfter.user - cpuBefore.user + systemCpu;
    const errors = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    const booked = clients.filter((c) => c.booked).length;
    const retries = clients.reduce((n, c) => n + c.retries, 0);
    const updates = updatesSoFar();

    let worstP99 = 0;
    for (let s = 0; s < STEPS.length; s++) {
      const all = clients.flatMap((c) => c.latencies[s]).sort((a, b) => a - b);
      worstP99 = Math.max(worstP99, pct(all, 99));
      console.log(
        `step ${s + 1} ${STEPS[s].padEnd(14)} n=${String(all.length).padStart(4)}  p50 ${pct(all, 50).toFixed(1)} ms  p99 ${pct(all, 99).toFixed(1)} ms  max ${all[all.length - 1]?.toFixed(1)} ms`,
      );
    }
    lockstep?.steps.forEach(({ cpu, updates: n }, s) =>
      console.log(
        `lockstep: step ${s + 1} ${STEPS[s].padEnd(14)} app CPU ${cpu} ms for ${n} updates: ${(cpu / n).toFixed(2)} ms per update`,
      ),
    );
    const stored: { specialistId: number; startAt: string; endAt: string; status: string }[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await rest(
        port,
        token,
        'GET',
        `/bookings?limit=200&offset=${offset}&status=pending,confirmed`,
      );
      stored.push(...page.items);
      if (stored.length >= page.total) break;
    }
    const doubles = doubleBookings(stored);
    console.log(
      `${booked} bookings in ${seconds.toFixed(2)} s: ${(booked / seconds).toFixed(1)} bookings/s; ${retries} times picked again after "taken meanwhile"`,
    );
    console.log(
      `app CPU ${cpu.toFixed(0)} ms for ${updates} updates: ${(cpu / updates).toFixed(2)} ms per update (${((cpu / 1000 / seconds) * 100).toFixed(0)} % of one core; ${((systemCpu / cpu) * 100).toFixed(0)} % of it in the kernel); think time ${THINK_MS} ms, ramp ${RAMP_MS} ms`,
    );
    console.log(
      `stored live bookings ${stored.length} (${booked + warm.length} expected), double bookings ${doubles}, errors ${errors.length}`,
    );
    for (const e of errors.slice(0, 5)) console.log(`  error: ${(e.reason as Error).message}`);
    const ok =
      worstP99 < TARGET_P99_MS &&
      errors.length === 0 &&
      doubles === 0 &&
      stored.length === booked + warm.length;
    console.log(
      `${ok ? 'PASS' : 'MISS'}  worst step p99 ${worstP99.toFixed(1)} ms (target < ${TARGET_P99_MS} ms, ratio ${(worstP99 / TARGET_P99_MS).toFixed(2)}), 0 errors and 0 double bookings required`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
    await fake.stop();
    await forgetPrefix(REDIS_URL, prefix);
    rmSync(dir, { recursive: true, force: true });
    agent.destroy();
  }
}

void main();
