import type { InlineKeyboardButton, Message, Update } from 'telegraf/types';

type MessageOrigin = NonNullable<Message.TextMessage['forward_origin']>;
import { BotUpdates } from '../../src/bot/api';
import type { FakeTelegramApi, RecordedCall } from './fake-telegram-api';
import { messageUpdate, newTgUserId, newUpdateId } from './telegram-updates';
import type { TestApp } from './test-app';

/** One message of the chat as the user sees it now (after edits), or gone. */
export interface ChatMessage {
  id: number;
  text: string;
  inline: InlineKeyboardButton[][];
  replyKeyboard?: string[][];
  deleted: boolean;
}

/**
 * Records which updates the bot has finished with, so a test can wait for exactly the update it sent
 * instead of for time. Install once per app (it wraps BotUpdates.handle and calls through).
 */
export class BotProcessing {
  private readonly finished = new Set<number>();
  private readonly waiters = new Map<number, () => void>();

  constructor(app: TestApp) {
    const bot = app.get(BotUpdates);
    const handle = bot.handle.bind(bot);
    jest.spyOn(bot, 'handle').mockImplementation(async (update, ctx) => {
      try {
        await handle(update, ctx);
      } finally {
        this.finish(update.update_id);
      }
    });
    // A blocked user's update never reaches handle(): the notice (or its skipping) is the end of it.
    const blocked = bot.blocked.bind(bot);
    jest.spyOn(bot, 'blocked').mockImplementation(async (update, ctx) => {
      try {
        await blocked(update, ctx);
      } finally {
        this.finish(update.update_id);
      }
    });
  }

  private finish(updateId: number): void {
    this.finished.add(updateId);
    this.waiters.get(updateId)?.();
  }

  done(updateId: number, timeoutMs = 10000): Promise<void> {
    if (this.finished.has(updateId)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`update ${updateId} not processed in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.set(updateId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export interface BotChatOptions {
  userId?: number;
  languageCode?: string;
  firstName?: string;
  /** The sender's Telegram @username (without @), if any. */
  username?: string;
}

/**
 * A Telegram user talking to the bot through POST /tg/webhook: sends texts, presses buttons, and reads
 * what reached the fake Bot API as the chat would show it (messages, edits, deletions, toasts).
 */
export class BotChat {
  readonly userId: number;
  readonly languageCode: string;
  readonly firstName: string;
  readonly username?: string;

  constructor(
    private readonly app: TestApp,
    private readonly fake: FakeTelegramApi,
    private readonly processing: BotProcessing,
    private readonly secret: string,
    options: BotChatOptions = {},
  ) {
    this.userId = options.userId ?? newTgUserId();
    this.languageCode = options.languageCode ?? 'en';
    this.firstName = options.firstName ?? 'Anna';
    this.username = options.username;
  }

  /** Posts an update to the webhook and waits until the bot has finished with it. */
  async post(update: Update): Promise<void> {
    const res = await this.app.request('POST', '/tg/webhook', {
      headers: { 'x-telegram-bot-api-secret-token': this.secret, 'content-type': 'application/json' },
      payload: JSON.stringify(update),
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await this.processing.done(update.update_id);
  }

  async send(text: string): Promise<void> {
    await this.post(
      messageUpdate({
        userId: this.userId,
        text,
        languageCode: this.languageCode,
        firstName: this.firstName,
        username: this.username,
      }),
    );
  }

  /** Shares a contact through the contact button; `ownerId` is whose contact it is (the sender's by default). */
  async shareContact(phone: string, ownerId = this.userId): Promise<void> {
    await this.post({
      update_id: newUpdateId(),
      message: {
        message_id: Math.floor(Math.random() * 1e6),
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.userId, type: 'private', first_name: this.firstName },
        from: {
          id: this.userId,
          is_bot: false,
          first_name: this.firstName,
          language_code: this.languageCode,
        },
        contact: { phone_number: phone, first_name: this.firstName, user_id: ownerId },
      },
    } as Update);
  }

  /** Forwards a text message whose origin is `origin` (a person, a hidden user, a channel). */
  async forward(text: string, origin: MessageOrigin): Promise<void> {
    await this.post({
      update_id: newUpdateId(),
      message: {
        message_id: Math.floor(Math.random() * 1e6),
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.userId, type: 'private', first_name: this.firstName },
        from: {
          id: this.userId,
          is_bot: false,
          first_name: this.firstName,
          language_code: this.languageCode,
        },
        forward_origin: origin,
        text,
      },
    } as Update);
  }

  /** Presses the button whose text contains `label` on the newest message that has one; returns the toast. */
  async press(label: string | RegExp): Promise<string | undefined> {
    const { message, button } = this.find(label);
    return this.pressData(button.callback_data!, message.id, message.text);
  }

  /** Sends a button press with any data from any message (a forged or replayed one). */
  async pressData(
    data: string,
    messageId = this.current().id,
    text = '',
    updateId = newUpdateId(),
  ): Promise<string | undefined> {
    const queryId = `q${updateId}`;
    await this.post({
      update_id: updateId,
      callback_query: {
        id: queryId,
        chat_instance: 'ci',
        data,
        from: {
          id: this.userId,
          is_bot: false,
          first_name: this.firstName,
          language_code: this.languageCode,
        },
        message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: this.userId, type: 'private' },
          text,
        },
      },
    } as Update);
    return this.answerTo(queryId);
  }

  /** The text of answerCallbackQuery for a query (undefined: answered without a toast). */
  answerTo(queryId: string): string | undefined {
    const answers = this.fake
      .callsOf('answerCallbackQuery')
      .filter((c) => c.params.callback_query_id === queryId);
    if (answers.length !== 1) throw new Error(`query ${queryId} answered ${answers.length} times`);
    return answers[0].params.text;
  }

  /** Every message of this chat as shown now, oldest first. */
  messages(): ChatMessage[] {
    const byId = new Map<number, ChatMessage>();
    for (const call of this.callsToChat()) {
      const p = call.params;
      if (call.method === 'sendMessage') {
        const id = (call.result as { message_id: number }).message_id;
        byId.set(id, {
          id,
          text: String(p.text),
          inline: p.reply_markup?.inline_keyboard ?? [],
          replyKeyboard: p.reply_markup?.keyboard?.map((row: { text: string }[]) => row.map((b) => b.text)),
          deleted: false,
        });
      } else if (call.method === 'editMessageText') {
        const m = byId.get(Number(p.message_id));
        if (m) Object.assign(m, { text: String(p.text), inline: p.reply_markup?.inline_keyboard ?? [] });
      } else if (call.method === 'editMessageReplyMarkup') {
        const m = byId.get(Number(p.message_id));
        if (m) m.inline = p.reply_markup?.inline_keyboard ?? [];
      } else if (call.method === 'deleteMessage') {
        const m = byId.get(Number(p.message_id));
        if (m) m.deleted = true;
      }
    }
    return [...byId.values()];
  }

  /** Visible messages. */
  visible(): ChatMessage[] {
    return this.messages().filter((m) => !m.deleted);
  }

  /** The newest visible message with inline buttons: the menu the user looks at. */
  current(): ChatMessage {
    const withButtons = this.visible().filter((m) => m.inline.length);
    if (!withButtons.length)
      throw new Error(`no menu in the chat; messages: ${JSON.stringify(this.visible().map((m) => m.text))}`);
    return withButtons[withButtons.length - 1];
  }

  /** The newest visible message's text. */
  lastText(): string {
    const all = this.visible();
    return all[all.length - 1]?.text ?? '';
  }

  /** The labels of the current menu's buttons. */
  buttons(): string[] {
    return this.current()
      .inline.flat()
      .map((b) => b.text);
  }

  /** The reply keyboard the chat shows (the newest message that set one). */
  replyKeyboard(): string[] | undefined {
    const withKeyboard = this.messages().filter((m) => m.replyKeyboard);
    return withKeyboard[withKeyboard.length - 1]?.replyKeyboard?.flat();
  }

  private find(label: string | RegExp): {
    message: ChatMessage;
    button: InlineKeyboardButton.CallbackButton;
  } {
    const matches = (text: string) => (typeof label === 'string' ? text.includes(label) : label.test(text));
    const messages = this.visible()
      .filter((m) => m.inline.length)
      .reverse();
    for (const message of messages) {
      const button = message.inline.flat().find((b) => matches(b.text)) as
        InlineKeyboardButton.CallbackButton | undefined;
      if (button) return { message, button };
    }
    throw new Error(
      `no button "${label}"; current menu: ${JSON.stringify(
        this.messages()
          .filter((m) => m.inline.length)
          .pop()
          ?.inline.flat()
          .map((b) => b.text),
      )}`,
    );
  }

  private callsToChat(): RecordedCall[] {
    return this.fake.calls.filter((c) => Number(c.params.chat_id) === this.userId);
  }
}
