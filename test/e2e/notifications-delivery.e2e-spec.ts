import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { OutboxRelay } from '../../src/notifications/delivery/outbox-relay';
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

const TOKEN = '123456:TEST-token_ABCDEFGHIJKLMNOP';
// Monday 2026-03-23 in Berlin is CET (UTC+1): 10:00 local = 09:00Z.
const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';
const AT_12 = '2026-03-23T11:00:00.000Z';

describe('notifications: booking events reach Telegram through the outbox and the p2p queue', () => {
  let fake: FakeTelegramApi;
  let t: TestApp;
  let salon: SalonFixture;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    // Long polling (no PUBLIC_URL) against the fake: the bot is real, only Telegram is not.
    t = await TestApp.start({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot });
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => NOW);
    await setBusinessSettings(t, {
      autoConfirm: true,
      cancellationCutoffMin: 120,
      minNoticeMin: 60,
      horizonDays: 60,
    });
    admin = await t.userWithToken('admin', 'Olga Admin');
  });
  beforeEach(async () => {
    await settled();
    fake.reset();
    salon = await seedSalon(t, { specialists: 1 });
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });

  const p2p = () => t.get<Queue>(getQueueToken('p2p') as never);
  const dead = () => t.get<Queue>(getQueueToken('p2p-dead') as never);
  const tgIdOf = async (userId: number) => (await t.get(UsersApi).get(SYSTEM_ACTOR, userId)).tgId!;
  const book = (token: string, startAt = AT_10) => bookOver(t, salon, token, startAt);
  const textsTo = async (userId: number) => fake.textsTo(await tgIdOf(userId));
  /** Nothing waiting, running or delayed in p2p: every message that was going to be sent has been. */
  const settled = () =>
    until(async () => {
      const counts = await p2p().getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    }, 15000);

  it('a client books: the client gets a confirmation, the specialist and the admin a new-booking message, each in their language', async () => {
    const client = await clientWithToken(t);
    await t.get(UsersApi).update(SYSTEM_ACTOR, client.id, { language: 'en' });

    expect((await book(client.token)).status).toBe(201);
    await t.get(OutboxRelay).relay();

    await until(async () => expect(await textsTo(admin.id)).toHaveLength(1));
    await until(async () => expect(await textsTo(client.id)).toHaveLength(1));
    await until(async () => expect(await textsTo(salon.specialists[0].userId)).toHaveLength(1));
    const [toClient] = await textsTo(client.id);
    expect(toClient).toMatch(
      /^Your booking is received: Cut 60 with specialist \w+, Mon 23 March at 10:00, Salon \w+\.$/,
    );
    const [toAdmin] = await textsTo(admin.id);
    expect(toAdmin).toMatch(
      /^Новая запись: client \w+, Cut 60, мастер specialist \w+, пн, 23 марта в 10:00, Salon \w+\.$/,
    );
  });

  it('the initiator hears nothing of their own cancellation; the others do, with the reason', async () => {
    const client = await clientWithToken(t);
    const created = await book(client.token, AT_12);
    await t.get(OutboxRelay).relay();
    await until(async () => expect(await textsTo(admin.id)).toHaveLength(1));
    fake.reset();

    const cancelled = await t.request('POST', `/api/v1/bookings/${created.body.id}/cancel`, {
      token: admin.token,
      body: { reason: 'the specialist is ill' },
    });
    expect(cancelled.status).toBe(200);
    await t.get(OutboxRelay).relay();

    await until(async () => expect(await textsTo(client.id)).toHaveLength(1));
    await until(async () => expect(await textsTo(salon.specialists[0].userId)).toHaveLength(1));
    expect((await textsTo(client.id))[0]).toMatch(
      /^Ваша запись отменена: Cut 60, мастер specialist \w+, пн, 23 марта в 12:00\.\nПричина: the specialist is ill$/,
    );
    // Let the queue settle, then check that the admin who cancelled heard nothing.
    await settled();
    expect(await textsTo(admin.id)).toEqual([]);
  });

  it('a notification setting turned off silences that recipient role; an ad template is appended', async () => {
    const ad = await t.request('POST', '/api/v1/ad-templates', {
      token: admin.token,
      body: { name: 'spring', textRu: 'Весной скидка 10%', textEn: '10% off in spring', active: true },
    });
    expect(ad.status).toBe(201);
    const put = (recipientRole: string, body: Record<string, unknown>) =>
      t.request('PUT', '/api/v1/notification-settings', {
        token: admin.token,
        body: { eventType: 'booking_created', recipientRole, channel: 'telegram', ...body },
      });
    expect((await put('admin', { enabled: false })).status).toBe(200);
    expect((await put('client', { enabled: true, adTemplateId: ad.body.id })).status).toBe(200);
    try {
      const client = await clientWithToken(t);
      await book(client.token);
      await t.get(OutboxRelay).relay();

      await until(async () => expect(await textsTo(client.id)).toHaveLength(1));
      expect((await textsTo(client.id))[0]).toMatch(/\n\nВесной скидка 10%$/);
      await until(async () => expect(await textsTo(salon.specialists[0].userId)).toHaveLength(1));
      await settled();
      expect(await textsTo(admin.id)).toEqual([]);
    } finally {
      await put('admin', { enabled: true });
      await put('client', { enabled: true, adTemplateId: null });
    }
  });

  it('Telegram 429 is waited out (retry_after) and the message still arrives once', async () => {
    const client = await clientWithToken(t);
    const clientChat = await tgIdOf(client.id);
    fake.fail('sendMessage', { kind: 'too_many_requests', retryAfter: 1 }, 1);

    await book(client.token);
    await t.get(OutboxRelay).relay();

    await until(async () => expect(fake.textsTo(clientChat)).toHaveLength(1), 8000);
    await settled();
    // One call refused with 429 and sent again a second later: 4 calls, one message each.
    const calls = fake.callsOf('sendMessage');
    expect(calls).toHaveLength(4);
    const chats = calls.map((c) => Number(c.params.chat_id));
    const [refused] = chats;
    expect(chats.filter((chat) => chat === refused)).toHaveLength(2);
    expect(new Set(chats)).toEqual(
      new Set([clientChat, await tgIdOf(admin.id), await tgIdOf(salon.specialists[0].userId)]),
    );
    expect(calls[chats.lastIndexOf(refused)].at - calls[0].at).toBeGreaterThanOrEqual(1000);
  });

  it('a bot blocked by the user (403) is not retried and is no dead letter; a 5xx is retried, then dead-lettered', async () => {
    const client = await clientWithToken(t);
    const clientChat = await tgIdOf(client.id);
    const deadBefore = await dead().count();
    fake.fail('sendMessage', { kind: 'server_error', status: 502 });

    await book(client.token);
    await t.get(OutboxRelay).relay();

    // 3 recipients x 3 attempts (1 s, then 2 s of backoff), then each goes to p2p-dead.
    await until(async () => expect(await dead().count()).toBe(deadBefore + 3), 15000);
    expect(fake.callsOf('sendMessage')).toHaveLength(9);
    const letters = await dead().getJobs(['waiting', 'completed', 'active', 'delayed', 'failed']);
    const letter = letters.find((j) => j.data.data.chatId === clientChat)!;
    expect(letter.data).toMatchObject({
      queue: 'p2p',
      name: 'deliver',
      attemptsMade: 3,
      reason: 'Bad Gateway',
    });

    fake.clearFailures();
    fake.reset();
    fake.fail('sendMessage', { kind: 'blocked' });
    const other = await clientWithToken(t);
    await book(other.token, AT_12);
    await t.get(OutboxRelay).relay();
    await until(async () => expect(fake.callsOf('sendMessage')).toHaveLength(3));
    await settled();
    expect(fake.callsOf('sendMessage')).toHaveLength(3);
    expect(await dead().count()).toBe(deadBefore + 3);
    fake.clearFailures();
  });

  it('relaying twice (a crash between queueing and marking, or two instances) notifies once', async () => {
    const client = await clientWithToken(t);
    const created = await book(client.token);
    const relay = t.get(OutboxRelay);
    await Promise.all([relay.relay(), relay.relay()]);
    const events = await p2p().getJobs(['waiting', 'active', 'completed', 'delayed']);
    const event = events.find((j) => j.name === 'event' && j.data.payload.booking.id === created.body.id)!;
    // The same event queued again under its id is a no-op.
    await p2p().add('event', event.data, { jobId: event.id });

    await until(async () => expect(await textsTo(client.id)).toHaveLength(1));
    await settled();
    expect(await textsTo(client.id)).toHaveLength(1);
  });
});
