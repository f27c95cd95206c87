import { Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersApi } from '../../src/booking/api';
import { BotMessenger } from '../../src/bot/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { SessionTokensService } from '../../src/gateway/auth/session-tokens.service';
import { otpKeys } from '../../src/gateway/otp/otp.store';
import { AuditLogEntity } from '../../src/infra/audit/audit-log.entity';
import { RedisService } from '../../src/infra/redis/redis.service';
import { Response, TestApp } from '../support/test-app';
import { until } from '../support/until';

/** Stands in for BotModule: records what would have been sent to Telegram. */
class RecordingMessenger extends BotMessenger {
  readonly sent: { chatId: number; text: string }[] = [];
  readonly unreachable = new Set<number>();

  async sendText(chatId: number, text: string): Promise<void> {
    if (this.unreachable.has(chatId)) throw new Error('403: bot was blocked by the user');
    this.sent.push({ chatId, text });
  }
}

const randomPhone = () => `+4917${randomInt(10_000_000, 99_999_999)}`;
const randomIp = () => `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
const otherCode = (code: string, step = 1) => String((Number(code) + step) % 1_000_000).padStart(6, '0');

/** The first defined value of probe, polled by until(). */
async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
  let value: T | undefined;
  await until(() => (value = probe()) !== undefined, timeoutMs, what);
  return value!;
}

/** Every warn line written by the app's Nest loggers while the test runs. */
const warnings: string[] = [];
const warnSpy = jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (
  this: Logger,
  message: unknown,
) {
  warnings.push(String(message));
});

/** The nth code the log sender wrote for the phone (the log is the development delivery channel). */
function codeFromLog(phone: string, nth = 1): Promise<string> {
  const pattern = new RegExp(`OTP code for \\${phone}: (\\d{6})`);
  return waitFor(() => {
    const codes = warnings.map((w) => pattern.exec(w)?.[1]).filter((c): c is string => c !== undefined);
    return codes[nth - 1];
  }, `logged code #${nth} for ${phone}`);
}

function requestCode(t: TestApp, phone: unknown, ip = randomIp()): Promise<Response> {
  return t.request('POST', '/api/v1/auth/otp/request', {
    body: { phone },
    headers: { 'x-forwarded-for': ip },
  });
}

function verifyCode(t: TestApp, body: Record<string, unknown>): Promise<Response> {
  return t.request('POST', '/api/v1/auth/otp/verify', { body });
}

afterAll(() => warnSpy.mockRestore());

describe('OTP login (Telegram delivery via a recording BotMessenger)', () => {
  let t: TestApp;
  const messenger = new RecordingMessenger();

  beforeAll(async () => {
    t = await TestApp.start({}, { overrides: [{ provide: BotMessenger, useValue: messenger }] });
  });
  afterAll(() => t.stop());

  async function telegramUser(opts: { language?: 'ru' | 'en' } = {}) {
    const phone = randomPhone();
    const tgId = randomInt(100_000, 1_000_000_000);
    const user = await t
      .get(UsersApi)
      .create(SYSTEM_ACTOR, { name: 'Tg Client', tgId, language: opts.language });
    // As when they share their contact with the bot: only a proven phone routes codes to Telegram.
    await t.get(UsersApi).attachVerifiedPhone(user.id, phone);
    return { phone, tgId, id: user.id };
  }

  const codeSentTo = (tgId: number) =>
    waitFor(
      () =>
        messenger.sent
          .filter((m) => m.chatId === tgId)
          .map((m) => /\b(\d{6})\b/.exec(m.text)?.[1])
          .pop(),
      `a message to ${tgId}`,
    );

  it('warned once at start that codes of phones without Telegram go to the log', () => {
    const lines = warnings.filter((w) => w.includes('WRITTEN TO THE LOG'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('phones without a Telegram account');
  });

  it('sends the code by Telegram in the user language and logs in as a public client', async () => {
    const { phone, tgId, id } = await telegramUser({ language: 'en' });
    const requested = await requestCode(t, ` ${phone.slice(0, 3)} (${phone.slice(3, 6)}) ${phone.slice(6)} `);
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ message: expect.any(String), expiresInSeconds: 600 });

    const message = await waitFor(
      () => messenger.sent.find((m) => m.chatId === tgId),
      'the Telegram message',
    );
    expect(message.text).toMatch(/^Your login code: \d{6}\. It is valid for 10 min\./);
    const code = /\d{6}/.exec(message.text)![0];
    expect(warnings.some((w) => w.includes(code))).toBe(false);

    // Stored hashed, bound to at most 10 minutes.
    const redis = t.get(RedisService).client;
    const stored = await redis.get(otpKeys.code(phone));
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(code);
    const ttl = await redis.pttl(otpKeys.code(phone));
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);

    const verified = await verifyCode(t, { phone, code });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({
      token: expect.any(String),
      expiresInSeconds: t.config.authTokenTtlSeconds,
      user: expect.objectContaining({ id, phone, tgId, role: 'client', language: 'en', blocked: false }),
    });
    const me = await t.request('GET', '/api/v1/users/me', { token: verified.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id, role: 'client' });
    expect(await t.get(SessionTokensService).authenticate(verified.body.token)).toEqual({
      userId: id,
      role: 'client',
      clientType: 'public',
    });
    // Clients may read only their own data with this token.
    expect(
      (await t.request('GET', '/api/v1/users', { token: verified.body.token })).body.items.map(
        (u: { id: number }) => u.id,
      ),
    ).toEqual([id]);

    const audit = await t
      .get(DataSource)
      .getRepository(AuditLogEntity)
      .findOneByOrFail({ action: 'auth.otp_login', entityId: String(id) });
    expect(audit).toMatchObject({ userId: id, role: 'client', clientType: 'public' });
    expect(await redis.exists(otpKeys.code(phone))).toBe(0);
  });

  it('writes Russian text for a Russian-speaking user', async () => {
    const { phone, tgId } = await telegramUser({ language: 'ru' });
    expect((await requestCode(t, phone)).status).toBe(202);
    const message = await waitFor(
      () => messenger.sent.find((m) => m.chatId === tgId),
      'the Telegram message',
    );
    expect(message.text).toMatch(/^Код для входа: \d{6}\. Действует 10 мин\./);
  });

  it('answers a known and an unknown phone identically', async () => {
    const known = await telegramUser();
    const a = await requestCode(t, known.phone);
    const b = await requestCode(t, randomPhone());
    expect(a.status).toBe(202);
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
  });

  it('creates a client account for a phone without a user, the code coming from the log', async () => {
    const phone = randomPhone();
    expect((await requestCode(t, phone)).status).toBe(202);
    const code = await codeFromLog(phone);
    const verified = await verifyCode(t, { phone, code, name: '  Maria  ' });
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({
      phone,
      name: 'Maria',
      role: 'client',
      tgId: null,
      language: 'ru',
    });
    const me = await t.request('GET', '/api/v1/users/me', { token: verified.body.token });
    expect(me.body).toMatchObject({ id: verified.body.user.id, name: 'Maria' });

    // The next login finds the same account; the name field does not rename it.
    expect((await requestCode(t, phone)).status).toBe(202);
    const next = await codeFromLog(phone, 2);
    const again = await verifyCode(t, { phone, code: next, name: 'Other' });
    expect(again.status).toBe(200);
    expect(again.body.user).toMatchObject({ id: verified.body.user.id, name: 'Maria' });
    expect((await t.get(UsersApi).list(SYSTEM_ACTOR, { search: phone })).total).toBe(1);
  });

  it('falls back to the log when Telegram refuses the message', async () => {
    const { phone, tgId } = await telegramUser();
    messenger.unreachable.add(tgId);
    expect((await requestCode(t, phone)).status).toBe(202);
    const code = await codeFromLog(phone);
    expect((await verifyCode(t, { phone, code })).status).toBe(200);
  });

  it('refuses a used code', async () => {
    const { phone, tgId } = await telegramUser();
    await requestCode(t, phone);
    const code = await codeSentTo(tgId);
    expect((await verifyCode(t, { phone, code })).status).toBe(200);
    const reused = await verifyCode(t, { phone, code });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('expired or was already used'),
    });
  });

  it('accepts a code once when two verifies race', async () => {
    const { phone, tgId } = await telegramUser();
    await requestCode(t, phone);
    const code = await codeSentTo(tgId);
    const results = await Promise.all(Array.from({ length: 5 }, () => verifyCode(t, { phone, code })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
  });

  it('replaces the previous code on a new request', async () => {
    const { phone, tgId } = await telegramUser();
    await requestCode(t, phone);
    const first = await codeSentTo(tgId);
    await requestCode(t, phone);
    const second = await waitFor(() => {
      const codes = messenger.sent.filter((m) => m.chatId === tgId);
      return codes.length === 2 ? /\d{6}/.exec(codes[1].text)![0] : undefined;
    }, 'the second code');
    if (first !== second) expect((await verifyCode(t, { phone, code: first })).status).toBe(401);
    expect((await verifyCode(t, { phone, code: second })).status).toBe(200);
  });

  it('refuses a code issued for another phone', async () => {
    const a = await telegramUser();
    const b = await telegramUser();
    await requestCode(t, a.phone);
    await requestCode(t, b.phone);
    const codeA = await codeSentTo(a.tgId);
    const codeB = await codeSentTo(b.tgId);
    if (codeA !== codeB) {
      const cross = await verifyCode(t, { phone: b.phone, code: codeA });
      expect(cross.status).toBe(401);
      expect(cross.body.code).toBe('unauthorized');
    }
    // A phone with no pending code at all.
    const none = await verifyCode(t, { phone: randomPhone(), code: codeA });
    expect(none.status).toBe(401);
    expect(none.body.message).toContain('request a new one');
    expect((await verifyCode(t, { phone: a.phone, code: codeA })).status).toBe(200);
  });

  it('locks the phone for 15 minutes after 5 wrong codes, refusing even the right one', async () => {
    const { phone, tgId, id } = await telegramUser();
    await requestCode(t, phone);
    const code = await codeSentTo(tgId);
    for (let i = 1; i <= 4; i++) {
      const wrong = await verifyCode(t, { phone, code: otherCode(code, i) });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: 'unauthorized', details: { attemptsLeft: 5 - i } });
    }
    const fifth = await verifyCode(t, { phone, code: otherCode(code, 5) });
    expect(fifth.status).toBe(429);
    expect(fifth.body).toMatchObject({
      code: 'too_many_requests',
      message: expect.stringContaining('locked, try again in 15 min'),
    });
    expect(Number(fifth.headers['retry-after'])).toBe(900);

    const lockTtl = await t.get(RedisService).client.pttl(otpKeys.lock(phone));
    expect(lockTtl).toBeGreaterThan(895_000);
    expect(lockTtl).toBeLessThanOrEqual(900_000);

    const right = await verifyCode(t, { phone, code });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(890);
    const newRequest = await requestCode(t, phone);
    expect(newRequest.status).toBe(429);
    expect(newRequest.body.message).toContain('locked');

    const audit = await t
      .get(DataSource)
      .getRepository(AuditLogEntity)
      .findOneBy({ action: 'auth.otp_locked', entityId: String(id) });
    expect(audit).not.toBeNull();
  });

  it('keeps counting wrong codes across a new code request', async () => {
    const { phone, tgId } = await telegramUser();
    await requestCode(t, phone);
    const first = await codeSentTo(tgId);
    for (let i = 1; i <= 3; i++)
      expect((await verifyCode(t, { phone, code: otherCode(first, i) })).status).toBe(401);
    await requestCode(t, phone);
    const second = await waitFor(() => {
      const sent = messenger.sent.filter((m) => m.chatId === tgId);
      return sent.length === 2 ? /\d{6}/.exec(sent[1].text)![0] : undefined;
    }, 'the second code');
    const fourth = await verifyCode(t, { phone, code: otherCode(second, 7) });
    expect(fourth.body.details).toEqual({ attemptsLeft: 1 });
    expect((await verifyCode(t, { phone, code: otherCode(second, 8) })).status).toBe(429);
    expect((await verifyCode(t, { phone, code: second })).status).toBe(429);
  });

  it('limits code requests per phone', async () => {
    const phone = randomPhone();
    for (let i = 0; i < 5; i++) expect((await requestCode(t, phone)).status).toBe(202);
    const limited = await requestCode(t, phone);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      code: 'too_many_requests',
      message: expect.stringContaining('for this phone'),
    });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(limited.body.details.retryAfterSeconds).toBe(retryAfter);
    // The same phone from another address is still limited; another phone is not.
    expect((await requestCode(t, phone, randomIp())).status).toBe(429);
    expect((await requestCode(t, randomPhone())).status).toBe(202);
  });

  it('limits code requests per IP address', async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i++) expect((await requestCode(t, randomPhone(), ip)).status).toBe(202);
    const limited = await requestCode(t, randomPhone(), ip);
    expect(limited.status).toBe(429);
    expect(limited.body.message).toContain('from this address');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(590);
    expect((await requestCode(t, randomPhone(), randomIp())).status).toBe(202);
  });

  it('does not send a code to a blocked user and refuses a user blocked before verifying', async () => {
    const blocked = await telegramUser();
    await t.get(UsersApi).update(SYSTEM_ACTOR, blocked.id, { blocked: true });
    const answer = await requestCode(t, blocked.phone);
    expect(answer.status).toBe(202);
    expect(answer.body.message).toBe((await requestCode(t, randomPhone())).body.message);
    await waitFor(() => warnings.find((w) => w.includes('blocked account')), 'the blocked-account line');
    expect(messenger.sent.some((m) => m.chatId === blocked.tgId)).toBe(false);

    const later = await telegramUser();
    await requestCode(t, later.phone);
    const code = await codeSentTo(later.tgId);
    await t.get(UsersApi).update(SYSTEM_ACTOR, later.id, { blocked: true });
    const refused = await verifyCode(t, { phone: later.phone, code });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('blocked');
  });

  it('is listed in the OpenAPI document as public routes', async () => {
    const docs = await t.request('GET', '/docs/json');
    const request = docs.body.paths['/api/v1/auth/otp/request'].post;
    const verify = docs.body.paths['/api/v1/auth/otp/verify'].post;
    expect(Object.keys(request.responses)).toEqual(expect.arrayContaining(['202', '429']));
    expect(Object.keys(verify.responses)).toEqual(expect.arrayContaining(['200', '401', '429']));
  });

  it('rejects an invalid phone with 400 naming the field', async () => {
    for (const phone of [
      '12345',
      'abc',
      '+0123456789',
      '+49 170',
      '+4917012345678901234',
      491701234567,
      null,
    ]) {
      const res = await requestCode(t, phone);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.message).toContain('phone');
      expect(res.body.details.fields).toHaveProperty('phone');
    }
    const badCode = await verifyCode(t, { phone: randomPhone(), code: '12a456' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.details.fields).toHaveProperty('code');
    const shortCode = await verifyCode(t, { phone: randomPhone(), code: 12345 });
    expect(shortCode.status).toBe(400);
  });

  it('never answers a malformed body with a 500', async () => {
    const payloads = [
      '{"phone":',
      '[]',
      '["+491701234567"]',
      'null',
      '"+491701234567"',
      '42',
      '{}',
      '{"phone":{"$gt":""}}',
      '{"phone":["+491701234567"]}',
      `{"phone":"${randomPhone()}","extra":true}`,
      `{"phone":"${randomPhone()}","code":{"length":6}}`,
      `{"phone":"${randomPhone()}","code":"123456","name":""}`,
      `{"phone":"${randomPhone()}","code":"123456","name":["x"]}`,
      `{"phone":"+49${'1'.repeat(5000)}"}`,
    ];
    for (const url of ['/api/v1/auth/otp/request', '/api/v1/auth/otp/verify']) {
      for (const payload of payloads) {
        const res = await t.request('POST', url, {
          payload,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
        });
        expect({ url, payload, status: res.status }).toEqual({ url, payload, status: 400 });
        expect(res.body.code).toBe('validation_failed');
      }
      const text = await t.request('POST', url, {
        payload: 'phone=+491701234567',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBeGreaterThanOrEqual(400);
      expect(text.status).toBeLessThan(500);
      const empty = await t.request('POST', url, {
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      expect(empty.status).toBe(400);
    }
  });
});

describe('OTP with short TTLs', () => {
  let t: TestApp;
  /** The TTL of a key running out is the event under test: Redis drops the key, and that is awaited. */
  const expired = (key: string) =>
    until(async () => (await t.get(RedisService).client.exists(key)) === 0, 5000, `${key} to expire`);
  beforeAll(async () => {
    warnings.length = 0;
    t = await TestApp.start({ OTP_CODE_TTL_SECONDS: '1', OTP_LOCK_SECONDS: '1', OTP_MAX_WRONG_CODES: '2' });
  });
  afterAll(() => t.stop());

  it('warned once at start that codes for phones without Telegram go to the log', () => {
    expect(warnings.filter((w) => w.includes('WRITTEN TO THE LOG'))).toHaveLength(1);
  });

  it('refuses an expired code', async () => {
    const phone = randomPhone();
    const requested = await requestCode(t, phone);
    expect(requested.body.expiresInSeconds).toBe(1);
    const code = await codeFromLog(phone);
    await expired(otpKeys.code(phone));
    const late = await verifyCode(t, { phone, code });
    expect(late.status).toBe(401);
    expect(late.body.message).toContain('expired');
  });

  it('lets the phone in again once the lock has run out', async () => {
    const phone = randomPhone();
    await requestCode(t, phone);
    const code = await codeFromLog(phone);
    expect((await verifyCode(t, { phone, code: otherCode(code) })).status).toBe(401);
    expect((await verifyCode(t, { phone, code: otherCode(code, 2) })).status).toBe(429);
    // The lock burnt the code too.
    await expired(otpKeys.lock(phone));
    expect((await verifyCode(t, { phone, code })).status).toBe(401);
    expect((await requestCode(t, phone)).status).toBe(202);
    const fresh = await codeFromLog(phone, 2);
    expect((await verifyCode(t, { phone, code: fresh })).status).toBe(200);
  });
});

describe('OTP while Redis is unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => t.stop());

  it('answers 503 fast instead of a 500 or a code nobody can check', async () => {
    const started = Date.now();
    const res = await requestCode(t, randomPhone());
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('service_unavailable');
    const verify = await verifyCode(t, { phone: randomPhone(), code: '123456' });
    expect(verify.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
