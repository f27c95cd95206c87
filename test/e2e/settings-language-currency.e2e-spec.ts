import { randomInt } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { User } from 'telegraf/types';
import { TgUserContexts } from '../../src/gateway/webhook/tg-user-contexts';
import { newTgUserId } from '../support/telegram-updates';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

/** Codes the log sender writes for phones without Telegram (the development delivery channel). */
const logged: string[] = [];
const warnSpy = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
  logged.push(String(message));
});
afterAll(() => warnSpy.mockRestore());

describe('settings: default language of new users, and the currency', () => {
  let t: TestApp;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.userWithToken('admin');
  });
  afterAll(() => t.stop());

  const patch = (body: object) => t.request('PATCH', '/api/v1/settings', { token: admin.token, body });

  async function firstOtpLogin(acceptLanguage?: string) {
    const phone = `+4915${randomInt(10_000_000, 99_999_999)}`;
    const requested = await t.request('POST', '/api/v1/auth/otp/request', { body: { phone } });
    expect(requested.status).toBe(202);
    const pattern = new RegExp(`OTP code for \\${phone}: (\\d{6})`);
    let code: string | undefined;
    await until(() => {
      code = logged.map((w) => pattern.exec(w)?.[1]).find(Boolean);
      expect(code).toBeDefined();
    });
    const headers: Record<string, string> = acceptLanguage ? { 'accept-language': acceptLanguage } : {};
    const verified = await t.request('POST', '/api/v1/auth/otp/verify', { body: { phone, code }, headers });
    expect(verified.status).toBe(200);
    return verified.body.user as { language: string };
  }

  const telegramUser = (language_code?: string): User => ({
    id: newTgUserId(),
    is_bot: false,
    first_name: 'Tg',
    language_code,
  });

  it('an admin sets defaultLanguage and currency; others read them', async () => {
    const res = await patch({ defaultLanguage: 'en', currency: 'CHF' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ defaultLanguage: 'en', currency: 'CHF' });
    const client = await t.userWithToken('client');
    const read = await t.request('GET', '/api/v1/settings', { token: client.token });
    expect(read.body).toMatchObject({ defaultLanguage: 'en', currency: 'CHF' });
    const refused = await t.request('PATCH', '/api/v1/settings', {
      token: client.token,
      body: { defaultLanguage: 'ru' },
    });
    expect(refused.status).toBe(403);
    const bad = await patch({ currency: 'usd' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('currency must be an ISO 4217 code'),
    });
  });

  it('a Telegram user starts in their language_code when it is ru or en, otherwise in the default', async () => {
    const contexts = t.get(TgUserContexts);
    expect((await patch({ defaultLanguage: 'en' })).status).toBe(200);
    expect((await contexts.resolve(telegramUser('de'))).language).toBe('en');
    expect((await contexts.resolve(telegramUser())).language).toBe('en');
    expect((await contexts.resolve(telegramUser('ru'))).language).toBe('ru');
    expect((await contexts.resolve(telegramUser('en-GB'))).language).toBe('en');

    expect((await patch({ defaultLanguage: 'ru' })).status).toBe(200);
    expect((await contexts.resolve(telegramUser('de'))).language).toBe('ru');
    expect((await contexts.resolve(telegramUser('en'))).language).toBe('en');
  });

  it('a web user starts in the Accept-Language of their first OTP login when it names ru or en, otherwise in the default', async () => {
    expect((await patch({ defaultLanguage: 'en' })).status).toBe(200);
    expect((await firstOtpLogin('de-DE,de;q=0.9')).language).toBe('en');
    expect((await firstOtpLogin()).language).toBe('en');
    expect((await firstOtpLogin('ru-RU,ru;q=0.9,en;q=0.5')).language).toBe('ru');

    expect((await patch({ defaultLanguage: 'ru' })).status).toBe(200);
    expect((await firstOtpLogin('de-DE,de;q=0.9,en;q=0.8')).language).toBe('en');
    expect((await firstOtpLogin('fr')).language).toBe('ru');
  });

  it('a user or specialist an admin creates without a language gets the default', async () => {
    expect((await patch({ defaultLanguage: 'en' })).status).toBe(200);
    const created = await t.request('POST', '/api/v1/users', { token: admin.token, body: { name: 'New' } });
    expect(created.body.language).toBe('en');
    const specialist = await t.request('POST', '/api/v1/specialists', {
      token: admin.token,
      body: { user: { name: 'New specialist' } },
    });
    expect(specialist.status).toBe(201);
    const user = await t.request('GET', `/api/v1/users/${specialist.body.userId}`, { token: admin.token });
    expect(user.body.language).toBe('en');
  });
});
