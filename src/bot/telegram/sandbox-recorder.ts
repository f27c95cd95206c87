import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { AppConfig } from '../../config/app-config';
import { currentTraceId } from '../../infra/cls/trace';
import { RedisService } from '../../infra/redis/redis.service';
import { BotSandbox, RecordedBotCall, SandboxBotUser } from '../api/bot-sandbox.api';

/** Telegraf needs some token; in the sandbox no request ever leaves the process. */
export const SANDBOX_TOKEN = '0:sandbox';
const CALLS_KEY = 'bot:sandbox:calls';
const MESSAGE_SEQ_KEY = 'bot:sandbox:message_id';
const chatKey = (chatId: number) => `bot:sandbox:chat:${chatId}`;
/** Pub/sub channels are not prefixed by ioredis; this one is, by hand, so apps sharing a Redis stay apart. */
const feedChannel = (prefix: string) => `${prefix}bot:sandbox:feed`;
const KEEP_CALLS = 500;
const KEEP_PER_CHAT = 300;
const CHAT_TTL_SECONDS = 7 * 24 * 3600;
const EDITS = new Set([
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
  'editMessageMedia',
]);

const SANDBOX_BOT: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: 'Sandbox',
  username: 'sandbox_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

type CallApi = (method: string, payload: Record<string, unknown>) => Promise<unknown>;

function chatIdOf(payload: Record<string, unknown>): number | undefined {
  const id = Number(payload.chat_id);
  return payload.chat_id !== undefined && Number.isSafeInteger(id) ? id : undefined;
}

/**
 * With no BOT_TOKEN the bot still runs: each Telegram client it uses gets its `callApi` replaced by
 * this recorder (see TelegramCalls), which keeps the last calls in Redis, and each chat's transcript,
 * publishes every entry for the sandbox page (on any instance), and answers like the Bot API would.
 */
@Injectable()
export class SandboxRecorder extends BotSandbox implements OnModuleDestroy {
  private readonly logger = new Logger(SandboxRecorder.name);
  readonly active: boolean;
  readonly botUser: SandboxBotUser = {
    id: SANDBOX_BOT.id,
    is_bot: true,
    first_name: SANDBOX_BOT.first_name,
    username: SANDBOX_BOT.username,
  };
  private readonly channel: string;
  private readonly listeners = new Set<(entry: RecordedBotCall) => void>();
  private feed: { subscriber: Redis; live: Promise<unknown> } | undefined;

  constructor(
    config: AppConfig,
    private readonly redis: RedisService,
  ) {
    super();
    this.active = config.telegram.token === undefined;
    this.channel = feedChannel(config.redisPrefix);
  }

  /** Replaces the client's network call with the recorder; returns the same client. */
  attach(telegram: Telegram): Telegram {
    (telegram as unknown as { callApi: CallApi }).callApi = (method, payload = {}) =>
      this.call(method, payload);
    return telegram;
  }

  async recentCalls(limit = 50): Promise<RecordedBotCall[]> {
    const raw = await this.redis.client.lrange(CALLS_KEY, 0, Math.max(0, limit - 1));
    return raw.map((line) => JSON.parse(line) as RecordedBotCall);
  }

  async chatTranscript(chatId: number, limit = KEEP_PER_CHAT): Promise<RecordedBotCall[]> {
    const raw = await this.redis.client.lrange(chatKey(chatId), -Math.max(1, limit), -1);
    return raw.map((line) => JSON.parse(line) as RecordedBotCall);
  }

  async recordUserMessage(chatId: number, message: Record<string, unknown>): Promise<RecordedBotCall> {
    const entry: RecordedBotCall = {
      method: 'message',
      payload: message,
      at: new Date().toISOString(),
      traceId: currentTraceId() ?? null,
      seq: Number(message.message_id),
      chatId,
      from: 'user',
    };
    await this.store(entry, false);
    return entry;
  }

  async nextMessageId(): Promise<number> {
    return this.redis.client.incr(MESSAGE_SEQ_KEY);
  }

  async subscribe(listener: (entry: RecordedBotCall) => void): Promise<() => void> {
    this.feed ??= this.connectFeed();
    await this.feed.live;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onModuleDestroy(): Promise<void> {
    this.listeners.clear();
    const subscriber = this.feed?.subscriber;
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  /** One subscription per process, fanned out to the listeners; ioredis queues SUBSCRIBE until connected and renews it after a reconnect. */
  private connectFeed(): { subscriber: Redis; live: Promise<unknown> } {
    const subscriber = this.redis.duplicate({ maxRetriesPerRequest: null });
    subscriber.on('error', (err) => this.logger.warn(`sandbox feed: ${err.message}`));
    subscriber.on('message', (_channel, line: string) => {
      const entry = JSON.parse(line) as RecordedBotCall;
      for (const listener of this.listeners) listener(entry);
    });
    return { subscriber, live: subscriber.subscribe(this.channel) };
  }

  private async store(entry: RecordedBotCall, global: boolean): Promise<void> {
    const line = JSON.stringify(entry);
    const tx = this.redis.client.multi();
    if (global) tx.lpush(CALLS_KEY, line).ltrim(CALLS_KEY, 0, KEEP_CALLS - 1);
    if (entry.chatId !== undefined) {
      const key = chatKey(entry.chatId);
      tx.rpush(key, line).ltrim(key, -KEEP_PER_CHAT, -1).expire(key, CHAT_TTL_SECONDS);
    }
    await tx.publish(this.channel, line).exec();
  }

  private async call(method: string, payload: Record<string, unknown>): Promise<unknown> {
    if (method === 'getMe') return SANDBOX_BOT;
    const chatId = chatIdOf(payload);
    const entry: RecordedBotCall = {
      method,
      payload,
      at: new Date().toISOString(),
      traceId: currentTraceId() ?? null,
      chatId,
      from: 'bot',
    };
    let messageId = 0;
    try {
      messageId = await this.nextMessageId();
      entry.seq = messageId;
      await this.store(entry, true);
    } catch (err) {
      this.logger.warn(`sandbox call ${method} not recorded: ${(err as Error).message}`);
    }
    const date = Math.floor(Date.now() / 1000);
    const chat = { id: chatId ?? payload.chat_id, type: 'private' };
    const markup = payload.reply_markup as { inline_keyboard?: unknown } | undefined;
    const content = {
      ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
      ...(typeof payload.caption === 'string' ? { caption: payload.caption } : {}),
      ...(markup?.inline_keyboard ? { reply_markup: { inline_keyboard: markup.inline_keyboard } } : {}),
    };
    if (method.startsWith('send') && method !== 'sendChatAction') {
      return { message_id: messageId, from: this.botUser, date, chat, ...content };
    }
    if (method === 'copyMessage') return { message_id: messageId };
    if (EDITS.has(method) && payload.message_id !== undefined) {
      return {
        message_id: Number(payload.message_id),
        from: this.botUser,
        date,
        edit_date: date,
        chat,
        ...content,
      };
    }
    return true;
  }
}
