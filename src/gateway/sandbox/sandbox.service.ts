import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UsersApi } from '../../booking/api';
import { BotSandbox, RecordedBotCall } from '../../bot/api';
import { SYSTEM_ACTOR } from '../../common/actor';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/errors';
import { RedisService } from '../../infra/redis/redis.service';
import { AcceptOutcome, TelegramGateway } from '../api/telegram-gateway.api';
import { DEMO_PERSONAS, DemoPersona } from './demo-personas';
import {
  botMessage,
  callbackQuery,
  contactMessage,
  privateChat,
  SandboxUser,
  textMessage,
} from './sandbox-updates';

const UPDATE_SEQ_KEY = 'sandbox:update_id';

export interface SentMessage {
  messageId: number;
  outcome: AcceptOutcome;
}

export interface PressedButton {
  callbackQueryId: string;
  outcome: AcceptOutcome;
}

export interface PersonaView extends DemoPersona {
  /** The user exists (the demo salon was created). */
  exists: boolean;
}

/**
 * The sandbox page's side of a chat: what the user types or presses becomes an update shaped like
 * Telegram's, entering through TelegramGateway.accept(update, 'sandbox') like any webhook update
 * (journal, dedupe, rate limit, per-chat order); the bot's answers come back from the recorder.
 */
@Injectable()
export class SandboxService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SandboxService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly sandbox: BotSandbox,
    private readonly gateway: TelegramGateway,
    private readonly redis: RedisService,
    private readonly users: UsersApi,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.sandbox.active) return;
    this.logger.log(`sandbox chat page: http://localhost:${this.config.port}/sandbox`);
    if (this.config.sandboxAllowRemote) {
      this.logger.warn(
        'SANDBOX_ALLOW_REMOTE=true: anyone who reaches this server can open /sandbox and act as any user, admins included',
      );
    }
  }

  async sendText(user: SandboxUser, text: string): Promise<SentMessage> {
    const messageId = await this.sandbox.nextMessageId();
    return this.send(user, textMessage(user, messageId, text, now()));
  }

  async shareContact(user: SandboxUser, phone: string): Promise<SentMessage> {
    const messageId = await this.sandbox.nextMessageId();
    return this.send(user, contactMessage(user, messageId, phone, now()));
  }

  async pressButton(user: SandboxUser, messageId: number, data: string): Promise<PressedButton> {
    const transcript = await this.sandbox.chatTranscript(user.id);
    const message = botMessage(transcript, messageId, this.sandbox.botUser, privateChat(user));
    if (!message) throw DomainError.notFound('message', messageId);
    const updateId = await this.nextUpdateId();
    const callbackQueryId = `sandbox-${updateId}`;
    const outcome = await this.gateway.accept(
      { update_id: updateId, callback_query: callbackQuery(user, callbackQueryId, message, data) },
      'sandbox',
    );
    return { callbackQueryId, outcome };
  }

  transcript(chatId: number): Promise<RecordedBotCall[]> {
    return this.sandbox.chatTranscript(chatId);
  }

  async personas(): Promise<PersonaView[]> {
    return Promise.all(
      DEMO_PERSONAS.map(async (persona) => {
        const found = await this.users.list(SYSTEM_ACTOR, { tgId: persona.tgId, limit: 1 });
        return { ...persona, exists: found.total > 0 };
      }),
    );
  }

  private async send(user: SandboxUser, message: Record<string, unknown>): Promise<SentMessage> {
    // Recorded first: the page shows the user's message above the bot's answer, as Telegram does.
    await this.sandbox.recordUserMessage(user.id, message);
    const outcome = await this.gateway.accept({ update_id: await this.nextUpdateId(), message }, 'sandbox');
    return { messageId: message.message_id as number, outcome };
  }

  private nextUpdateId(): Promise<number> {
    return this.redis.client.incr(UPDATE_SEQ_KEY);
  }
}

const now = () => Math.floor(Date.now() / 1000);
