import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { TestApp } from '../support/test-app';

describe('users: the last active admin stays an admin', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  const user = (id: number, token: string) => t.request('GET', `/api/v1/users/${id}`, { token });

  it('the only admin cannot demote, block or delete themselves: 409 last_admin, nothing changed', async () => {
    const admin = await t.userWithToken('admin');
    const attempts = [
      t.request('PATCH', `/api/v1/users/${admin.id}`, { token: admin.token, body: { role: 'client' } }),
      t.request('PATCH', `/api/v1/users/${admin.id}`, { token: admin.token, body: { blocked: true } }),
      t.request('DELETE', `/api/v1/users/${admin.id}`, { token: admin.token }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        code: 'last_admin',
        message: expect.stringContaining('last active admin'),
        traceId: expect.any(String),
      });
    }
    expect((await user(admin.id, admin.token)).body).toMatchObject({ role: 'admin', blocked: false });
    // Other changes to the last admin still go through.
    const renamed = await t.request('PATCH', `/api/v1/users/${admin.id}`, {
      token: admin.token,
      body: { name: 'Still admin', role: 'admin' },
    });
    expect(renamed.status).toBe(200);

    // With a second active admin, the first may step down; then the second is the last one.
    const second = await t.userWithToken('admin');
    const stepDown = await t.request('PATCH', `/api/v1/users/${admin.id}`, {
      token: admin.token,
      body: { role: 'client' },
    });
    expect(stepDown.status).toBe(200);
    expect((await t.request('DELETE', `/api/v1/users/${second.id}`, { token: second.token })).body.code).toBe(
      'last_admin',
    );
  });

  it('a blocked admin does not count: the last unblocked one cannot be blocked', async () => {
    const users = t.get(UsersApi);
    const { items } = await users.list(SYSTEM_ACTOR, { role: 'admin' });
    const active = items.filter((u) => !u.blocked);
    expect(active).toHaveLength(1);
    const blockedAdmin = await users.create(SYSTEM_ACTOR, { name: 'Blocked admin', role: 'admin' });
    await users.update(SYSTEM_ACTOR, blockedAdmin.id, { blocked: true });
    await expect(users.remove(SYSTEM_ACTOR, active[0].id)).rejects.toMatchObject({ code: 'last_admin' });
    // Unblocking the other admin makes room again (the contract, as the bot will call it).
    await users.update(SYSTEM_ACTOR, blockedAdmin.id, { blocked: false });
    await expect(users.remove(SYSTEM_ACTOR, active[0].id)).resolves.toMatchObject({ blocked: true });
  });
});
