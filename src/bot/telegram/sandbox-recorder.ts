import { Injectable, Logger } from '@nestjs/common';
import type { Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { AppConfig } from '../../config/app-config';
import { currentTraceId } from '../../infra/cls/trace';
import { RedisService } from '../../infra/redis/redis.service';
import { BotSandbox, RecordedBotCall } from '../api/bot-sandbox.api';

/** Telegraf needs some token; in the sandbox no request ever leaves the process. */
export const SANDBOX_TOKEN = '0:sandbox';
const CALLS_KEY = 'bot:sandbox:calls';
const MESSAGE_SEQ_KEY = 'bot:sandbox:message_id';
const KEEP_CALLS = 500;

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

/**
 * With no BOT_TOKEN the bot still runs: each Telegram client it uses gets its `callApi` replaced by
 * this recorder (see TelegramCalls), which keeps the last calls in Redis (so every instance and the later sandbox page
 * see them) and answers like the Bot API would.
 */
@Injectable()
export class SandboxRecorder extends BotSandbox {
  private readonly logger = new Logger(SandboxRecorder.name);
  readonly active: boolean;

  constructor(
    config: AppConfig,
    private readonly redis: RedisService,
  ) {
    super();
    this.active = config.telegram.token === undefined;
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

  private async call(method: string, payload: Record<string, unknown>): Promise<unknown> {
    if (method === 'getMe') return SANDBOX_BOT;
    const entry: RecordedBotCall = {
      method,
      payload,
      at: new Date().toISOString(),
      traceId: currentTraceId() ?? null,
    };
    let messageId = 0;
    try {
      const [[, id]] = (await this.redis.client
        .multi()
        .incr(MESSAGE_SEQ_KEY)
        .lpush(CALLS_KEY, JSON.stringify(entry))
        .ltrim(CALLS_KEY, 0, KEEP_CALLS - 1)
        .exec()) as [[Error | null, number]];
      messageId = id;
    } catch (err) {
      this.logger.warn(`sandbox call ${method} not recorded: ${(err as Error).message}`);
    }
    if (method.startsWith('send') || method === 'copyMessage') {
      return {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: payload.chat_id, type: 'private' },
        ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
      };
    }
    return true;
  }
}
