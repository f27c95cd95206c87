import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MessageDelivery } from '../../src/notifications/delivery/message-delivery';
import type { DeliverJob } from '../../src/notifications/delivery/notification-queues';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TestApp } from '../support/test-app';
import { newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';

const TOKEN = '123456:SLOW-token_ABCDEFGHIJKLMNOP';

describe('notifications: a hung Telegram chat holds nobody else up', () => {
  let fake: FakeTelegramApi;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    t = await TestApp.start({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TG_API_TIMEOUT_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });
  afterEach(() => fake.clearFailures());

  const p2p = () => t.get<Queue>(getQueueToken('p2p') as never);
  const dead = () => t.get<Queue>(getQueueToken('p2p-dead') as never);
  let seq = 0;
  const message = (chatId: number, text: string): DeliverJob => ({
    ref: `slow-test-${++seq}`,
    eventType: 'broadcast',
    userId: chatId,
    role: 'client',
    channel: 'telegram',
    chatId,
    subscriptionId: null,
    title: '',
    text,
  });
  const send = (deliveries: DeliverJob[]) => t.get(MessageDelivery).enqueue(p2p(), deliveries);

  it('with 8 messages to a hung chat queued first, the other chats get theirs within a second', async () => {
    const hung = newTgUserId();
    const others = [newTgUserId(), newTgUserId(), newTgUserId()];
    fake.fail('sendMessage', { kind: 'slow', delayMs: 60_000 }, Infinity, hung);

    await send(Array.from({ length: 8 }, (_, i) => message(hung, `stuck ${i}`)));
    await fake.waitFor((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === hung);
    const queuedAt = Date.now();
    await send(others.map((chat) => message(chat, 'on time')));

    for (const chat of others) {
      const call = await fake.waitFor(
        (c) => c.method === 'sendMessage' && Number(c.params.chat_id) === chat,
        5000,
      );
      expect(call.at - queuedAt).toBeLessThan(1000);
    }
  }, 30_000);

  it('a call that times out is retried like a 5xx, then dead-lettered with the reason', async () => {
    const hung = newTgUserId();
    fake.fail('sendMessage', { kind: 'slow', delayMs: 60_000 }, Infinity, hung);
    const before = await dead().count();
    const job = message(hung, 'never answered');
    await send([job]);

    // 3 attempts of 1 s each, 1 s and 2 s of backoff between them.
    await until(async () => {
      const letters = await dead().getJobs(['waiting', 'completed', 'active', 'delayed', 'failed']);
      const letter = letters.find((l) => (l.data as { data: DeliverJob }).data.ref === job.ref);
      expect(letter?.data).toMatchObject({ attemptsMade: 3, reason: expect.stringMatching(/timeout/i) });
    }, 15_000);
    expect(await dead().count()).toBe(before + 1);
    expect(fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === hung)).toHaveLength(3);
  }, 30_000);
});
