import { Logger } from '@nestjs/common';
import type { Context, MiddlewareFn } from 'telegraf';

const ANSWERED = Symbol('callback answered');
type Tracked = Context & { [ANSWERED]?: boolean };

const logger = new Logger('CallbackAnswers');

/** Whether this update's button press has been answered already (a second answer would fail). */
export function answered(ctx: Context): boolean {
  return (ctx as Tracked)[ANSWERED] === true;
}

/**
 * Every press gets exactly one answerCallbackQuery, so the button's spinner stops: a handler may
 * answer with a toast, and whatever it did not answer is answered empty when it is done.
 *
 * A handler's answer is sent at once but not waited for: the screen it edits next goes out meanwhile
 * instead of one Bot API round trip later. The update is done once the answer is; an answer Telegram
 * refuses (the press is too old) costs the user only the toast, so it is not raised (debug log).
 */
export function callbackAnswers(): MiddlewareFn<Context> {
  // Not async itself: anything but a press passes with no promise of its own.
  return (ctx, next) => (ctx.callbackQuery ? answering(ctx, next) : next());
}

async function answering(ctx: Context, next: () => Promise<void>): Promise<void> {
  const tracked = ctx as Tracked;
  const answer = ctx.answerCbQuery.bind(ctx);
  let sent: Promise<unknown> | undefined;
  ctx.answerCbQuery = (...args) => {
    if (!tracked[ANSWERED]) {
      tracked[ANSWERED] = true;
      sent = answer(...args).catch((err: Error) =>
        logger.debug(`press ${ctx.callbackQuery!.id} not answered: ${err.message}`),
      );
    }
    return Promise.resolve(true);
  };
  try {
    await next();
  } finally {
    if (!tracked[ANSWERED]) void ctx.answerCbQuery();
    await sent;
  }
}
