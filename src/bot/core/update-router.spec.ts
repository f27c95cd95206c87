import { Context, Scenes, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { routeActions, routeUpdates, skipEmptyStage } from './update-router';

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

describe('routeUpdates: consecutive on(...) registrations are one middleware, with telegraf semantics', () => {
  function routed(): { bot: Telegraf; seen: string[] } {
    const b = new Telegraf('123:TEST', { telegram: { webhookReply: false } });
    b.botInfo = { id: 1, is_bot: true, first_name: 'bot', username: 'bot' } as never;
    routeUpdates(b as Telegraf<Context>);
    routeActions(b as Telegraf<Context>);
    return { bot: b, seen: [] };
  }

  it('runs the matching routes in order, each next() going on to the following matches and past the router', async () => {
    const { bot: b, seen } = routed();
    b.on('callback_query', () => void seen.push('press'));
    b.on('text', async (_ctx, next) => {
      seen.push('text');
      await next();
    });
    b.on('contact', () => void seen.push('contact'));
    b.on('message', async (_ctx, next) => {
      seen.push('message');
      await next();
    });
    b.use(() => void seen.push('after'));
    await b.handleUpdate(text('hi'));
    expect(seen).toEqual(['text', 'message', 'after']);
  });

  it('a message type, an update type and a type guard all match as in telegraf', async () => {
    const { bot: b, seen } = routed();
    b.on('text', () => void seen.push('text'));
    b.on(
      (update: Update) => 'callback_query' in update,
      () => void seen.push('guard'),
    );
    await b.handleUpdate(text('hi'));
    await b.handleUpdate(press('x'));
    expect(seen).toEqual(['text', 'guard']);
  });

  it('a use(...) between two on(...) keeps its place', async () => {
    const { bot: b, seen } = routed();
    b.on('message', async (_ctx, next) => {
      seen.push('first');
      await next();
    });
    b.use(async (_ctx, next) => {
      seen.push('between');
      await next();
    });
    b.on('text', () => void seen.push('second'));
    await b.handleUpdate(text('hi'));
    expect(seen).toEqual(['first', 'between', 'second']);
  });

  it('actions and on(...) handlers keep their registration order', async () => {
    const { bot: b, seen } = routed();
    b.on('callback_query', async (_ctx, next) => {
      seen.push('any press');
      await next();
    });
    b.action('go', () => void seen.push('go'));
    await b.handleUpdate(press('go'));
    expect(seen).toEqual(['any press', 'go']);
  });
});

describe('skipEmptyStage', () => {
  async function sceneSeen(stage: Scenes.Stage<Scenes.SceneContext>): Promise<boolean> {
    const b = new Telegraf<Scenes.SceneContext>('123:TEST', { telegram: { webhookReply: false } });
    b.botInfo = { id: 1, is_bot: true, first_name: 'bot', username: 'bot' } as never;
    let seen = false;
    b.use((ctx, next) => {
      (ctx as unknown as { session: object }).session = {};
      return next();
    });
    b.use(stage.middleware());
    b.use((ctx) => void (seen = ctx.scene !== undefined));
    await b.handleUpdate(text('x'));
    return seen;
  }

  it('passes updates through while no scene or composer is registered', async () => {
    const stage = new Scenes.Stage<Scenes.SceneContext>();
    skipEmptyStage(stage);
    expect(await sceneSeen(stage)).toBe(false);
  });

  it('is the Stage once a scene or a composer is registered', async () => {
    const withScene = new Scenes.Stage<Scenes.SceneContext>();
    skipEmptyStage(withScene);
    withScene.register(new Scenes.BaseScene<Scenes.SceneContext>('s'));
    expect(await sceneSeen(withScene)).toBe(true);
    const withComposer = new Scenes.Stage<Scenes.SceneContext>();
    skipEmptyStage(withComposer);
    withComposer.use((_ctx, next) => next());
    expect(await sceneSeen(withComposer)).toBe(true);
  });
});
