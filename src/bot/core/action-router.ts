import { Injectable } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import { Composer, Context, MiddlewareFn, Telegraf } from 'telegraf';

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

/** Installs the router on the bot before nestjs-telegraf registers the handlers (it does so in onModuleInit). */
@Injectable()
export class ActionRouter {
  constructor(@InjectBot() bot: Telegraf<Context>) {
    routeActions(bot);
  }
}
