import type { Context, MiddlewareFn } from 'telegraf';

const ANSWERED = Symbol('callback answered');
type Tracked = Context & { [ANSWERED]?: boolean };

/** Whether this update's button press has been answered already (a second answer would fail). */
export function answered(ctx: Context): boolean {
  return (ctx as Tracked)[ANSWERED] === true;
}

/**
 * Every press gets exactly one answerCallbackQuery, so the button's spinner stops: a handler may
 * answer with a toast, and whatever it did not answer is answered empty when it is done.
 */
export function callbackAnswers(): MiddlewareFn<Context> {
  // Not async itself: anything but a press passes with no promise of its own.
  return (ctx, next) => (ctx.callbackQuery ? answering(ctx, next) : next());
}

async function answering(ctx: Context, next: () => Promise<void>): Promise<void> {
  const tracked = ctx as Tracked;
  const answer = ctx.answerCbQuery.bind(ctx);
  ctx.answerCbQuery = (...args) => {
    if (tracked[ANSWERED]) return Promise.resolve(true);
    tracked[ANSWERED] = true;
    return answer(...args);
  };
  try {
    await next();
  } finally {
    if (!tracked[ANSWERED]) await ctx.answerCbQuery().catch(() => undefined);
  }
}
