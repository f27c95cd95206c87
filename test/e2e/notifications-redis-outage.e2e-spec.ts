import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { BookingsApi, OutboxApi, UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { P2P_QUEUE } from '../../src/notifications/delivery/notification-queues';
import { OutboxRelay } from '../../src/notifications/delivery/outbox-relay';
import { seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { until } from '../support/until';

const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';

describe('notifications survive a Redis outage (the outbox holds them)', () => {
  let fake: FakeTelegramApi;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    const target = new URL(TEST_REDIS_URL);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    t = await TestApp.start({
      REDIS_URL: proxy.url,
      BOT_TOKEN: '123456:TEST-token_ABCDEFGHIJKLMNOP',
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => NOW);
  });
  afterAll(async () => {
    await proxy.restore();
    await t.stop();
    await proxy.stop();
    await fake.stop();
  });

  it('a booking made while Redis is down is notified once Redis is back, not before and not lost', async () => {
    await setBusinessSettings(t, {
      autoConfirm: true,
      cancellationCutoffMin: 120,
      minNoticeMin: 60,
      horizonDays: 60,
    });
    const salon = await seedSalon(t, { specialists: 1, tokens: false });
    const client = await t
      .get(UsersApi)
      .create(SYSTEM_ACTOR, { name: 'Offline Olga', role: 'client', tgId: 424242 });
    const relay = t.get(OutboxRelay);
    await relay.relay(); // whatever the fixtures queued is out of the way
    const p2p = t.get<Queue>(getQueueToken(P2P_QUEUE) as never);
    // Each connect of the queue's that Redis refuses: what an outage is, seen from the app.
    let refused = 0;
    const countRefused = () => refused++;
    p2p.on('error', countRefused);

    await proxy.cut();
    const booking = await t.get(BookingsApi).create(
      { userId: client.id, role: 'client', clientType: 'public' },
      {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt: AT_10,
      },
    );
    // The relay fails while Redis is away (the event stays in the outbox); its timer tries again every
    // second. The outage lasts while BullMQ's connection is refused three times more.
    await relay.relay().then(
      () => Promise.reject(new Error('the relay should have failed without Redis')),
      () => undefined,
    );
    const before = refused;
    await until(() => refused >= before + 3, 10_000, 'three refused reconnects');
    p2p.off('error', countRefused);

    // Still in the outbox, nothing sent: BullMQ could not take it.
    const pending = await t.get(OutboxApi).pending();
    expect(pending.map((e) => e.bookingId)).toContain(booking.id);
    expect(fake.textsTo(424242)).toEqual([]);

    await proxy.restore();
    await until(() => fake.textsTo(424242).length > 0, 10_000, 'the notification sent');
    expect(fake.textsTo(424242)).toHaveLength(1);
    expect((await t.get(OutboxApi).pending()).map((e) => e.bookingId)).not.toContain(booking.id);
  });
});
