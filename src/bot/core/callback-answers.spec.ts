import type { Context } from 'telegraf';
import { answered, callbackAnswers } from './callback-answers';

/** A press (or a message) whose answerCbQuery resolves when the test says so. */
function update(kind: 'press' | 'message') {
  const calls: { args: unknown[]; settle: (err?: Error) => void }[] = [];
  const ctx = {
    callbackQuery: kind === 'press' ? { id: 'q1', data: 'x' } : undefined,
    answerCbQuery: (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        calls.push({ args, settle: (err) => (err ? reject(err) : resolve(true)) });
      }),
  } as unknown as Context;
  return { ctx, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('callbackAnswers', () => {
  it('sends a handler answer at once without holding the handler, and the update ends once it is answered', async () => {
    const { ctx, calls } = update('press');
    const steps: string[] = [];
    let ended = false;
    const run = callbackAnswers()(ctx, async () => {
      await ctx.answerCbQuery('Booked');
      steps.push('after answer');
      await ctx.answerCbQuery('again');
      steps.push('after second answer');
    })!.then(() => (ended = true));
    await tick();
    expect(steps).toEqual(['after answer', 'after second answer']);
    expect(calls.map((c) => c.args)).toEqual([['Booked']]);
    expect(answered(ctx)).toBe(true);
    expect(ended).toBe(false);
    calls[0].settle();
    await run;
    expect(ended).toBe(true);
  });

  it('answers a press the handler left unanswered, empty, once the handler is done', async () => {
    const { ctx, calls } = update('press');
    let handled = false;
    const run = callbackAnswers()(ctx, async () => {
      await tick();
      expect(calls).toHaveLength(0);
      handled = true;
    });
    await tick();
    await tick();
    expect(handled).toBe(true);
    expect(calls.map((c) => c.args)).toEqual([[]]);
    calls[0].settle();
    await run;
  });

  it('answers empty after a handler that threw too, and passes the error on', async () => {
    const { ctx, calls } = update('press');
    const run = callbackAnswers()(ctx, async () => Promise.reject(new Error('boom')));
    await tick();
    expect(calls.map((c) => c.args)).toEqual([[]]);
    calls[0].settle();
    await expect(run).rejects.toThrow('boom');
  });

  it('an answer Telegram refuses (the press is too old) does not fail the update', async () => {
    const { ctx, calls } = update('press');
    const run = callbackAnswers()(ctx, async () => {
      await ctx.answerCbQuery('Cancelled');
    });
    await tick();
    calls[0].settle(new Error('400: Bad Request: query is too old and response timeout expired'));
    await expect(run).resolves.toBeUndefined();
  });

  it('lets anything but a press through untouched', async () => {
    const { ctx, calls } = update('message');
    const original = ctx.answerCbQuery;
    let passed = false;
    await callbackAnswers()(ctx, async () => {
      passed = true;
    });
    expect(passed).toBe(true);
    expect(ctx.answerCbQuery).toBe(original);
    expect(calls).toHaveLength(0);
  });
});
