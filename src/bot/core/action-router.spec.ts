import { Context, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { routeActions } from './action-router';

const press = (data: string): Update =>
  ({
    update_id: 1,
    callback_query: {
      id: 'q',
      chat_instance: 'c',
      from: { id: 7, is_bot: false, first_name: 'A' },
      data,
      message: { message_id: 1, date: 0, chat: { id: 7, type: 'private', first_name: 'A' } },
    },
  }) as Update;
const text = (value: string): Update =>
  ({
    update_id: 2,
    message: { message_id: 2, date: 0, chat: { id: 7, type: 'private', first_name: 'A' }, text: value },
  }) as Update;

function bot(): { bot: Telegraf; seen: string[] } {
  const b = new Telegraf('123:TEST', { telegram: { webhookReply: false } });
  b.botInfo = { id: 1, is_bot: true, first_name: 'bot', username: 'bot' } as never;
  routeActions(b as Telegraf<Context>);
  return { bot: b, seen: [] };
}

describe('routeActions: one lookup instead of a middleware per action, with telegraf semantics', () => {
  it.each([
    ['exact string', 'home', 'home'],
    ['regexp, with ctx.match', 'bk:42', 'bk 42'],
    ['a function trigger', 'fn-data', 'fn'],
    ['an array of triggers', 'b', 'ab'],
  ])('%s', async (_case, data, expected) => {
    const { bot: b, seen } = bot();
    b.action('home', () => void seen.push('home'));
    b.action(/^bk:(\d+)$/, (ctx) => void seen.push(`bk ${(ctx as Context & { match: string[] }).match[1]}`));
    b.action(
      (value) => (value === 'fn-data' ? /fn/.exec('fn') : null),
      () => void seen.push('fn'),
    );
    b.action(['a', 'b'], () => void seen.push('ab'));
    b.use(() => void seen.push('fallthrough'));
    await b.handleUpdate(press(data));
    expect(seen).toEqual([expected]);
  });

  it('the first matching route runs; its next() goes on to later matches, then past the router', async () => {
    const { bot: b, seen } = bot();
    b.action(/^x/, async (_ctx, next) => {
      seen.push('first');
      await next();
    });
    b.action('nope', () => void seen.push('never'));
    b.action(/^xy$/, async (_ctx, next) => {
      seen.push('second');
      await next();
    });
    b.use(() => void seen.push('after'));
    await b.handleUpdate(press('xy'));
    expect(seen).toEqual(['first', 'second', 'after']);
  });

  it('an unknown press and a text pass the router by; a string trigger is literal, not a pattern', async () => {
    const { bot: b, seen } = bot();
    b.action('a.c', () => void seen.push('literal'));
    b.on('text', () => void seen.push('text'));
    b.use(() => void seen.push('fallthrough'));
    await b.handleUpdate(press('abc'));
    await b.handleUpdate(text('a.c'));
    await b.handleUpdate(press('a.c'));
    expect(seen).toEqual(['fallthrough', 'text', 'literal']);
  });
});
