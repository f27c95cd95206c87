import Redis from 'ioredis';
import { TgUserContexts } from '../../src/gateway/webhook/tg-user-contexts';
import { journalLength } from '../../src/gateway/webhook/update-journal';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId, RecordingBot } from '../support/telegram-updates';
import type { Update } from 'telegraf/types';
import { until } from '../support/until';

const SECRET = 'stall-secret';
const STALL_MS = 3000;
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Redis stays frozen this long: the event under test. */
const stallFor = wait;
/** A handler's own work. */
const busyFor = wait;
/** Telegram waits a little before it sends an unanswered update again. */
const pauseBeforeRetry = () => wait(250);

describe('a Redis stall during a burst of updates', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let bot: RecordingBot;

  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    t = await TestApp.start({ REDIS_URL: proxy.url, TG_WEBHOOK_SECRET: SECRET, TG_RATE_LIMIT: '1000' });
    bot = new RecordingBot(t);
  });
  afterAll(async () => {
    proxy.thaw();
    await t.stop();
    await proxy.stop();
  });

  const post = (update: Update) =>
    t.request('POST', '/tg/webhook', {
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      payload: JSON.stringify(update),
    });
  /** Telegram's side: the same update again (after a pause) until it is answered 200. */
  const deliver = async (update: Update): Promise<number> => {
    for (let attempt = 1; ; attempt++) {
      if ((await post(update)).status === 200) return attempt;
      await pauseBeforeRetry();
    }
  };

  it(`stalled ${STALL_MS / 1000} s: every update is handled exactly once, without a restart`, async () => {
    bot.behaviour = () => busyFor(5);
    // Steady state first: the journal read at start has caught up and updates go straight to memory.
    const warmUp = messageUpdate({ userId: newTgUserId() });
    await deliver(warmUp);
    await until(() => bot.of(warmUp.update_id)?.endedAt !== undefined, 5000, 'warm-up handled');
    const users = Array.from({ length: 10 }, () => newTgUserId());
    const round = () => users.map((userId) => messageUpdate({ userId }));
    const before = round();
    const during = [...round(), ...round(), ...round()];
    const after = round();

    const first = before.map(deliver);
    proxy.freeze();
    const stalled = during.map(deliver);
    await stallFor(STALL_MS);
    proxy.thaw();
    const thawedAt = performance.now();
    const attempts = await Promise.all([...first, ...stalled, ...after.map(deliver)]);
    // The stall was real: updates sent during it were refused at first and only accepted on a retry.
    expect(Math.max(...attempts)).toBeGreaterThan(1);

    const all = [...before, ...during, ...after].map((u) => u.update_id);
    await until(() => all.every((id) => bot.of(id)?.endedAt !== undefined), 15000, 'every update handled');
    const recoveredMs = performance.now() - thawedAt;
    const handled = bot.ids().filter((id) => all.includes(id));
    expect(handled.length).toBe(all.length);
    expect(new Set(handled).size).toBe(all.length);
    // Nothing is left to be taken again later: every entry is out of the journal.
    const redis = new Redis(TEST_REDIS_URL, { keyPrefix: t.config.redisPrefix });
    try {
      await until(async () => (await journalLength(redis)) === 0, 5000, 'journal emptied');
    } finally {
      redis.disconnect();
    }
    expect(bot.ids().filter((id) => all.includes(id))).toHaveLength(all.length);
    // Found by the lost admissions' own recovery, not by a periodic sweep or a restart.
    expect(recoveredMs).toBeLessThan(3000);
  }, 60_000);

  it('an update whose user could not be resolved stays journaled and is processed later, without a restart', async () => {
    const contexts = t.get(TgUserContexts);
    const resolve = contexts.resolve.bind(contexts);
    const userId = newTgUserId();
    const update = messageUpdate({ userId });
    let failures = 0;
    const spy = jest.spyOn(contexts, 'resolve').mockImplementation((from) => {
      // The first attempt and its three quick retries fail, as while the database is unreachable.
      if (from.id === userId && failures < 4) {
        failures++;
        return Promise.reject(new Error('database unreachable'));
      }
      return resolve(from);
    });
    try {
      expect(await deliver(update)).toBe(1);
      await until(() => failures === 4, 10_000, 'given up for now');
      expect(bot.of(update.update_id)).toBeUndefined();
      await until(() => bot.of(update.update_id)?.endedAt !== undefined, 10_000, 'handled on a sweep');
    } finally {
      spy.mockRestore();
    }
  }, 30_000);
});
