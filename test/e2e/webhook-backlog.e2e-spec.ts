import Redis from 'ioredis';
import { TelegramGatewayService } from '../../src/gateway/webhook/telegram-gateway.service';
import { journalLength } from '../../src/gateway/webhook/update-journal';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId, RecordingBot } from '../support/telegram-updates';
import { until } from '../support/until';

const SECRET = 'backlog-secret';
const LIMIT = 4;
/** A handler's own work, so the updates pile up. */
const busyFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('updates beyond the in-memory backlog wait in the journal', () => {
  let t: TestApp;
  let bot: RecordingBot;
  let redis: Redis;

  beforeAll(async () => {
    t = await TestApp.start({
      TG_WEBHOOK_SECRET: SECRET,
      TG_BACKLOG_IN_MEMORY: String(LIMIT),
      TG_CONCURRENCY: '2',
      TG_RATE_LIMIT: '1000',
    });
    bot = new RecordingBot(t);
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: t.config.redisPrefix });
  });
  afterAll(async () => {
    redis.disconnect();
    await t.stop();
  });

  const post = (update: unknown) =>
    t.request('POST', '/tg/webhook', {
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      payload: JSON.stringify(update),
    });

  it('processes every update once and in arrival order per chat, never holding more than the limit', async () => {
    const gateway = t.get(TelegramGatewayService);
    bot.behaviour = () => busyFor(4);
    let mostWaiting = 0;
    const watch = setInterval(() => (mostWaiting = Math.max(mostWaiting, gateway.waitingInMemory)), 1);

    const users = Array.from({ length: 6 }, () => newTgUserId());
    const sent: number[][] = users.map(() => []);
    // Ten rounds, one update per chat each, the six of a round at once: 60 updates for 2 workers.
    for (let round = 0; round < 10; round++) {
      const updates = users.map((userId) => messageUpdate({ userId, text: `round ${round}` }));
      const acks = await Promise.all(updates.map((u) => post(u)));
      expect(acks.map((a) => a.status)).toEqual(users.map(() => 200));
      updates.forEach((u, i) => sent[i].push(u.update_id));
    }
    const all = sent.flat();
    await until(() => all.every((id) => bot.of(id)?.endedAt !== undefined), 15000, 'all 60 handled');
    clearInterval(watch);

    const handled = bot.ids().filter((id) => all.includes(id));
    expect(handled).toHaveLength(all.length);
    expect(new Set(handled).size).toBe(all.length);
    users.forEach((_, i) => expect(handled.filter((id) => sent[i].includes(id))).toEqual(sent[i]));
    // The spill really happened, and memory stayed within the limit.
    expect(mostWaiting).toBe(LIMIT);
    await until(async () => (await journalLength(redis)) === 0, 5000, 'journal emptied');

    // Back below the limit, an update goes straight to memory again.
    const after = messageUpdate({ userId: newTgUserId() });
    expect((await post(after)).status).toBe(200);
    await until(() => bot.of(after.update_id)?.endedAt !== undefined, 5000, 'handled after the burst');
    bot.behaviour = async () => undefined;
  });
});
