import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { createECDH, ECDH, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateVAPIDKeys } from 'web-push';
import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { SessionsApi } from '../../src/gateway/api';
import { Clock } from '../../src/infra/clock/clock';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { OutboxRelay } from '../../src/notifications/delivery/outbox-relay';
import { bookOver, SalonFixture, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require('http_ece') as { decrypt(body: Buffer, params: Record<string, unknown>): Buffer };

const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';

/** A push service on 127.0.0.1: /ok/* takes messages (201), /gone/* says the browser unsubscribed (410). */
class FakePushService {
  readonly received: { path: string; body: Buffer; headers: Record<string, unknown> }[] = [];
  private server!: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', body: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(req.url?.startsWith('/gone/') ? 410 : 201).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A browser's push subscription: its own key pair and auth secret, as PushManager.subscribe() makes them. */
function browser(endpoint: string): {
  ecdh: ECDH;
  auth: string;
  body: { endpoint: string; keys: { p256dh: string; auth: string } };
} {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return { ecdh, auth, body: { endpoint, keys: { p256dh: ecdh.getPublicKey('base64url'), auth } } };
}

describe('notifications over Web Push: users without Telegram', () => {
  const push = new FakePushService();
  const vapid = generateVAPIDKeys();
  let t: TestApp;
  let salon: SalonFixture;

  beforeAll(async () => {
    await push.start();
    t = await TestApp.start({
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:owner@salon.example',
    });
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => NOW);
    await setBusinessSettings(t, {
      autoConfirm: true,
      cancellationCutoffMin: 120,
      minNoticeMin: 60,
      horizonDays: 60,
    });
    salon = await seedSalon(t, { specialists: 1 });
  });
  afterAll(async () => {
    await t.stop();
    await push.stop();
  });

  it('serves the VAPID public key to browsers without a token; 404 on a server without Web Push', async () => {
    const res = await t.request('GET', '/api/v1/push-subscriptions/vapid-public-key');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ publicKey: vapid.publicKey });

    const withoutPush = await TestApp.start();
    try {
      const off = await withoutPush.request('GET', '/api/v1/push-subscriptions/vapid-public-key');
      expect(off.status).toBe(404);
      expect(off.body).toMatchObject({
        code: 'not_found',
        message: 'Web Push is not configured on this server',
      });
    } finally {
      await withoutPush.stop();
    }
  });

  it('a web client gets a readable, encrypted notification on every browser; a browser that unsubscribed (410) is deleted', async () => {
    const user = await t
      .get(UsersApi)
      .create(SYSTEM_ACTOR, { name: 'Web Client', role: 'client', phone: '+491701112233', language: 'en' });
    const { token } = await t.get(SessionsApi).issue(user.id, 'public');
    const laptop = browser(push.url('/ok/laptop'));
    const oldPhone = browser(push.url('/gone/phone'));
    // The API takes https endpoints only; the fake push service is plain http, so its rows go in by SQL.
    await t.get(UnitOfWork).run(async (em) => {
      for (const b of [laptop, oldPhone]) {
        await em.query(
          'INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES (?, ?, ?, ?)',
          [user.id, b.body.endpoint, b.body.keys.p256dh, b.body.keys.auth],
        );
      }
    });

    const booked = await bookOver(t, salon, token, AT_10);
    expect(booked.status).toBe(201);
    await t.get(OutboxRelay).relay();

    await until(() => expect(push.received.map((r) => r.path).sort()).toEqual(['/gone/phone', '/ok/laptop']));
    const delivered = push.received.find((r) => r.path === '/ok/laptop')!;
    expect(delivered.headers).toMatchObject({ 'content-encoding': 'aes128gcm', ttl: '86400' });
    expect(String(delivered.headers.authorization)).toMatch(/^vapid t=.+, k=/);
    const plain = ece.decrypt(delivered.body, {
      version: 'aes128gcm',
      privateKey: laptop.ecdh,
      authSecret: laptop.auth,
    });
    expect(JSON.parse(plain.toString('utf8'))).toEqual({
      title: 'Booking',
      body: expect.stringMatching(
        /^Your booking is received: Cut 60 with specialist \w+, Mon 23 March at 10:00, Salon \w+\.$/,
      ),
    });

    await until(async () => {
      const mine = await t.request('GET', '/api/v1/push-subscriptions', { token });
      expect(mine.body.items.map((s: { endpoint: string }) => s.endpoint)).toEqual([laptop.body.endpoint]);
    });
    const p2p = t.get<Queue>(getQueueToken('p2p') as never);
    expect(await t.get<Queue>(getQueueToken('p2p-dead') as never).count()).toBe(0);
    expect(await p2p.getFailedCount()).toBe(0);
  });
});
