import { Injectable } from '@nestjs/common';
import type { Context, MiddlewareFn } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { TgUserContext } from '../api/tg-user-context';

export interface BotState {
  user: TgUserContext;
}

/**
 * Carries the gateway's TgUserContext into telegraf, which builds its own ctx for every update:
 * keyed by the update object itself (telegraf's ctx.update is the object handed to handleUpdate),
 * so no async-context storage is needed on the hot path.
 */
@Injectable()
export class TgUserContextStore {
  private readonly users = new WeakMap<Update, TgUserContext>();

  async run<T>(update: Update, user: TgUserContext, fn: () => Promise<T>): Promise<T> {
    this.users.set(update, user);
    try {
      return await fn();
    } finally {
      this.users.delete(update);
    }
  }

  /** First middleware of the bot: exposes the user as `ctx.state.user`. */
  middleware(): MiddlewareFn<Context> {
    return (ctx, next) => {
      const user = this.users.get(ctx.update);
      if (user) (ctx.state as BotState).user = user;
      return next();
    };
  }
}
