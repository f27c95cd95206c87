import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, MiddlewareFn } from 'telegraf';
import type { TgUserContext } from '../api/tg-user-context';

export interface BotState {
  user: TgUserContext;
}

/** Carries the gateway's TgUserContext into telegraf, which builds its own ctx for every update. */
@Injectable()
export class TgUserContextStore {
  private readonly storage = new AsyncLocalStorage<TgUserContext>();

  run<T>(user: TgUserContext, fn: () => Promise<T>): Promise<T> {
    return this.storage.run(user, fn);
  }

  /** First middleware of the bot: exposes the user as `ctx.state.user`. */
  middleware(): MiddlewareFn<Context> {
    return (ctx, next) => {
      const user = this.storage.getStore();
      if (user) (ctx.state as BotState).user = user;
      return next();
    };
  }
}
