import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MessageDelivery } from '../../src/notifications/delivery/message-delivery';
import type { DeadLetter, DeliverJob } from '../../src/notifications/delivery/notification-queues';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TestApp } from '../support/test-app';
import { newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';

describe('dead letters of jobs retried from Bull Board', () => {
  let fake: FakeTelegramApi;
  let t: TestApp;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    t = await TestApp.start({
      BOT_TOKEN: '123456:DEAD-token_ABCDEFGHIJKLMNOP',
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    admin = await t.userWithToken('admin');
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });
  afterEach(() => fake.clearFailures());

  const queue = (name: string) => t.get<Queue>(getQueueToken(name) as never);
  const letters = async (name: string) =>
    (await queue(`${name}-dead`).getJobs(['waiting', 'delayed', 'completed', 'failed'])).map(
      (j) => j.data as DeadLetter,
    );
  let seq = 0;
  const message = (chatId: number): DeliverJob => ({
    ref: `dead-test-${++seq}`,
    eventType: 'broadcast',
    userId: chatId,
    role: 'client',
    channel: 'telegram',
    chatId,
    subscriptionId: null,
    title: '',
    text: `message ${seq}`,
  });

  it.each(['p2p', 'broadcast'])(
    '%s: a job that failed for good and then succeeds on a retry from the dashboard leaves the dead-letter queue',
    async (name) => {
      const chat = newTgUserId();
      fake.fail('sendMessage', { kind: 'server_error', status: 502 }, Infinity, chat);
      const job = message(chat);
      await t.get(MessageDelivery).enqueue(queue(name), [job]);
      let jobId = '';
      await until(async () => {
        const letter = (await letters(name)).find((l) => (l.data as DeliverJob).ref === job.ref);
        expect(letter).toMatchObject({ queue: name, attemptsMade: 3, reason: 'Bad Gateway' });
        jobId = letter!.jobId!;
      }, 15_000);

      // Telegram works again; the admin presses "retry" on the failed job in Bull Board.
      fake.clearFailures();
      const retry = await t.request('PUT', `/admin/queues/api/queues/${name}/${jobId}/retry`, {
        token: admin.token,
      });
      expect(retry.status).toBe(204);
      // Three failed attempts, then the one that went through.
      await until(() => expect(fake.textsTo(chat)).toHaveLength(4), 10_000);
      await until(async () => {
        expect((await letters(name)).map((l) => l.jobId)).not.toContain(jobId);
      });
      expect(await queue(name).getJobState(jobId)).toBe('completed');
    },
    30_000,
  );

  it('a job that fails again after a retry keeps one dead letter, with the latest failure', async () => {
    const chat = newTgUserId();
    fake.fail('sendMessage', { kind: 'server_error', status: 502 }, Infinity, chat);
    const job = message(chat);
    await t.get(MessageDelivery).enqueue(queue('p2p'), [job]);
    const mine = async () => (await letters('p2p')).filter((l) => (l.data as DeliverJob).ref === job.ref);
    await until(async () => expect(await mine()).toHaveLength(1), 15_000);
    const [first] = await mine();

    fake.clearFailures();
    fake.fail('sendMessage', { kind: 'server_error', status: 500 }, Infinity, chat);
    await t.request('PUT', `/admin/queues/api/queues/p2p/${first.jobId}/retry`, {
      token: admin.token,
    });
    await until(async () => {
      const now = await mine();
      expect(now).toHaveLength(1);
      expect(now[0].reason).toBe('Internal Server Error');
    }, 15_000);
  }, 40_000);
});
