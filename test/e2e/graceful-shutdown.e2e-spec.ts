import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort } from '../support/app-process';
import { TEST_REDIS_URL } from '../support/test-app';
import { until } from '../support/until';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends on the socket until it closes it, or the error that ended it. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.once('error', reject);
    socket.once('close', () => resolve(text));
  });
}

describe('graceful shutdown', () => {
  it('SIGTERM stops taking connections, finishes the requests under way with their real answers, ends event streams, then exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shutdown-'));
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
      // A request under way when the signal comes: its head and half its body have arrived.
      const body = JSON.stringify({ phone: '+491701234567' });
      const busy = await open(port);
      const answer = readAll(busy);
      busy.write(
        `POST /api/v1/auth/otp/request HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n` +
          `content-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      // A connection that has sent nothing yet (a client's or a balancer's spare) is closed at once.
      const idle = await open(port);
      const idleClosed = readAll(idle);
      // The sandbox page's event stream would hold the drain until its grace ran out: it is ended.
      const events = await open(port);
      const eventStream = readAll(events);
      events.write('GET /sandbox/api/events HTTP/1.1\r\nHost: x\r\n\r\n');
      await until(() => events.bytesRead > 0, 10_000, 'the event stream opened');
      const exited = new Promise((resolve) => app.child.once('exit', resolve));

      app.child.kill('SIGTERM');
      await until(
        () =>
          open(port).then(
            (s) => (s.destroy(), false),
            () => true,
          ),
        10_000,
        'new connections refused',
      );
      // Closed while the busy request still holds the drain open: were it closed only when the grace ran
      // out, the busy request would be cut off with it.
      expect(await idleClosed).toBe('');
      busy.write(body.slice(10));

      const response = await answer;
      expect(response).toMatch(/^HTTP\/1\.1 202 /);
      expect(response).toContain('"expiresInSeconds":600');
      // Ended by the server (the last chunk of a chunked body), not cut off.
      expect(await eventStream).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\n0\r\n\r\n$/);
      await exited;
      expect(app.child.signalCode).toBe('SIGTERM');
    } catch (err) {
      console.error(app.output.slice(-4000));
      throw err;
    } finally {
      await app.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
