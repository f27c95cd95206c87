import { request } from 'node:http';
import { connect, Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { DomainError, ErrorCode } from '../../src/common/errors';
import { TelegramGateway } from '../../src/gateway/api';
import { TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';

const SECRET = 'edge_secret-0123456789';
const ERROR_BODY = {
  statusCode: expect.any(Number),
  code: expect.any(String),
  message: expect.any(String),
  traceId: expect.any(String),
};

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
  /** Everything the server sent, in order (a `100 Continue` shows up here). */
  raw: string;
  /** The server closed the connection (FIN or reset). */
  closed: boolean;
}

/** Opens a socket, writes `bytes`, and collects what comes back until the server closes or `waitMs` passes. */
function exchange(port: number, bytes: string | Buffer, waitMs = 2000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      const final = raw.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      const [head, ...rest] = final.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      let body: any = rest.join('\r\n\r\n');
      try {
        body = JSON.parse(body);
      } catch {
        /* not JSON */
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, raw, closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.write(bytes);
  });
}

/** Milliseconds until the server closes a socket that never sends a byte (or `limitMs` if it never does). */
function silentSocketLifetime(
  port: number,
  limitMs: number,
  prefix = '',
): Promise<{ ms: number; got: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1', () => prefix && socket.write(prefix));
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ms: limitMs, got });
    }, limitMs);
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, got });
    });
  });
}

/** One request over a fresh connection with node:http, body written in full; resolves with the answer or the socket error. */
function postFully(
  port: number,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status?: number; body?: any; error?: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode, body: parsed, ms: Date.now() - started });
        });
        res.on('error', (err) => resolve({ error: err.message, ms: Date.now() - started }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ error: err.code ?? err.message, ms: Date.now() - started }),
    );
    req.end(body);
  });
}

/** One connection after another posting the given bodies in turn to the OTP request endpoint, until told to stop. */
const ATTACKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { request } = require('node:http');
let attacking = true;
parentPort.once('message', () => (attacking = false));
const post = (body) => new Promise((resolve) => {
  const req = request({ host: '127.0.0.1', port: workerData.port, method: 'POST', path: '/api/v1/auth/otp/request', agent: false,
    headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  req.on('error', () => resolve(0));
  req.end(body);
});
(async () => {
  const bodies = workerData.bodies.map((b) => Buffer.from(b));
  let answered = 0;
  for (let i = 0; attacking; i++) if ((await post(bodies[i % bodies.length])) >= 400) answered++;
  parentPort.postMessage(answered);
})();
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A JSON object with `keys` distinct keys: what an attacker posts to make validation list every one. */
function manyKeys(keys: number): string {
  const parts: string[] = [];
  for (let i = 0; i < keys; i++) parts.push(`"k${i}":0`);
  return `{${parts.join(',')}}`;
}

describe('the HTTP edge: bodies, connections and framework errors', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await TestApp.start({ TG_WEBHOOK_SECRET: SECRET });
    port = await t.port();
  });
  afterAll(() => t.stop());

  describe('bodies (item 1)', () => {
    it('a REST body over 64 KB is a 413 before it is parsed', async () => {
      const res = await postFully(port, '/api/v1/auth/otp/request', manyKeys(107_000));
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ ...ERROR_BODY, statusCode: 413, code: 'payload_too_large' });
      expect(res.body.message).toBe('The body is over 65536 bytes');
    });

    it('a REST body over 64 KB sent in chunks, without a length, is a 413 too', async () => {
      const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
      const res = await exchange(
        port,
        'POST /api/v1/auth/otp/request HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
          chunk(`{"phone":"${'1'.repeat(40_000)}`) +
          chunk(`${'1'.repeat(40_000)}"}`) +
          '0\r\n\r\n',
      );
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ ...ERROR_BODY, statusCode: 413, code: 'payload_too_large' });
    });

    it('an object with more keys than any request could need is refused before validation, in a short answer', async () => {
      const res = await t.request('POST', '/api/v1/auth/otp/request', {
        payload: manyKeys(6_000),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        ...ERROR_BODY,
        statusCode: 400,
        code: 'validation_failed',
        message: 'body has an object with more than 64 fields',
      });
    });

    it('a 400 names at most 20 fields, and says how many more there were', async () => {
      const res = await t.request('POST', '/api/v1/auth/otp/request', {
        payload: manyKeys(50),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.details.fields)).toHaveLength(20);
      expect(res.body.message.split('; ')).toHaveLength(21);
      expect(res.body.message).toMatch(/; and 31 more fields$/);
      expect(JSON.stringify(res.body).length).toBeLessThan(4000);
    });

    it('while such bodies keep arriving, /health and a webhook ack answer as fast as beside an ordinary client', async () => {
      const probe = async () => {
        const health: number[] = [];
        const acks: number[] = [];
        for (let i = 0; i < 20; i++) {
          const started = Date.now();
          const h = await exchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
          health.push(Date.now() - started);
          expect(h.status).toBe(200);
          const update = JSON.stringify(messageUpdate({ userId: newTgUserId() }));
          const ack = await postFully(port, '/tg/webhook', update, {
            'x-telegram-bot-api-secret-token': SECRET,
          });
          expect(ack.status).toBe(200);
          acks.push(ack.ms);
        }
        return { health, acks };
      };
      /** Probes while a client on its own thread (its CPU is not the app's) posts `bodies` back to back. */
      const beside = async (bodies: string[]) => {
        const client = new Worker(ATTACKER, { eval: true, workerData: { port, bodies } });
        const sent = new Promise<number>((resolve) => client.once('message', resolve));
        try {
          await new Promise((resolve) => client.once('online', resolve));
          return await probe();
        } finally {
          client.postMessage('stop');
          expect(await sent).toBeGreaterThanOrEqual(20);
          await client.terminate();
        }
      };
      const ordinary = await beside([JSON.stringify({ phone: 'not a phone' })]);
      const attacked = await beside([manyKeys(107_000), manyKeys(6_000)]);
      // Compared with a stream of ordinary requests, so that a busy machine slows both alike: on a quiet
      // one both answer in 4-24 ms. Before, each such body held the event loop for seconds.
      for (const kind of ['health', 'acks'] as const) {
        expect(median(attacked[kind]) - median(ordinary[kind])).toBeLessThan(50);
        expect(Math.max(...attacked[kind])).toBeLessThan(1000);
      }
    });
  });

  describe('connections (item 3)', () => {
    let port: number;
    let timely: TestApp;

    beforeAll(async () => {
      timely = await TestApp.start({
        TG_WEBHOOK_SECRET: SECRET,
        HTTP_HEADERS_TIMEOUT_SECONDS: '1',
        HTTP_REQUEST_TIMEOUT_SECONDS: '2',
        HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '1',
      });
      port = await timely.port();
    });
    afterAll(() => timely.stop());

    it('closes a socket that never sends a byte, without an answer', async () => {
      const silent = await silentSocketLifetime(port, 10_000);
      expect(silent.ms).toBeLessThan(3_500);
      expect(silent.got).toBe('');
    });

    it('closes a socket whose headers never finish, with a 408 in the usual shape', async () => {
      const slow = await exchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n', 5_000);
      expect(slow.closed).toBe(true);
      expect(slow.status).toBe(408);
      expect(slow.headers.connection).toBe('close');
      expect(slow.body).toEqual({ ...ERROR_BODY, statusCode: 408, code: 'request_timeout' });
    });

    it('closes a webhook request whose body never finishes (the front door too)', async () => {
      const slow = await exchange(
        port,
        `POST /tg/webhook HTTP/1.1\r\nHost: x\r\nx-telegram-bot-api-secret-token: ${SECRET}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"update_id":`,
        6_000,
      );
      expect(slow.closed).toBe(true);
      expect(slow.status).toBe(408);
      expect(slow.body).toEqual({ ...ERROR_BODY, statusCode: 408, code: 'request_timeout' });
    });

    it('closes a kept-alive connection that stays idle after its answer', async () => {
      const started = Date.now();
      const idle = await exchange(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n', 10_000);
      expect(idle.status).toBe(200);
      expect(idle.closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_500);
    });
  });

  describe('framework-level errors (item 4)', () => {
    it('431 for oversized headers, in the usual shape, saying Connection: close', async () => {
      const res = await exchange(
        port,
        `GET /health HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      expect(res.status).toBe(431);
      expect(res.headers.connection).toBe('close');
      expect(res.body).toEqual({ ...ERROR_BODY, statusCode: 431, code: 'headers_too_large' });
      expect(res.closed).toBe(true);
    });

    it.each([
      ['a malformed request line', 'GARBAGE\r\n\r\n'],
      ['a header without a colon', 'GET /health HTTP/1.1\r\nHost x\r\n\r\n'],
      [
        'a bad content-length',
        'POST /api/v1/auth/otp/request HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      ],
    ])('400 for %s, in the usual shape, saying Connection: close', async (_, bytes) => {
      const res = await exchange(port, bytes);
      expect(res.status).toBe(400);
      expect(res.headers.connection).toBe('close');
      expect(res.body).toEqual({ ...ERROR_BODY, statusCode: 400, code: 'malformed_request' });
      expect(res.closed).toBe(true);
    });

    it.each([
      ['REST', '/api/v1/auth/otp/request', 2 * 1024 * 1024],
      ['the webhook', '/tg/webhook', 2 * 1024 * 1024],
    ])(
      '413 to %s with Expect: 100-continue and a length over the limit, before any body is read',
      async (_, path, length) => {
        const res = await exchange(
          port,
          `POST ${path} HTTP/1.1\r\nHost: x\r\nx-telegram-bot-api-secret-token: ${SECRET}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\nexpect: 100-continue\r\n\r\n`,
        );
        expect(res.raw).not.toMatch(/100 Continue/);
        expect(res.status).toBe(413);
        expect(res.headers.connection).toBe('close');
        expect(res.body).toEqual({ ...ERROR_BODY, statusCode: 413, code: 'payload_too_large' });
      },
    );

    it('a body under the limit with Expect: 100-continue is invited and served', async () => {
      const body = JSON.stringify({ phone: '+491701234567' });
      const res = await exchange(
        port,
        `POST /api/v1/auth/otp/request HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n${body}`,
      );
      expect(res.raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
      expect(res.status).toBe(202);
    });

    it('a 2 MB body written in full always gets its 413, never a broken pipe', async () => {
      const big = JSON.stringify({ phone: 'x'.repeat(2 * 1024 * 1024) });
      for (const path of ['/api/v1/auth/otp/request', '/tg/webhook']) {
        const answers = await Promise.all(
          Array.from({ length: 10 }, () =>
            postFully(port, path, big, { 'x-telegram-bot-api-secret-token': SECRET }),
          ),
        );
        expect(answers.map((a) => a.status ?? a.error)).toEqual(Array(10).fill(413));
        expect(answers[0].body).toEqual({ ...ERROR_BODY, statusCode: 413, code: 'payload_too_large' });
      }
    });

    it('415 for a content type the API does not take, with its own code', async () => {
      const res = await t.request('POST', '/api/v1/auth/otp/request', {
        payload: '<phone>+491701234567</phone>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ ...ERROR_BODY, statusCode: 415, code: 'unsupported_media_type' });
    });

    it('malformed JSON on REST is a 400 that does not echo the posted bytes', async () => {
      const res = await t.request('POST', '/api/v1/auth/otp/request', {
        payload: '{"phone": "+4917012345", "secret-marker-1',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ ...ERROR_BODY, statusCode: 400, code: 'validation_failed' });
      expect(JSON.stringify(res.body)).not.toContain('secret-marker');
    });

    it("the webhook's 400 does not echo the posted bytes", async () => {
      const res = await postFully(port, '/tg/webhook', '{"update_id": 1, "message": {"secret-marker-2', {
        'x-telegram-bot-api-secret-token': SECRET,
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        ...ERROR_BODY,
        statusCode: 400,
        code: 'validation_failed',
        message: 'The body is not valid JSON',
      });
    });

    it("the webhook's 503 says to retry, without the Redis client's words", async () => {
      const accept = jest.spyOn(t.get(TelegramGateway), 'accept');
      accept.mockRejectedValueOnce(
        new DomainError(ErrorCode.ServiceUnavailable, 'Update journal unavailable, retry later', {
          reason: 'connect ECONNREFUSED 127.0.0.1:6379',
        }),
      );
      accept.mockRejectedValueOnce(new Error('READONLY You cannot write against a read only replica.'));
      try {
        for (let i = 0; i < 2; i++) {
          const res = await postFully(
            port,
            '/tg/webhook',
            JSON.stringify(messageUpdate({ userId: newTgUserId() })),
            {
              'x-telegram-bot-api-secret-token': SECRET,
            },
          );
          expect(res.status).toBe(503);
          expect(res.body).toEqual({
            statusCode: 503,
            code: 'service_unavailable',
            message: 'The update could not be stored; retry later',
            traceId: expect.any(String),
          });
        }
      } finally {
        accept.mockRestore();
      }
    });
  });

  describe('time zones (item 5)', () => {
    it.each([
      ['europe/berlin', 'Europe/Berlin'],
      ['UTC', 'UTC'],
      ['utc', 'UTC'],
      ['Etc/GMT-3', 'Etc/GMT-3'],
      ['America/New_York', 'America/New_York'],
    ])('a location in %s is stored as %s', async (typed, stored) => {
      const admin = await t.userWithToken('admin');
      const created = await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: `Salon ${typed}`, timeZone: typed },
      });
      expect(created.status).toBe(201);
      expect(created.body.timeZone).toBe(stored);
      const read = await t.request('GET', `/api/v1/locations/${created.body.id}`, { token: admin.token });
      expect(read.body.timeZone).toBe(stored);
    });

    it('an update is stored canonical too; abbreviations and offsets are refused', async () => {
      const admin = await t.userWithToken('admin');
      const created = await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: 'Moving salon', timeZone: 'Europe/Berlin' },
      });
      const moved = await t.request('PATCH', `/api/v1/locations/${created.body.id}`, {
        token: admin.token,
        body: { timeZone: 'asia/tokyo' },
      });
      expect(moved.status).toBe(200);
      expect(moved.body.timeZone).toBe('Asia/Tokyo');
      for (const timeZone of ['EST', 'UTC+3', 'Mars/Base']) {
        const res = await t.request('POST', '/api/v1/locations', {
          token: admin.token,
          body: { name: 'X', timeZone },
        });
        expect(res.status).toBe(400);
        expect(res.body.message).toBe('timeZone must be an IANA time zone such as Europe/Berlin or UTC');
      }
    });
  });

  it('the app keeps serving after all of this', async () => {
    await until(async () => expect((await t.request('GET', '/health')).status).toBe(200));
  });
});
