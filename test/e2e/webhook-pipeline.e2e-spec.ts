import { DataSource } from 'typeorm';
import { UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { TelegramGateway } from '../../src/gateway/api';
import { UpdateAudit, UpdateAuditEntry } from '../../src/gateway/webhook/update-audit';
import { RedisService } from '../../src/infra/redis/redis.service';
import { TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId, RecordingBot } from '../support/telegram-updates';
import { until } from '../support/until';
import { sql } from '../support/test-database';
import { journalLength, UpdateJournal } from '../../src/gateway/webhook/update-journal';
import { TelegramGatewayService } from '../../src/gateway/webhook/telegram-gateway.service';

const SECRET = 'pipeline-secret';

describe('Telegram update pipeline: rate limit, auth, audit, trace id', () => {
  let t: TestApp;
  let bot: RecordingBot;
  let audit: UpdateAuditEntry[];

  beforeAll(async () => {
    t = await TestApp.start({
      TG_WEBHOOK_SECRET: SECRET,
      TG_RATE_LIMIT: '20',
      TG_RATE_WINDOW_SECONDS: '10',
      TG_HANDLER_TIMEOUT_SECONDS: '1',
    });
    bot = new RecordingBot(t);
    audit = [];
    const auditLog = t.get(UpdateAudit);
    const original = auditLog.record.bind(auditLog);
    jest.spyOn(auditLog, 'record').mockImplementation((entry) => {
      audit.push(entry);
      original(entry);
    });
  });
  afterAll(() => t.stop());

  const post = (update: unknown) =>
    t.request('POST', '/tg/webhook', {
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      payload: JSON.stringify(update),
    });

  it('limits a user sending 50 updates in a second, answers each 200, tells them once; another user is not limited', async () => {
    const flooder = newTgUserId();
    const calm = newTgUserId();
    const flood = Array.from({ length: 50 }, (_, i) => messageUpdate({ userId: flooder, text: `spam ${i}` }));
    const normal = Array.from({ length: 5 }, () => messageUpdate({ userId: calm }));
    const started = Date.now();
    const responses = await Promise.all([...flood, ...normal].map((u) => post(u)));
    // All inside one 10 s window (they are sent at once; the box may be slow).
    expect(Date.now() - started).toBeLessThan(5000);
    expect(responses.every((r) => r.status === 200)).toBe(true);

    await until(() => normal.every((u) => bot.of(u.update_id)), 3000, 'calm user processed');
    await until(() => bot.notices.length > 0, 3000, 'rate-limit notice');
    // Someone else writing in the flooder's chat comes after the whole flood: once it is handled, so is the flood.
    const sentinel = messageUpdate({ userId: newTgUserId(), chatId: flooder });
    expect((await post(sentinel)).status).toBe(200);
    await until(
      () => bot.of(sentinel.update_id)?.endedAt !== undefined,
      3000,
      'the sentinel after the flood',
    );
    const handledFlood = flood.filter((u) => bot.of(u.update_id));
    expect(handledFlood).toHaveLength(20);
    expect(bot.notices.filter((n) => n.ctx.tgId === flooder)).toHaveLength(1);
    expect(bot.notices[0].retryAfter).toBeGreaterThan(0);
    expect(bot.notices[0].retryAfter).toBeLessThanOrEqual(10);
    expect(bot.notices.filter((n) => n.ctx.tgId === calm)).toHaveLength(0);
    expect(audit.filter((a) => a.facts.from?.id === flooder && a.outcome === 'rate_limited')).toHaveLength(
      30,
    );
    const keys = await t.get(RedisService).client.exists(`rl:tg:${flooder}`);
    expect(keys).toBe(1);
  });

  it('builds the user context by get-or-create on tg_id, language from language_code with ru fallback', async () => {
    const english = newTgUserId();
    const german = newTgUserId();
    const u1 = messageUpdate({ userId: english, languageCode: 'en-GB', firstName: 'Emma' });
    const u2 = messageUpdate({ userId: german, languageCode: 'de' });
    await post(u1);
    await post(u2);
    await until(() => !!bot.of(u1.update_id) && !!bot.of(u2.update_id));
    const ctx1 = bot.of(u1.update_id)!.ctx;
    expect(ctx1).toMatchObject({
      tgId: english,
      chatId: english,
      role: 'client',
      lang: 'en',
      clientType: 'internal',
      traceId: String(u1.update_id),
    });
    expect(bot.of(u2.update_id)!.ctx.lang).toBe('ru');
    const users = await t.get(UsersApi).list(SYSTEM_ACTOR, { tgId: english });
    expect(users.items).toHaveLength(1);
    expect(users.items[0]).toMatchObject({ id: ctx1.userId, name: 'Emma', language: 'en', role: 'client' });

    // A second update reuses the same user.
    const again = messageUpdate({ userId: english, languageCode: 'en' });
    await post(again);
    await until(() => !!bot.of(again.update_id));
    expect(bot.of(again.update_id)!.ctx.userId).toBe(ctx1.userId);
    expect((await t.get(UsersApi).list(SYSTEM_ACTOR, { tgId: english })).total).toBe(1);
  });

  it('caches the context, drops it at once on a role or block change, and ignores a blocked user', async () => {
    const tgId = newTgUserId();
    const first = messageUpdate({ userId: tgId, languageCode: 'en' });
    await post(first);
    await until(() => !!bot.of(first.update_id));
    const { userId } = bot.of(first.update_id)!.ctx;
    const redis = t.get(RedisService).client;
    expect(await redis.ttl(`tg:user:${tgId}`)).toBeGreaterThan(590);

    // Cached: a change made behind the contracts' back (no event) is not seen...
    const db = t.get(DataSource);
    await sql(db, 'UPDATE users SET language = ? WHERE id = ?', ['ru', userId]);
    const cached = messageUpdate({ userId: tgId });
    await post(cached);
    await until(() => !!bot.of(cached.update_id));
    expect(bot.of(cached.update_id)!.ctx.lang).toBe('en');

    // ...while a change through the contract is seen by the very next update.
    await t.get(UsersApi).update(SYSTEM_ACTOR, userId, { role: 'specialist' });
    const promoted = messageUpdate({ userId: tgId });
    await post(promoted);
    await until(() => !!bot.of(promoted.update_id));
    expect(bot.of(promoted.update_id)!.ctx).toMatchObject({ role: 'specialist', lang: 'ru' });

    await t.get(UsersApi).update(SYSTEM_ACTOR, userId, { blocked: true });
    const blocked = messageUpdate({ userId: tgId });
    expect((await post(blocked)).status).toBe(200);
    await until(() => audit.some((a) => a.updateId === blocked.update_id), 3000, 'audit of blocked update');
    expect(audit.find((a) => a.updateId === blocked.update_id)).toMatchObject({ outcome: 'blocked', userId });
    expect(bot.of(blocked.update_id)).toBeUndefined();
  });

  it('uses the update id as trace id in the bot, the contracts and the audit', async () => {
    const tgId = newTgUserId();
    const update = messageUpdate({
      userId: tgId,
      text: `a fairly long message text that will be cut in the audit line ${'z'.repeat(100)}`,
    });
    await post(update);
    await until(() => !!bot.of(update.update_id));
    expect(bot.of(update.update_id)!.traceId).toBe(String(update.update_id));
    // The registration audit row written by UsersApi inside the update carries the same trace id.
    const rows = await sql(
      t.get(DataSource),
      `SELECT trace_id FROM audit_log WHERE action = 'user.register' AND entity_id = ?`,
      [String(bot.of(update.update_id)!.ctx.userId)],
    );
    expect(rows).toEqual([{ trace_id: String(update.update_id) }]);
    await until(() => audit.some((a) => a.updateId === update.update_id));
    const line = audit.find((a) => a.updateId === update.update_id)!;
    expect(line).toMatchObject({
      outcome: 'processed',
      source: 'webhook',
      userId: bot.of(update.update_id)!.ctx.userId,
      role: 'client',
    });
    expect(line.facts).toMatchObject({ type: 'message', chatId: tgId });
  });

  it("gives a chat's updates one custody while this instance holds the chat's partition, and a new one once it is taken anew", async () => {
    const partitions = t.get(UpdateJournal).partitions;
    const chat = newTgUserId();
    // A chat of another partition.
    let other = newTgUserId();
    while (other % partitions === chat % partitions) other = newTgUserId();
    const custodyOf = async (userId: number) => {
      const update = messageUpdate({ userId, text: 'hello' });
      await post(update);
      await until(() => !!bot.of(update.update_id));
      return bot.of(update.update_id)!.ctx.custody;
    };
    const first = await custodyOf(chat);
    expect(first).toMatch(/^.+\/\d+\/\d+$/);
    expect(await custodyOf(chat)).toBe(first);
    expect(await custodyOf(other)).not.toBe(first);
    // The partition's lease taken anew (after a loss): what the bot remembers of the chat is no longer trusted.
    t.get(TelegramGatewayService).acquired(chat % partitions, Date.now());
    const after = await custodyOf(chat);
    expect(after).toMatch(/^.+\/\d+\/\d+$/);
    expect(after).not.toBe(first);
    expect(await custodyOf(chat)).toBe(after);
  });

  it('gives up on a handler that hangs past TG_HANDLER_TIMEOUT_SECONDS: audited as failed, its chat goes on', async () => {
    const tgId = newTgUserId();
    const hung = messageUpdate({ userId: tgId });
    const next = messageUpdate({ userId: tgId });
    bot.behaviour = async (update) => {
      if (update.update_id === hung.update_id) await new Promise(() => undefined);
    };
    await post(hung);
    await post(next);
    await until(() => bot.of(next.update_id)?.endedAt !== undefined, 3000, 'the next update of the chat');
    // The chat waited for the hung handler until it was given up on, one second after it started.
    expect(bot.of(next.update_id)!.startedAt - bot.of(hung.update_id)!.startedAt).toBeGreaterThanOrEqual(990);
    expect(audit.find((a) => a.updateId === hung.update_id)).toMatchObject({ outcome: 'failed' });
    bot.behaviour = async () => undefined;
  });

  it('takes sandbox updates through the same pipeline and empties the journal after processing', async () => {
    const gateway = t.get(TelegramGateway);
    const update = messageUpdate({ userId: newTgUserId() });
    expect(await gateway.accept(update, 'sandbox')).toBe('accepted');
    expect(await gateway.accept(update, 'sandbox')).toBe('duplicate');
    await until(() => !!bot.of(update.update_id));
    await until(async () => (await journalLength(t.get(RedisService).client)) === 0, 3000, 'journal drained');
    await expect(gateway.accept({ nope: true }, 'sandbox')).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});
