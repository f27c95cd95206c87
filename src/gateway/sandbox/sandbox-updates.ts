import type { RecordedBotCall, SandboxBotUser } from '../../bot/api';

/** The sandbox page's user, as Telegram would describe them. */
export interface SandboxUser {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

type Json = Record<string, unknown>;

const COMMAND = /(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?)/g;

export function telegramUser(user: SandboxUser): Json {
  return {
    id: user.id,
    is_bot: false,
    first_name: user.firstName,
    ...(user.lastName ? { last_name: user.lastName } : {}),
    ...(user.username ? { username: user.username } : {}),
    ...(user.languageCode ? { language_code: user.languageCode } : {}),
  };
}

export function privateChat(user: SandboxUser): Json {
  return {
    id: user.id,
    type: 'private',
    first_name: user.firstName,
    ...(user.lastName ? { last_name: user.lastName } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}

/** Telegram marks every /command in a text (offsets in UTF-16 units, as JavaScript counts them). */
export function commandEntities(text: string): Json[] {
  return [...text.matchAll(COMMAND)].map((m) => ({
    type: 'bot_command',
    offset: m.index + m[1].length,
    length: m[2].length,
  }));
}

export function textMessage(user: SandboxUser, messageId: number, text: string, date: number): Json {
  const entities = commandEntities(text);
  return {
    message_id: messageId,
    from: telegramUser(user),
    chat: privateChat(user),
    date,
    text,
    ...(entities.length ? { entities } : {}),
  };
}

/** What a `request_contact` reply button sends: the user's own contact, so user_id is the sender. */
export function contactMessage(user: SandboxUser, messageId: number, phone: string, date: number): Json {
  return {
    message_id: messageId,
    from: telegramUser(user),
    chat: privateChat(user),
    date,
    contact: {
      phone_number: phone,
      first_name: user.firstName,
      ...(user.lastName ? { last_name: user.lastName } : {}),
      user_id: user.id,
    },
  };
}

export function callbackQuery(user: SandboxUser, id: string, message: Json, data: string): Json {
  return { id, from: telegramUser(user), message, chat_instance: String(user.id), data };
}

const SENDS_WITH_CONTENT =
  /^send(Message|Photo|Document|Video|Animation|Audio|Voice|Sticker|Location|Venue|Contact|Poll|Dice)$/;

/**
 * The bot's message `messageId` as the chat shows it now: sent, then edited, unless deleted. This is
 * what Telegram puts in a callback_query (the message the pressed button belongs to).
 */
export function botMessage(
  transcript: readonly RecordedBotCall[],
  messageId: number,
  bot: SandboxBotUser,
  chat: Json,
): Json | undefined {
  let message: Json | undefined;
  for (const entry of transcript) {
    if (entry.from === 'user') continue;
    const p = entry.payload;
    if (SENDS_WITH_CONTENT.test(entry.method) && entry.seq === messageId) {
      message = { message_id: messageId, from: bot, chat, date: Math.floor(Date.parse(entry.at) / 1000) };
      if (typeof p.text === 'string') message.text = p.text;
      if (typeof p.caption === 'string') message.caption = p.caption;
      message.reply_markup = inlineMarkup(p.reply_markup);
    } else if (message && Number(p.message_id) === messageId) {
      if (entry.method === 'deleteMessage') message = undefined;
      else if (entry.method === 'editMessageText') {
        message.text = p.text;
        message.reply_markup = inlineMarkup(p.reply_markup);
        message.edit_date = Math.floor(Date.parse(entry.at) / 1000);
      } else if (entry.method === 'editMessageCaption') {
        message.caption = p.caption;
        message.reply_markup = inlineMarkup(p.reply_markup);
      } else if (entry.method === 'editMessageReplyMarkup') {
        message.reply_markup = inlineMarkup(p.reply_markup);
      }
    }
  }
  if (message && message.reply_markup === undefined) delete message.reply_markup;
  return message;
}

/** Only an inline keyboard belongs to a message; a reply keyboard belongs to the chat. */
function inlineMarkup(markup: unknown): Json | undefined {
  const inline = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  return Array.isArray(inline) && inline.length ? { inline_keyboard: inline } : undefined;
}
