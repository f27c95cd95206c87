import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { createECDH, ECDH, randomBytes } from 'node:crypto';
import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateVAPIDKeys } from 'web-push';
import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { SessionsApi } from '../../src/gateway/api';
import { Clock } from '../../src/infra/clock/clock';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { OutboxRelay } from '../../src/notifications/delivery/outbox-relay';
import { PushServiceTrust } from '../../src/notifications/delivery/web-push-sender';
import { bookOver, SalonFixture, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';
import { sql } from '../support/test-database';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ece = require('http_ece') as { decrypt(body: Buffer, params: Record<string, unknown>): Buffer };

const NOW = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z';

const TLS = {
  cert: readFileSync(join(__dirname, '../support/tls/localhost.crt'), 'utf8'),
  key: readFileSync(join(__dirname, '../support/tls/localhost.key'), 'utf8'),
};

/**
 * A push service at https://localhost: /ok/* takes messages (201), /gone/* says the browser
 * unsubscribed (410), /hang/* never answers.
 */
class FakePushService {
  readonly received: { path: string; body: Buffer; headers: Record<string, unknown> }[] = [];
  private server!: Server;

  async start(): Promise<void> {
    this.server = createServer(TLS, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', body: Buffer.concat(chunks), headers: req.headers });
        if (req.url?.startsWith('/hang/')) return;
        res.writeHead(req.url?.startsWith('/gone/') ? 410 : 201).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, resolve));
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string, host = 'localhost'): string {
    return `https://${host}:${this.port}${path}`;
  }

  paths(): string[] {
    return this.received.map((r) => r.path);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
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
    t = await TestApp.start(
      {
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:owner@salon.example',
        WEB_PUSH_ALLOWED_HOSTS: 'localhost',
        WEB_PUSH_TIMEOUT_SECONDS: '1',
      },
      { overrides: [{ provide: PushServiceTrust, useValue: { ca: TLS.cert } }] },
    );
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
    for (const b of [laptop, oldPhone]) {
      const subscribed = await t.request('POST', '/api/v1/push-subscriptions', { token, body: b.body });
      expect(subscribed.status).toBe(201);
    }

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

  /** A user without Telegram, with a bearer token. */
  async function webClient(): Promise<{ id: number; token: string }> {
    const phone = `+49170${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    const user = await t
      .get(UsersApi)
      .create(SYSTEM_ACTOR, { name: 'Web Client', role: 'client', phone, language: 'en' });
    const { token } = await t.get(SessionsApi).issue(user.id, 'public');
    return { id: user.id, token };
  }

  const subscribe = (token: string, endpoint: string) =>
    t.request('POST', '/api/v1/push-subscriptions', { token, body: browser(endpoint).body });

  describe('where the server may connect (SSRF)', () => {
    it.each([
      ['an IPv4 literal', 'https://127.0.0.1:8443/push'],
      ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/'],
      ['an IPv6 literal', 'https://[::1]/push'],
      ['an IPv4 address spelled as one number', 'https://2130706433/push'],
      ['an unknown host', 'https://push.example.com/send/1'],
      ['a known name as a prefix of another domain', 'https://fcm.googleapis.com.evil.example/send/1'],
      ['a wildcard service without its subdomain', 'https://push.apple.com/1'],
      ['credentials in the URL', 'https://user:secret@fcm.googleapis.com/fcm/send/1'],
      ['plain http', 'http://fcm.googleapis.com/fcm/send/1'],
    ])('refuses %s with a 400 naming the endpoint', async (_, endpoint) => {
      const client = await webClient();
      const res = await subscribe(client.token, endpoint);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(Object.keys(res.body.details.fields)).toEqual(['endpoint']);
    });

    it.each([
      'https://fcm.googleapis.com/fcm/send/abc123',
      'https://updates.push.services.mozilla.com/wpush/v2/abc',
      'https://web.push.apple.com/QGx1',
      'https://wns2-par02p.notify.windows.com/w/?token=abc',
    ])('accepts the push service of a browser: %s', async (endpoint) => {
      const client = await webClient();
      expect((await subscribe(client.token, endpoint)).status).toBe(201);
    });

    it('refuses a known service whose name resolves to a private address, at registration and when sending', async () => {
      const client = await webClient();
      const lookup = jest.spyOn(dns.promises, 'lookup');
      lookup.mockResolvedValue([{ address: '10.1.2.3', family: 4 }] as never);
      try {
        const res = await subscribe(client.token, 'https://evil.push.apple.com/x');
        expect(res.status).toBe(400);
        expect(res.body.message).toBe(
          'endpoint host evil.push.apple.com resolves to a loopback, private or link-local address',
        );
      } finally {
        lookup.mockRestore();
      }

      // DNS rebinding: public when registered, loopback when the server connects, where our fake push
      // service holds a certificate for the name (the test's CA), so only the address check stops the call.
      const rebound = `https://fcm.googleapis.com:${push.port}/ok/rebound`;
      const resolved = jest
        .spyOn(dns.promises, 'lookup')
        .mockResolvedValue([{ address: '142.250.1.1', family: 4 }] as never);
      try {
        expect((await subscribe(client.token, rebound)).status).toBe(201);
      } finally {
        resolved.mockRestore();
      }
      const realLookup = dns.lookup.bind(dns) as (host: string, options: unknown, callback: unknown) => void;
      const toLoopback = jest
        .spyOn(dns, 'lookup')
        .mockImplementation(((
          host: string,
          options: unknown,
          callback: (err: null, addresses: dns.LookupAddress[]) => void,
        ) =>
          host === 'fcm.googleapis.com'
            ? callback(null, [{ address: '127.0.0.1', family: 4 }])
            : realLookup(host, options, callback)) as never);
      try {
        const sentinel = browser(push.url('/ok/sentinel-rebound'));
        expect(
          (
            await t.request('POST', '/api/v1/push-subscriptions', {
              token: client.token,
              body: sentinel.body,
            })
          ).status,
        ).toBe(201);
        expect((await bookOver(t, salon, client.token, '2026-03-23T11:00:00.000Z')).status).toBe(201);
        await t.get(OutboxRelay).relay();
        await until(() => expect(push.paths()).toContain('/ok/sentinel-rebound'));
        const p2p = t.get<Queue>(getQueueToken('p2p') as never);
        await until(async () =>
          expect((await p2p.getFailed()).map((j) => j.failedReason)).toContain(
            'endpoint host fcm.googleapis.com resolves to a loopback, private or link-local address',
          ),
        );
      } finally {
        toLoopback.mockRestore();
      }
      expect(push.paths()).not.toContain('/ok/rebound');
    });

    it('never connects to an endpoint stored before these rules (an IP literal)', async () => {
      const client = await webClient();
      const legacy = browser(push.url('/ok/legacy', '127.0.0.1'));
      await t
        .get(UnitOfWork)
        .run((em) =>
          sql(em, 'INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES (?, ?, ?, ?)', [
            client.id,
            legacy.body.endpoint,
            legacy.body.keys.p256dh,
            legacy.body.keys.auth,
          ]),
        );
      const sentinel = browser(push.url('/ok/sentinel-legacy'));
      expect(
        (await t.request('POST', '/api/v1/push-subscriptions', { token: client.token, body: sentinel.body }))
          .status,
      ).toBe(201);
      expect((await bookOver(t, salon, client.token, '2026-03-23T12:00:00.000Z')).status).toBe(201);
      await t.get(OutboxRelay).relay();
      await until(() => expect(push.paths()).toContain('/ok/sentinel-legacy'));
      expect(push.paths()).not.toContain('/ok/legacy');
    });

    it("another user's endpoint is not taken over: 409 push_endpoint_taken; the owner may renew its keys", async () => {
      const owner = await webClient();
      const other = await webClient();
      const endpoint = 'https://fcm.googleapis.com/fcm/send/shared-browser';
      const first = await subscribe(owner.token, endpoint);
      expect(first.status).toBe(201);

      const taken = await subscribe(other.token, endpoint);
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({
        code: 'push_endpoint_taken',
        message:
          'This push endpoint is registered to another user; unsubscribe the browser and subscribe again',
      });
      const mine = await t.request('GET', '/api/v1/push-subscriptions', { token: owner.token });
      expect(mine.body.items.map((s: { id: number; userId: number }) => [s.id, s.userId])).toEqual([
        [first.body.id, owner.id],
      ]);
      expect((await t.request('GET', '/api/v1/push-subscriptions', { token: other.token })).body.total).toBe(
        0,
      );

      const renewed = await subscribe(owner.token, endpoint);
      expect(renewed.status).toBe(201);
      expect(renewed.body).toMatchObject({ id: first.body.id, userId: owner.id });
    });
  });

  it('a push service that does not answer is given up on after WEB_PUSH_TIMEOUT_SECONDS and retried; other browsers are not held up', async () => {
    const client = await webClient();
    const hanging = browser(push.url('/hang/tablet'));
    const laptop = browser(push.url('/ok/laptop-next-to-tablet'));
    for (const b of [hanging, laptop]) {
      expect(
        (await t.request('POST', '/api/v1/push-subscriptions', { token: client.token, body: b.body })).status,
      ).toBe(201);
    }
    const started = Date.now();
    expect((await bookOver(t, salon, client.token, '2026-03-23T13:00:00.000Z')).status).toBe(201);
    await t.get(OutboxRelay).relay();
    await until(() => expect(push.paths()).toContain('/ok/laptop-next-to-tablet'));
    expect(Date.now() - started).toBeLessThan(1000);
    // Timed out after 1 s, retried after the 1 s backoff: a second call.
    await until(() => expect(push.paths().filter((p) => p === '/hang/tablet')).toHaveLength(2), 6000);
  });
});
