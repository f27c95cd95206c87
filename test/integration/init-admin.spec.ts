import { initAdmin, InitAdminUsageError } from '../../scripts/init-admin';
import { TestApp } from '../support/test-app';

describe('init-admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('twice for one tg_id: one admin user, two different tokens that both work', async () => {
    const tgId = 700000000 + Math.floor(Math.random() * 1e6);
    // Same database file and Redis prefix as the running app: the script is a second process in real life.
    const first = await initAdmin(t.config, tgId, 'Owner');
    const second = await initAdmin(t.config, tgId, 'Owner again');
    expect(second.userId).toBe(first.userId);
    expect(second.token).not.toBe(first.token);

    for (const [i, { token }] of [first, second].entries()) {
      const created = await t.request('POST', '/api/v1/locations', {
        token,
        body: { name: `By token ${i}`, timeZone: 'Europe/Moscow' },
      });
      expect(created.status).toBe(201);
    }
    const users = await t.request('GET', `/api/v1/users?tgId=${tgId}`, { token: first.token });
    expect(users.body.total).toBe(1);
    expect(users.body.items[0]).toMatchObject({
      id: first.userId,
      tgId,
      role: 'admin',
      name: 'Owner',
      blocked: false,
    });
  });

  it('promotes an existing client with that tg_id instead of creating a user', async () => {
    const client = await t.userWithToken('client');
    const me = await t.request('GET', '/api/v1/users/me', { token: client.token });
    const result = await initAdmin(t.config, me.body.tgId, 'Promoted');
    expect(result.userId).toBe(client.id);
    expect((await t.request('GET', '/api/v1/users/me', { token: result.token })).body).toMatchObject({
      id: client.id,
      role: 'admin',
    });
  });

  it.each([
    [0, 'x'],
    [-5, 'x'],
    [1.5, 'x'],
    [123, '   '],
    [123, 'n'.repeat(121)],
  ])('rejects tg_id %p / name %p', async (tgId, name) => {
    await expect(initAdmin(t.config, tgId, name)).rejects.toBeInstanceOf(InitAdminUsageError);
  });
});
