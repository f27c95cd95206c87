import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { RedisService } from '../../src/infra/redis/redis.service';
import { OutboxRelay } from '../../src/notifications/delivery/outbox-relay';
import { P2pProcessor } from '../../src/notifications/delivery/p2p.processor';
import {
  bookOver,
  clientWithToken,
  SalonFixture,
  seedSalon,
  setBusinessSettings,
} from '../support/booking-fixtures';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

const TOKEN = '123456:ORDER-token_ABCDEFGHIJKLMNOP';
const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';

describe("notifications: a chat hears of a booking's events in their order", () => {
  let fake: FakeTelegramApi;
  let t: TestApp;
  let salon: SalonFixture;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    t = await TestApp.start({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot });
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => NOW);
    await setBusinessSettings(t, {
      autoConfirm: false,
      cancellationCutoffMin: 120,
      minNoticeMin: 60,
      horizonDays: 60,
    });
    admin = await t.userWithToken('admin', 'Olga Admin');
    salon = await seedSalon(t, { specialists: 1 });
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });

  const p2p = () => t.get<Queue>(getQueueToken('p2p') as never);
  /** What reached the chat: messages the fake accepted (a failed attempt is not shown to the user). */
  const shown = (chat: number) =>
    fake
      .callsOf('sendMessage')
      .filter((c) => Number(c.params.chat_id) === chat && c.result !== undefined)
      .map((c) => String(c.params.text));
  const tgIdOf = async (userId: number) => (await t.get(UsersApi).get(SYSTEM_ACTOR, userId)).tgId!;

  /** Booked, confirmed and cancelled before the relay runs: three events for the client's chat at once. */
  async function threeEvents(client: { token: string }): Promise<void> {
    const created = await bookOver(t, salon, client.token, AT_10);
    expect(created.status).toBe(201);
    const path = `/api/v1/bookings/${created.body.id}`;
    expect((await t.request('POST', `${path}/confirm`, { token: admin.token })).status).toBe(200);
    const cancelled = await t.request('POST', `${path}/cancel`, {
      token: admin.token,
      body: { reason: 'ill' },
    });
    expect(cancelled.status).toBe(200);
  }

  it('received, confirmed, cancelled arrive in that order although the first one failed once and waited for its retry', async () => {
    const client = await clientWithToken(t);
    await t.get(UsersApi).update(SYSTEM_ACTOR, client.id, { language: 'en' });
    const chat = await tgIdOf(client.id);
    // The first message to the client's chat meets a 502: its retry comes a second later (backoff).
    fake.fail('sendMessage', { kind: 'server_error', status: 502 }, 1, chat);

    await threeEvents(client);
    await t.get(OutboxRelay).relay();

    await until(async () => expect(shown(chat)).toHaveLength(3), 15_000);
    expect(shown(chat)).toEqual([
      expect.stringMatching(/^Your booking is received/),
      expect.stringMatching(/^Your booking is confirmed/),
      expect.stringMatching(/^Your booking was cancelled/),
    ]);
    // The failed attempt was the "received" one: the order above is the retry's doing, not luck.
    const attempts = fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chat);
    expect(attempts).toHaveLength(4);
    expect(String(attempts[0].params.text)).toMatch(/^Your booking is received/);
  }, 30_000);

  it('ten clients at once: every chat in order, and the order state is cleaned up behind them', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => clientWithToken(t)));
    const chats = await Promise.all(clients.map((c) => tgIdOf(c.id)));
    for (const client of clients) await threeEvents(client);
    await t.get(OutboxRelay).relay();

    for (const chat of chats) {
      await until(async () => expect(fake.textsTo(chat)).toHaveLength(3), 15_000);
      expect(shown(chat).map((text) => text.split(':')[0])).toEqual([
        expect.stringMatching(/received|принята/i),
        expect.stringMatching(/confirmed|подтверждена/i),
        expect.stringMatching(/cancelled|отменена/i),
      ]);
    }
    await until(async () => {
      const counts = await p2p().getJobCounts('waiting', 'active', 'delayed');
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    });
    const redis = t.get(RedisService).client;
    expect(await redis.zcard('notify:unfanned')).toBe(0);
    for (const chat of chats) expect(await redis.zcard(`notify:chat:${chat}`)).toBe(0);
  }, 60_000);

  it('a message waiting behind an older one in its chat goes when that one is sent, not after a timeout', async () => {
    // The safety net for a lost wake-up made longer than this test may take: only the hand-over can wake them.
    const parked = P2pProcessor.parkedMs;
    P2pProcessor.parkedMs = 10 * 60_000;
    try {
      const client = await clientWithToken(t);
      const chat = await tgIdOf(client.id);
      await threeEvents(client);
      await t.get(OutboxRelay).relay();
      await until(async () => expect(fake.textsTo(chat)).toHaveLength(3), 20_000);
      expect(shown(chat).map((text) => text.split(':')[0])).toEqual([
        expect.stringMatching(/received|принята/i),
        expect.stringMatching(/confirmed|подтверждена/i),
        expect.stringMatching(/cancelled|отменена/i),
      ]);
    } finally {
      P2pProcessor.parkedMs = parked;
    }
  }, 30_000);

  it('a committed booking is relayed at once by its own instance, not at the next tick of the relay', async () => {
    const relay = t.get(OutboxRelay) as unknown as { timer: NodeJS.Timeout };
    // Only the nudge of the commit is left to relay it: the timer is stopped for this test.
    clearInterval(relay.timer);
    const client = await clientWithToken(t);
    const chat = await tgIdOf(client.id);
    expect((await bookOver(t, salon, client.token, '2026-03-24T09:00:00.000Z')).status).toBe(201);
    await until(async () => expect(shown(chat)).toHaveLength(1), 5000);
  });
});
