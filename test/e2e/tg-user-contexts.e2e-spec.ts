import { DataSource } from 'typeorm';
import type { User } from 'telegraf/types';
import { TgUserContexts } from '../../src/gateway/webhook/tg-user-contexts';
import { DomainEvents } from '../../src/infra/events/domain-events';
import { TestApp } from '../support/test-app';
import { newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';
import { sql } from '../support/test-database';

/** Two instances behind one Redis (same key prefix), each with its own copy of recent user contexts. */
describe('User contexts across instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await TestApp.start();
    b = await TestApp.start({ REDIS_PREFIX: a.config.redisPrefix });
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it('a change announced by one instance is seen by the next lookup in another', async () => {
    const from: User = { id: newTgUserId(), is_bot: false, first_name: 'Iris', language_code: 'en' };
    const contexts = b.get(TgUserContexts);
    const subject = await contexts.resolve(from);
    expect(subject).toMatchObject({ role: 'client', language: 'en', blocked: false });

    // Changed behind the contracts' back: instance B keeps serving what it holds.
    await sql(b.get(DataSource), 'UPDATE users SET role = ?, blocked = ? WHERE id = ?', [
      'specialist',
      1,
      subject.userId,
    ]);
    expect(await contexts.resolve(from)).toMatchObject({ role: 'client', blocked: false });

    // Instance A announces the change (as its UsersApi does after an update): B drops its copy.
    await a.get(DomainEvents).emit('user.auth_changed', { userId: subject.userId, tgId: from.id });
    await until(
      async () => (await contexts.resolve(from)).role === 'specialist',
      2000,
      'B sees the new role',
    );
    expect(await contexts.resolve(from)).toMatchObject({ role: 'specialist', blocked: true });
  });

  it('the instance that makes the change drops its own copy before the change returns', async () => {
    const from: User = { id: newTgUserId(), is_bot: false, first_name: 'Jon', language_code: 'ru' };
    const contexts = a.get(TgUserContexts);
    const subject = await contexts.resolve(from);
    await sql(a.get(DataSource), 'UPDATE users SET language = ? WHERE id = ?', ['en', subject.userId]);
    await a.get(DomainEvents).emit('user.auth_changed', { userId: subject.userId, tgId: from.id });
    expect((await contexts.resolve(from)).language).toBe('en');
  });

  it('a Telegram name holding NUL characters, or a forged @username, still makes a user (PostgreSQL refuses NUL in text)', async () => {
    const from: User = {
      id: newTgUserId(),
      is_bot: false,
      first_name: 'Ni\u0000na',
      last_name: '\u0000',
      username: 'bad\u0000name',
      language_code: 'en',
    };
    const subject = await a.get(TgUserContexts).resolve(from);
    const [row] = await sql(a.get(DataSource), 'SELECT name, username FROM users WHERE id = ?', [
      subject.userId,
    ]);
    expect(row).toEqual({ name: 'Nina', username: null });
  });
});
