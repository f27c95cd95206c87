import type { Update } from 'telegraf/types';
import type { TgUserContext } from '../../src/bot/api';
import { BotUpdates } from '../../src/bot/api';
import { currentTraceId } from '../../src/infra/cls/trace';
import type { TestApp } from './test-app';

let nextUpdateId = 100000 + Math.floor(Math.random() * 1e6);
let nextUserId = 1e9 + Math.floor(Math.random() * 1e9);

export const newUpdateId = () => nextUpdateId++;
export const newTgUserId = () => nextUserId++;

export interface MessageOptions {
  userId: number;
  chatId?: number;
  text?: string;
  languageCode?: string;
  firstName?: string;
  username?: string;
  updateId?: number;
}

/** A private-chat text message update as Telegram sends it. */
export function messageUpdate(o: MessageOptions): Update {
  const text = o.text ?? 'hello';
  return {
    update_id: o.updateId ?? newUpdateId(),
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      date: Math.floor(Date.now() / 1000),
      chat: { id: o.chatId ?? o.userId, type: 'private', first_name: o.firstName ?? 'Anna' },
      from: {
        id: o.userId,
        is_bot: false,
        first_name: o.firstName ?? 'Anna',
        language_code: o.languageCode,
        ...(o.username ? { username: o.username } : {}),
      },
      text,
      ...(text.startsWith('/')
        ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] }
        : {}),
    },
  } as Update;
}

export interface HandledUpdate {
  update: Update;
  ctx: TgUserContext;
  traceId: string | undefined;
  startedAt: number;
  endedAt?: number;
}

/**
 * Replaces the bot behind BotUpdates with a recorder where the bot is not what a test is about.
 * `behaviour` may delay or block the handling of chosen updates.
 */
export class RecordingBot {
  readonly handled: HandledUpdate[] = [];
  readonly notices: { ctx: TgUserContext; retryAfter: number }[] = [];
  behaviour: (update: Update, ctx: TgUserContext) => Promise<void> = async () => undefined;

  constructor(t: TestApp) {
    const bot = t.get(BotUpdates);
    jest.spyOn(bot, 'handle').mockImplementation(async (update, ctx) => {
      const record: HandledUpdate = { update, ctx, traceId: currentTraceId(), startedAt: performance.now() };
      this.handled.push(record);
      await this.behaviour(update, ctx);
      record.endedAt = performance.now();
    });
    jest.spyOn(bot, 'rateLimited').mockImplementation(async (ctx, retryAfter) => {
      this.notices.push({ ctx, retryAfter });
    });
  }

  ids(): number[] {
    return this.handled.map((h) => h.update.update_id);
  }

  of(updateId: number): HandledUpdate | undefined {
    return this.handled.find((h) => h.update.update_id === updateId);
  }
}
