import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

const CLIENTS = 75;

describe('broadcasts: an admin messages every client, at most 30 messages a second', () => {
  let fake: FakeTelegramApi;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    t = await TestApp.start({
      BOT_TOKEN: '123456:TEST-token_ABCDEFGHIJKLMNOP',
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });

  it('reaches every client once, not the specialists, blocked clients or the sender, throttled to 30/s', async () => {
    const admin = await t.userWithToken('admin');
    const users = t.get(UsersApi);
    const clients: number[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(
        (await users.create(SYSTEM_ACTOR, { name: `c${i}`, role: 'client', tgId: 7_000_000 + i })).tgId!,
      );
    }
    const blocked = await users.create(SYSTEM_ACTOR, { name: 'blocked', role: 'client', tgId: 7_900_001 });
    await users.update(SYSTEM_ACTOR, blocked.id, { blocked: true });
    await users.create(SYSTEM_ACTOR, { name: 'spec', role: 'specialist', tgId: 7_900_002 });

    const res = await t.request('POST', '/api/v1/broadcasts', {
      token: admin.token,
      body: { text: '  We are open on Sunday!  ' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), roles: ['client'] });

    const sent = () => fake.callsOf('sendMessage').filter((c) => c.params.text === 'We are open on Sunday!');
    // Done: every message the fan-out queued was sent or failed for good, so nothing more can come.
    await until(
      async () => {
        const progress = await t.request('GET', `/api/v1/broadcasts/${res.body.id}`, { token: admin.token });
        return progress.body.done === true;
      },
      15000,
      'the broadcast done',
    );

    const calls = sent();
    expect(calls.map((c) => Number(c.params.chat_id)).sort()).toEqual([...clients].sort());
    // In any one-second window at most 30: 75 messages take over 2 s.
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      expect(times.filter((at) => at >= times[i] && at < times[i] + 1000).length).toBeLessThanOrEqual(30);
    }
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(2000);
  });

  it('only admins broadcast; an empty text or an unknown role is a 400', async () => {
    const client = await t.userWithToken('client');
    const admin = await t.userWithToken('admin');
    expect(
      (await t.request('POST', '/api/v1/broadcasts', { token: client.token, body: { text: 'hi' } })).status,
    ).toBe(403);
    expect(
      (await t.request('POST', '/api/v1/broadcasts', { token: admin.token, body: { text: '   ' } })).status,
    ).toBe(400);
    const badRole = await t.request('POST', '/api/v1/broadcasts', {
      token: admin.token,
      body: { text: 'hi', roles: ['guest'] },
    });
    expect(badRole.status).toBe(400);
  });
});
