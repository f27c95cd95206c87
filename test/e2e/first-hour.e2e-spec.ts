import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort } from '../support/app-process';
import { bookOver, clientWithToken, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { TestApp, TEST_REDIS_URL } from '../support/test-app';

describe("a newcomer's first hour", () => {
  it('an action with no body, sent as pasted with a JSON content type, is not a 400', async () => {
    const t = await TestApp.start();
    try {
      await setBusinessSettings(t, { autoConfirm: false });
      const salon = await seedSalon(t, { specialists: 1 });
      const client = await clientWithToken(t);
      const startAt = new Date(
        Math.ceil((Date.now() + 2 * 86400_000) / 86400_000) * 86400_000 + 9 * 3600_000,
      ).toISOString();
      const booked = await bookOver(t, salon, client.token, startAt);
      expect(booked.status).toBe(201);
      const admin = await t.userWithToken('admin');
      const confirm = await t.request('POST', `/api/v1/bookings/${booked.body.id}/confirm`, {
        token: admin.token,
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      expect(confirm.status).toBe(200);
      expect(confirm.body.status).toBe('confirmed');
      const cancel = await t.request('POST', `/api/v1/bookings/${booked.body.id}/cancel`, {
        token: admin.token,
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      expect(cancel.body.status).toBe('cancelled');
    } finally {
      await t.stop();
    }
  });

  it('the server prints one line when listening: the mode, its URL, the docs and the sandbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'first-hour-'));
    const port = await freePort();
    const app = await AppProcess.start(
      {
        SQLITE_PATH: join(dir, 'booking.db'),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
      },
      port,
      90_000,
    );
    try {
      const line = `Listening on http://127.0.0.1:${port}, bot: sandbox (no BOT_TOKEN). API docs http://127.0.0.1:${port}/docs, chat with the bot at http://127.0.0.1:${port}/sandbox`;
      expect(app.output.split('\n')).toContain(line);
    } finally {
      await app.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
