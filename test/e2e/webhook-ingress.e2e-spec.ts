import { request } from 'node:http';
import { UpdateAudit } from '../../src/gateway/webhook/update-audit';
import { TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId, RecordingBot } from '../support/telegram-updates';
import { until } from '../support/until';

const SECRET = 'webhook_secret-0123456789';
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A client that stops sending in the middle of its body for this long: the event under test. */
const stallFor = wait;
/** A handler's own work. */
const busyFor = wait;

describe('POST /tg/webhook: the door', () => {
  let t: TestApp;
  let bot: RecordingBot;
  let rejected: jest.SpyInstance;

  beforeAll(async () => {
    t = await TestApp.start({ TG_WEBHOOK_SECRET: SECRET });
    bot = new RecordingBot(t);
    rejected = jest.spyOn(t.get(UpdateAudit), 'rejected');
  });
  afterAll(() => t.stop());

  const post = (body: unknown, secret: string | null = SECRET) =>
    t.request('POST', '/tg/webhook', {
      headers: {
        ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        'content-type': 'application/json',
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it.each([
    ['missing', null],
    ['wrong, same length', SECRET.replace(/.$/, 'X')],
    ['shorter', SECRET.slice(0, 5)],
    ['longer', `${SECRET}-and-more`],
    ['empty', ''],
  ])('rejects a %s secret with 401, an audit line and no processing', async (_, secret) => {
    const userId = newTgUserId();
    const update = messageUpdate({ userId });
    rejected.mockClear();
    const res = await post(update, secret);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
    expect(rejected).toHaveBeenCalledTimes(1);
    expect(rejected.mock.calls[0][0]).toBe(secret === null ? 'missing secret' : 'wrong secret');
    // The chat's next update is handled after anything journaled before it.
    const sentinel = messageUpdate({ userId: userId });
    expect((await post(sentinel)).status).toBe(200);
    await until(() => bot.of(sentinel.update_id) !== undefined);
    expect(bot.of(update.update_id)).toBeUndefined();
  });

  it('audits a rejected secret with the client address, as X-Forwarded-For from a trusted proxy gives it', async () => {
    const update = messageUpdate({ userId: newTgUserId() });
    rejected.mockClear();
    const direct = await post(update, 'wrong');
    expect(direct.status).toBe(401);
    expect(rejected.mock.calls[0][1]).toMatch(/^(::ffff:)?127\.0\.0\.1$/);

    // The test app trusts loopback proxies (TRUST_PROXY's default), as Fastify's request.ip does.
    const proxied = await t.request('POST', '/tg/webhook', {
      headers: {
        'x-telegram-bot-api-secret-token': 'wrong',
        'x-forwarded-for': '198.51.100.23, 203.0.113.7',
        'content-type': 'application/json',
      },
      payload: JSON.stringify(update),
    });
    expect(proxied.status).toBe(401);
    expect(rejected.mock.calls[1][1]).toBe('203.0.113.7');
  });

  it('accepts the right secret with 200 and processes the update', async () => {
    const update = messageUpdate({ userId: newTgUserId() });
    const res = await post(update);
    expect(res.status).toBe(200);
    await until(() => bot.of(update.update_id) !== undefined);
  });

  it('is answered at the front door with or without a query string; other methods reach the API as usual', async () => {
    const update = messageUpdate({ userId: newTgUserId() });
    const res = await t.request('POST', '/tg/webhook?from=telegram', {
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      payload: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    await until(() => bot.of(update.update_id) !== undefined);
    const get = await t.request('GET', '/tg/webhook');
    expect(get.status).toBe(404);
    expect(get.body.code).toBe('not_found');
  });

  it('answers 413 to a 2 MB body, 400 to malformed JSON or a non-update, never 410', async () => {
    const big = messageUpdate({ userId: newTgUserId(), text: 'x'.repeat(2 * 1024 * 1024) });
    const tooLarge = await post(big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.code).toBe('payload_too_large');
    expect(bot.of(big.update_id)).toBeUndefined();

    const broken = await post('{"update_id": 1, "message": {');
    expect(broken.status).toBe(400);
    for (const notAnUpdate of [[], { message: {} }, { update_id: 'x' }, { update_id: -3 }, 42]) {
      const res = await post(notAnUpdate);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('answers 413 to an oversized body sent in chunks without a length, and survives a client that hangs up mid-body', async () => {
    const port = await t.port();
    const chunked = await new Promise<{ status: number; body: { code?: string } }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/tg/webhook',
          headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
      );
      const piece = 'x'.repeat(256 * 1024);
      req.write(`{"update_id": 1, "message": {"text": "`);
      for (let i = 0; i < 8; i++) req.write(piece);
      req.end('"}}');
    });
    expect(chunked.status).toBe(413);
    expect(chunked.body.code).toBe('payload_too_large');

    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/tg/webhook',
        headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-length': '5000' },
      });
      req.on('error', () => resolve());
      req.write('{"update_id": 7, "mess');
      void stallFor(50).then(() => {
        req.destroy();
        resolve();
      });
    });
    const update = messageUpdate({ userId: newTgUserId() });
    expect((await post(update)).status).toBe(200);
    await until(() => bot.of(update.update_id) !== undefined);
  });

  it('processes ten copies of one update arriving at once exactly once, and a later retry not at all', async () => {
    const userId = newTgUserId();
    const update = messageUpdate({ userId });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(update)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    await until(() => bot.of(update.update_id) !== undefined);
    expect((await post(update)).status).toBe(200);
    const sentinel = messageUpdate({ userId: userId });
    expect((await post(sentinel)).status).toBe(200);
    await until(() => bot.of(sentinel.update_id) !== undefined);
    expect(bot.ids().filter((id) => id === update.update_id)).toHaveLength(1);
  });

  it('runs updates of one chat one at a time in arrival order', async () => {
    const userId = newTgUserId();
    bot.behaviour = async (_, ctx) => {
      if (ctx.tgId === userId) await busyFor(60);
    };
    const updates = Array.from({ length: 5 }, () => messageUpdate({ userId }));
    // Each arrives while the previous one is still being handled.
    for (const u of updates) expect((await post(u)).status).toBe(200);
    const pair = [messageUpdate({ userId }), messageUpdate({ userId })];
    expect((await Promise.all(pair.map((u) => post(u)))).map((r) => r.status)).toEqual([200, 200]);
    const all = [...updates, ...pair].map((u) => u.update_id);
    await until(() => all.every((id) => bot.of(id)?.endedAt !== undefined), 5000, 'all handled');
    const mine = bot.handled.filter((h) => all.includes(h.update.update_id));
    expect(mine.slice(0, 5).map((h) => h.update.update_id)).toEqual(updates.map((u) => u.update_id));
    for (let i = 1; i < mine.length; i++)
      expect(mine[i].startedAt).toBeGreaterThanOrEqual(mine[i - 1].endedAt!);
    bot.behaviour = async () => undefined;
  });

  it("a handler taking 60 s delays neither another chat's ack nor its processing", async () => {
    const slowUser = newTgUserId();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 60_000).unref();
    });
    bot.behaviour = async (_, ctx) => {
      if (ctx.tgId === slowUser) await released;
    };
    const slow = messageUpdate({ userId: slowUser });
    const slowNext = messageUpdate({ userId: slowUser });
    expect((await post(slow)).status).toBe(200);
    expect((await post(slowNext)).status).toBe(200);
    await until(() => bot.of(slow.update_id) !== undefined);

    const other = messageUpdate({ userId: newTgUserId() });
    const started = performance.now();
    const ack = await post(other);
    const ackMs = performance.now() - started;
    expect(ack.status).toBe(200);
    expect(ackMs).toBeLessThan(500);
    await until(() => bot.of(other.update_id)?.endedAt !== undefined, 1000, 'other chat processed');
    // The slow chat's next update waits its turn.
    expect(bot.of(slowNext.update_id)).toBeUndefined();
    release();
    await until(() => bot.of(slowNext.update_id) !== undefined);
    bot.behaviour = async () => undefined;
  });
});
