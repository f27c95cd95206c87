import { BookingsApi, OutboxApi, UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL, TestApp } from '../support/test-app';
import { until } from '../support/until';

const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';
/** Long enough for a growing reconnect backoff to reach seconds (BullMQ's own reached 8 s after 9 tries). */
const OUTAGE_MS = 12_000;
/** The outage's length is what this test is about (BullMQ's backoff grows with it): the one wait on time. */
const outageOf = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('notifications after a long Redis outage', () => {
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

  it(`the relay and the queues work again within 2 s of Redis coming back after ${OUTAGE_MS / 1000} s`, async () => {
    await setBusinessSettings(t, { autoConfirm: true, minNoticeMin: 60, horizonDays: 60 });
    const salon = await seedSalon(t, { specialists: 1, tokens: false });
    const tgId = 500000 + Math.floor(Math.random() * 1e6);
    const client = await t.get(UsersApi).create(SYSTEM_ACTOR, { name: 'Patient Pia', role: 'client', tgId });

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
    await outageOf(OUTAGE_MS);
    expect((await t.get(OutboxApi).pending()).map((e) => e.bookingId)).toContain(booking.id);

    await proxy.restore();
    const back = performance.now();
    await until(async () => {
      expect((await t.get(OutboxApi).pending()).map((e) => e.bookingId)).not.toContain(booking.id);
    }, 15_000);
    const relayedMs = performance.now() - back;
    await until(() => expect(fake.textsTo(tgId)).toHaveLength(1), 15_000);
    const deliveredMs = performance.now() - back;
    expect(Math.round(relayedMs)).toBeLessThanOrEqual(2000);
    expect(Math.round(deliveredMs)).toBeLessThanOrEqual(3000);
  }, 60_000);
});
