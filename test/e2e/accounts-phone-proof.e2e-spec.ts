import { Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { UsersApi } from '../../src/booking/api';
import { BotMessenger } from '../../src/bot/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { auditRows } from '../support/catalog';
import { rows, SalonFixture, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

/** Stands in for BotModule: what would have gone to Telegram. */
class RecordingMessenger extends BotMessenger {
  readonly sent: { chatId: number; text: string }[] = [];
  async sendText(chatId: number, text: string): Promise<void> {
    this.sent.push({ chatId, text });
  }
}

const logged: string[] = [];
const warnSpy = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
  logged.push(String(message));
});
afterAll(() => warnSpy.mockRestore());

const NOW = new Date('2026-03-20T09:00:00Z');
const randomPhone = () => `+4916${randomInt(10_000_000, 99_999_999)}`;
const at = (day: number, hourUtc: number) => new Date(Date.UTC(2026, 2, day, hourUtc)).toISOString();

describe('accounts: a phone is a user’s only once proven', () => {
  const messenger = new RecordingMessenger();
  let t: TestApp;
  let salon: SalonFixture;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    t = await TestApp.start({}, { overrides: [{ provide: BotMessenger, useValue: messenger }] });
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => NOW);
    await setBusinessSettings(t, { autoConfirm: true, minNoticeMin: 60, horizonDays: 60 });
    salon = await seedSalon(t, { specialists: 1 });
    admin = await t.userWithToken('admin');
  });
  afterAll(() => t.stop());

  const bookForNewClient = (phone: string, startAt: string, comment = '') =>
    t.request('POST', '/api/v1/bookings', {
      token: admin.token,
      body: {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt,
        comment,
        client: { name: 'Vera Victim', phone },
      },
    });
  const bookingsOf = async (token: string) =>
    (await t.request('GET', '/api/v1/bookings', { token })).body.items.map((b: { id: number }) => b.id);

  async function otpLogin(phone: string) {
    const before = logged.length;
    expect((await t.request('POST', '/api/v1/auth/otp/request', { body: { phone } })).status).toBe(202);
    const pattern = new RegExp(`OTP code for \\${phone}: (\\d{6})`);
    let code: string | undefined;
    await until(() => {
      code = logged
        .slice(before)
        .map((w) => pattern.exec(w)?.[1])
        .find(Boolean);
      expect(code).toBeDefined();
    });
    return t.request('POST', '/api/v1/auth/otp/verify', { body: { phone, code } });
  }

  it('a client cannot claim, change or drop a phone over REST: 403 telling to prove it, nothing stored', async () => {
    const client = await t.userWithToken('client');
    const claim = await t.request('PATCH', `/api/v1/users/${client.id}`, {
      token: client.token,
      body: { phone: randomPhone() },
    });
    expect(claim.status).toBe(403);
    expect(claim.body).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('one-time code'),
    });
    expect((await t.request('GET', '/api/v1/users/me', { token: client.token })).body).toMatchObject({
      phone: null,
      phoneVerified: false,
    });

    const phone = randomPhone();
    await t.get(UsersApi).attachVerifiedPhone(client.id, phone);
    for (const body of [{ phone: randomPhone() }, { phone: null }]) {
      const res = await t.request('PATCH', `/api/v1/users/${client.id}`, { token: client.token, body });
      expect(res.status).toBe(403);
    }
    // The same phone and other fields still go through.
    const renamed = await t.request('PATCH', `/api/v1/users/${client.id}`, {
      token: client.token,
      body: { name: 'Renamed', phone },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', phone, phoneVerified: true });
  });

  it('an admin booking for a phone someone only claims lands in a separate client, which its real owner gets by code', async () => {
    // The claimant: a Telegram client holding the phone unproven (as an old self-claim left it).
    const phone = randomPhone();
    const claimant = await t.userWithToken('client');
    await rows(t, 'UPDATE users SET phone = ? WHERE id = ?', [phone, claimant.id]);

    const first = await bookForNewClient(phone, at(23, 9), 'allergic to latex');
    expect(first.status).toBe(201);
    expect(first.body.clientId).not.toBe(claimant.id);
    const second = await bookForNewClient(phone, at(23, 11));
    expect(second.body.clientId).toBe(first.body.clientId);
    expect(await bookingsOf(claimant.token)).toEqual([]);
    const record = await t.request('GET', `/api/v1/users/${first.body.clientId}`, { token: admin.token });
    expect(record.body).toMatchObject({ name: 'Vera Victim', phone, phoneVerified: false, tgId: null });

    // A code for the phone does not go to the claimant's Telegram (that would hand them the phone).
    const claimantTg = (await t.get(UsersApi).get(SYSTEM_ACTOR, claimant.id)).tgId!;
    const login = await otpLogin(phone);
    expect(messenger.sent.filter((m) => m.chatId === claimantTg)).toEqual([]);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ id: first.body.clientId, phone, phoneVerified: true });
    expect((await bookingsOf(login.body.token)).sort()).toEqual([first.body.id, second.body.id].sort());
    // The claim is gone; the proven owner now gets the admin's next booking for the phone.
    expect((await t.get(UsersApi).get(SYSTEM_ACTOR, claimant.id)).phone).toBeNull();
    const third = await bookForNewClient(phone, at(24, 9));
    expect(third.body.clientId).toBe(first.body.clientId);
  });

  it('a Telegram user proving a phone (attachVerifiedPhone) takes over the bookings an admin made for it', async () => {
    const phone = randomPhone();
    const booked = await bookForNewClient(phone, at(25, 9));
    expect(booked.status).toBe(201);
    const entered = booked.body.clientId;
    const tgUser = await t.userWithToken('client');

    const attached = await t.get(UsersApi).attachVerifiedPhone(tgUser.id, phone);
    expect(attached).toMatchObject({ id: tgUser.id, phone, phoneVerified: true });
    expect(await bookingsOf(tgUser.token)).toEqual([booked.body.id]);
    expect((await t.get(UsersApi).get(SYSTEM_ACTOR, entered)).phone).toBeNull();
    // The cells of the moved booking are the new owner's: they cannot be booked twice at that time.
    const overlap = await t.request('POST', '/api/v1/bookings', {
      token: tgUser.token,
      body: {
        locationId: salon.locationId,
        serviceId: salon.serviceId,
        specialistId: salon.specialists[0].id,
        startAt: at(25, 9),
      },
    });
    expect(overlap.status).toBe(409);
    const audit = await auditRows(t, 'user', tgUser.id);
    expect(audit.at(-1)).toMatchObject({
      action: 'user.phone_verified',
      changes: { phone, mergedUserIds: [entered], droppedFromUserIds: [] },
    });

    // Proven twice, by another Telegram user: the newest proof wins, the first keeps its bookings.
    const other = await t.userWithToken('client');
    await t.get(UsersApi).attachVerifiedPhone(other.id, phone);
    expect((await t.get(UsersApi).get(SYSTEM_ACTOR, tgUser.id)).phone).toBeNull();
    expect(await bookingsOf(tgUser.token)).toEqual([booked.body.id]);
    expect((await t.get(UsersApi).findByPhone(phone))?.userId).toBe(other.id);
  });

  it('admins may note any phone (unverified) except one another user proved: 409', async () => {
    const phone = randomPhone();
    const owner = await t.userWithToken('client');
    await t.get(UsersApi).attachVerifiedPhone(owner.id, phone);
    const dup = await t.request('POST', '/api/v1/users', {
      token: admin.token,
      body: { name: 'Dup', phone },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({
      code: 'already_exists',
      message: 'Another user has verified this phone',
    });

    const unproven = randomPhone();
    const a = await t.request('POST', '/api/v1/users', {
      token: admin.token,
      body: { name: 'A', phone: unproven },
    });
    const b = await t.request('POST', '/api/v1/users', {
      token: admin.token,
      body: { name: 'B', phone: unproven },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toMatchObject({ phone: unproven, phoneVerified: false });
    // An admin's change of a proven phone makes it unproven.
    const changed = await t.request('PATCH', `/api/v1/users/${owner.id}`, {
      token: admin.token,
      body: { phone: randomPhone() },
    });
    expect(changed.body.phoneVerified).toBe(false);
    expect(await t.get(UsersApi).findByPhone(phone)).toBeNull();
  });
});
