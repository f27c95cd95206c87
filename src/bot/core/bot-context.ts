import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { TelegrafExecutionContext } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import type { Actor } from '../../common/actor';
import type { TgUserContext } from '../api/tg-user-context';
import type { BotState } from '../telegram/tg-user-context.store';

/** Telegraf's context with the gateway's user attached (`ctx.state.user`). */
export type BotContext = Context & { state: BotState };

/** The actor every contract call of this update is made as: the user, through the bot. */
export function actorOf(user: TgUserContext): Actor {
  return { userId: user.userId, role: user.role, clientType: 'internal' };
}

/**
 * The user in a client's capacity (Book, My bookings): a specialist or an admin who books a visit for
 * themselves has exactly a client's rights there (own bookings, the cancellation cutoff), no more.
 */
export function clientActorOf(user: TgUserContext): Actor {
  return { userId: user.userId, role: 'client', clientType: 'internal' };
}

/** The idempotency key of a write this update starts: a replay of the update repeats the key, not the write. */
export function updateKey(ctx: Context): string {
  return `tg:${ctx.update.update_id}`;
}

const contextOf = (executionContext: ExecutionContext): BotContext =>
  TelegrafExecutionContext.create(executionContext).getContext<BotContext>();

/** The sender as the gateway established it (TgUserContext). */
export const BotUser = createParamDecorator(
  (_data: unknown, executionContext: ExecutionContext): TgUserContext =>
    contextOf(executionContext).state.user,
);

/** The sender as the Actor of contract calls. */
export const BotActor = createParamDecorator((_data: unknown, executionContext: ExecutionContext): Actor =>
  actorOf(contextOf(executionContext).state.user),
);

/** The callback query's data, when the update is a button press. */
export function callbackDataOf(ctx: Context): string | undefined {
  const query = ctx.callbackQuery;
  return query && 'data' in query ? query.data : undefined;
}
