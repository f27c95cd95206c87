import { Inject, Injectable } from '@nestjs/common';
import { InjectBot, TELEGRAF_STAGE } from 'nestjs-telegraf';
import { Composer, Context, MiddlewareFn, Scenes, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';

type Trigger = (value: string, ctx: Context) => RegExpExecArray | null | boolean | unknown;
type ActionTriggers = string | RegExp | Trigger | (string | RegExp | Trigger)[];

interface Route {
  triggers: Trigger[];
  handler: MiddlewareFn<Context>;
}

/** As telegraf reads an action's triggers: a function as is, a RegExp from its start, a string exactly. */
function normalise(triggers: ActionTriggers): Trigger[] {
  return (Array.isArray(triggers) ? triggers : [triggers]).map((trigger) => {
    if (!trigger) throw new Error('Invalid trigger');
    if (typeof trigger === 'function') return trigger;
    if (trigger instanceof RegExp)
      return (value: string) => {
        trigger.lastIndex = 0;
        return trigger.exec(value);
      };
    const exact = new RegExp(`^${trigger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return (value: string) => exact.exec(value);
  });
}

/**
 * Makes the bot's `action(...)` registrations (nestjs-telegraf calls it once per `@Action`, 150 of them)
 * one middleware that looks the pressed button's data up among them, instead of 150 middlewares every
 * update walks through: telegraf chains middlewares with two promises per step, so each update (a text
 * too) made some 600 promises before reaching its handler, and with the async-context hooks on every
 * promise that was a quarter of the bot's CPU. The semantics are telegraf's `Composer.action`: routes
 * are tried in registration order, the first whose trigger matches runs with `ctx.match` set, and its
 * `next()` goes on to the following routes, then to the middleware after the router.
 */
export function routeActions(bot: Telegraf<Context>): void {
  const routes: Route[] = [];
  const dispatch: MiddlewareFn<Context> = (ctx, next) => {
    const query = ctx.callbackQuery;
    const data =
      query && 'data' in query
        ? query.data
        : query && 'game_short_name' in query
          ? query.game_short_name
          : undefined;
    if (data === undefined) return next();
    const from = (start: number): Promise<unknown> => {
      for (let i = start; i < routes.length; i++) {
        for (const trigger of routes[i].triggers) {
          const match = trigger(data, ctx);
          if (match)
            return Promise.resolve(
              routes[i].handler(Object.assign(ctx, { match }), () => from(i + 1).then(() => undefined)),
            );
        }
      }
      return next();
    };
    return from(0);
  };
  let installed = false;
  (
    bot as unknown as { action: (triggers: ActionTriggers, ...fns: MiddlewareFn<Context>[]) => unknown }
  ).action = (triggers, ...fns) => {
    if (!installed) {
      bot.on('callback_query', dispatch);
      installed = true;
    }
    routes.push({ triggers: normalise(triggers), handler: Composer.compose(fns) });
    return bot;
  };
}

type UpdateFilter = string | ((update: Update) => boolean);

interface UpdateRoute {
  matches: (update: Update) => boolean;
  handler: MiddlewareFn<Context>;
}

/** As telegraf's `Composer.on` reads its filters: an update type, a message type, or a type guard. */
function matcher(filters: UpdateFilter | UpdateFilter[]): (update: Update) => boolean {
  const list = Array.isArray(filters) ? filters : [filters];
  return (update) =>
    list.some((filter) =>
      typeof filter !== 'string'
        ? filter(update)
        : filter in update || ('message' in update && filter in (update.message as object)),
    );
}

/**
 * Makes consecutive `on(...)` registrations (nestjs-telegraf makes one per `@On`, and the action router
 * one for all actions) one middleware that runs the matching ones, instead of a middleware each that
 * every update walks through (telegraf's `on` is a branch over a lazy middleware: four more promises
 * per registration per update). Semantics are telegraf's: matching routes run in registration order,
 * each one's `next()` goes on to the following matches, then to what comes after; a `use(...)` between
 * two `on(...)` keeps its place.
 */
export function routeUpdates(bot: Telegraf<Context>): void {
  const use = bot.use.bind(bot);
  let segment: UpdateRoute[] | undefined;
  (bot as unknown as { use: (...fns: MiddlewareFn<Context>[]) => unknown }).use = (...fns) => {
    segment = undefined;
    return use(...fns);
  };
  (
    bot as unknown as {
      on: (filters: UpdateFilter | UpdateFilter[], ...fns: MiddlewareFn<Context>[]) => unknown;
    }
  ).on = (filters, ...fns) => {
    if (!segment) {
      const routes: UpdateRoute[] = [];
      const dispatch: MiddlewareFn<Context> = (ctx, next) => {
        const from = (start: number): Promise<unknown> => {
          for (let i = start; i < routes.length; i++) {
            if (routes[i].matches(ctx.update))
              return Promise.resolve(routes[i].handler(ctx, () => from(i + 1).then(() => undefined)));
          }
          return next();
        };
        return from(0);
      };
      use(dispatch);
      segment = routes;
    }
    segment.push({ matches: matcher(filters), handler: Composer.compose(fns) });
    return bot;
  };
}

/**
 * Scenes live in Redis (SceneStore), not in telegraf's in-memory Stage; nestjs-telegraf installs the
 * Stage's middleware on every bot anyway (three more layers per update, and a scene context built for
 * each). While no `@Scene`, `@Wizard` or `@Composer` class is registered it is a pass-through.
 */
export function skipEmptyStage(stage: Scenes.Stage<Scenes.SceneContext>): void {
  let used = false;
  const use = stage.use.bind(stage);
  stage.use = (...fns) => {
    used = true;
    return use(...fns);
  };
  const middleware = stage.middleware.bind(stage);
  stage.middleware = () => (used || stage.scenes.size > 0 ? middleware() : Composer.passThru());
}

/**
 * Installs the routers on the bot before nestjs-telegraf registers the handlers (it does so in its
 * onModuleInit, after every provider was made).
 */
@Injectable()
export class UpdateRouter {
  constructor(
    @InjectBot() bot: Telegraf<Context>,
    @Inject(TELEGRAF_STAGE) stage: Scenes.Stage<Scenes.SceneContext>,
  ) {
    routeUpdates(bot);
    routeActions(bot);
    skipEmptyStage(stage);
  }
}
