import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo } from '../../scripts/seed-demo';
import { loadConfig } from '../../src/config/app-config';
import { SessionsApi } from '../../src/gateway/api';
import { DEMO_PERSONAS } from '../../src/gateway/sandbox/demo-personas';
import { TestApp, TEST_REDIS_URL } from '../support/test-app';
import { databaseEnv } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');

describe('npm run seed:demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'salon-demo-'));
  const env = {
    NODE_ENV: 'test',
    SQLITE_PATH: join(dir, 'booking.db'),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    LOG_LEVEL: 'silent',
  };
  let t: TestApp;
  let token: string;
  /** The seed's settings: the app's database (with TEST_DATABASE=pg, the PostgreSQL one TestApp picks for SQLITE_PATH). */
  let seedEnv: Record<string, string>;

  beforeAll(async () => {
    seedEnv = { ...env, ...(await databaseEnv(env.SQLITE_PATH)) };
    const first = await seedDemo(loadConfig(seedEnv));
    expect(first.created).toEqual({
      users: 3,
      locations: 2,
      services: 6,
      specialists: 4,
      schedules: 4,
      daysOff: 4,
      adTemplates: 2,
      bookings: expect.any(Number),
    });
    expect(first.created.bookings).toBeGreaterThanOrEqual(28);
    t = await TestApp.start(env);
    const admin = (
      await t.request('GET', `/api/v1/users?tgId=${DEMO_PERSONAS[0].tgId}`, { token: await adminToken() })
    ).body.items[0];
    token = (await t.get(SessionsApi).issue(admin.id, 'api')).token;
  }, 120000);
  afterAll(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function adminToken(): Promise<string> {
    return (await t.userWithToken('admin')).token;
  }
  const get = async (path: string) => (await t.request('GET', path, { token })).body;

  it('creates a user per role with the fixed Telegram ids the sandbox page uses', async () => {
    for (const p of DEMO_PERSONAS) {
      const [user] = (await get(`/api/v1/users?tgId=${p.tgId}`)).items;
      expect(user).toMatchObject({ role: p.role, tgId: p.tgId, language: 'en', phone: p.phone });
    }
  });

  it('two locations in different time zones, six services, four specialists with weekly hours and a day off', async () => {
    const locations = (await get('/api/v1/locations')).items;
    expect(locations.map((l: { timeZone: string }) => l.timeZone).sort()).toEqual([
      'America/New_York',
      'Europe/Berlin',
    ]);
    expect((await get('/api/v1/services')).total).toBe(6);
    const specialists = (await get('/api/v1/specialists')).items;
    expect(specialists).toHaveLength(4);
    for (const s of specialists) {
      expect(s.services.length).toBeGreaterThanOrEqual(2);
      const week = await get(`/api/v1/specialists/${s.id}/schedule?locationId=${s.locations[0].id}`);
      expect(week.length).toBeGreaterThanOrEqual(9);
      expect(new Set(week.map((i: { weekday: number }) => i.weekday)).size).toBe(5);
      const daysOff = (await get(`/api/v1/schedules/exceptions?specialistId=${s.id}`)).items;
      expect(daysOff).toEqual([expect.objectContaining({ kind: 'day_off' })]);
    }
    expect((await get('/api/v1/ad-templates')).total).toBe(2);
  });

  it('a week of bookings in every status, the demo client among the clients', async () => {
    const bookings = (await get('/api/v1/bookings?limit=200')).items as {
      status: string;
      startAt: string;
      clientId: number;
    }[];
    expect(new Set(bookings.map((b) => b.status))).toEqual(
      new Set(['pending', 'confirmed', 'done', 'no_show', 'cancelled']),
    );
    const now = Date.now();
    for (const b of bookings) {
      if (['done', 'no_show'].includes(b.status)) expect(Date.parse(b.startAt)).toBeLessThan(now);
      if (['pending', 'confirmed'].includes(b.status)) expect(Date.parse(b.startAt)).toBeGreaterThan(now);
    }
    const [client] = (await get(`/api/v1/users?tgId=${DEMO_PERSONAS[2].tgId}`)).items;
    expect(
      bookings
        .filter((b) => b.clientId === client.id)
        .map((b) => b.status)
        .sort(),
    ).toEqual(['confirmed', 'done']);
    // The seed restores the salon's auto-confirm after booking the pending ones.
    expect((await get('/api/v1/settings')).autoConfirm).toBe(true);
  });

  it('a second run changes nothing', async () => {
    const before = (await get('/api/v1/audit-log?limit=200')).total;
    const again = await seedDemo(loadConfig(seedEnv));
    expect(Object.values(again.created).every((n) => n === 0)).toBe(true);
    expect((await get('/api/v1/audit-log?limit=200')).total).toBe(before);
  }, 60000);

  it('points at the sandbox on the port the server listens on, and not at all with a real bot', () => {
    const run = (env: Record<string, string>, args: string[] = []) =>
      spawnSync(
        process.execPath,
        ['-r', join(ROOT, 'scripts/swc-register.js'), join(ROOT, 'scripts/seed-demo.ts'), ...args],
        { cwd: dir, env: { ...process.env, ...seedEnv, ...env }, encoding: 'utf8' },
      );
    const sandbox = run({ PORT: '3517' });
    expect(sandbox.status).toBe(0);
    expect(sandbox.stdout).toContain('Open http://localhost:3517/sandbox to chat as them.');
    const forced = run({ BOT_TOKEN: '123456:TEST-token_ABCDEFGHIJKLMNOP' }, ['--force']);
    expect(forced.status).toBe(0);
    expect(forced.stdout).not.toContain('/sandbox');
  }, 60000);

  it('refuses when BOT_TOKEN is set, and says how to force it', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', join(ROOT, 'scripts/swc-register.js'), join(ROOT, 'scripts/seed-demo.ts')],
      {
        cwd: dir,
        env: { ...process.env, ...seedEnv, BOT_TOKEN: '123456:TEST-token_ABCDEFGHIJKLMNOP' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('BOT_TOKEN is set');
    expect(run.stderr).toContain('--force');
  }, 60000);
});
