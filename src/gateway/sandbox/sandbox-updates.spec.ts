import type { RecordedBotCall } from '../../bot/api';
import { botMessage, commandEntities, contactMessage, textMessage } from './sandbox-updates';

const bot = { id: 1, is_bot: true as const, first_name: 'Sandbox', username: 'sandbox_bot' };
const chat = { id: 42, type: 'private', first_name: 'Ann' };
const user = { id: 42, firstName: 'Ann', languageCode: 'en' };
let seq = 100;
const call = (method: string, payload: Record<string, unknown>): RecordedBotCall => ({
  method,
  payload: { chat_id: 42, ...payload },
  at: '2026-03-30T08:00:00.000Z',
  traceId: null,
  seq: ++seq,
  chatId: 42,
  from: 'bot',
});
const keyboard = (text: string) => ({ inline_keyboard: [[{ text, callback_data: text.toLowerCase() }]] });

describe('sandbox updates', () => {
  it.each([
    ['/start', [{ type: 'bot_command', offset: 0, length: 6 }]],
    ['/start book_3', [{ type: 'bot_command', offset: 0, length: 6 }]],
    ['/help@sandbox_bot', [{ type: 'bot_command', offset: 0, length: 17 }]],
    [
      'see /book and /help',
      [
        { type: 'bot_command', offset: 4, length: 5 },
        { type: 'bot_command', offset: 14, length: 5 },
      ],
    ],
    ['📅 /book', [{ type: 'bot_command', offset: 3, length: 5 }]],
    ['no command here', []],
    ['a/b is not one', []],
  ])('commands in %j', (text, entities) => {
    expect(commandEntities(text)).toEqual(entities);
  });

  it('a text message carries its command entities, a plain one none', () => {
    expect(textMessage(user, 7, '/start', 1)).toMatchObject({
      message_id: 7,
      text: '/start',
      chat: { id: 42, type: 'private' },
      from: { id: 42, language_code: 'en' },
      entities: [{ type: 'bot_command' }],
    });
    expect(textMessage(user, 8, 'hi', 1)).not.toHaveProperty('entities');
  });

  it("a shared contact is the sender's own", () => {
    expect(contactMessage(user, 9, '+15550100003', 1)).toMatchObject({
      contact: { phone_number: '+15550100003', first_name: 'Ann', user_id: 42 },
    });
  });

  it('follows a message through edits to what the chat shows now', () => {
    const sent = call('sendMessage', { text: 'Pick a service', reply_markup: keyboard('Haircut') });
    const id = sent.seq!;
    const other = call('sendMessage', { text: 'other' });
    const cases: [RecordedBotCall[], unknown][] = [
      [
        [sent],
        { message_id: id, text: 'Pick a service', reply_markup: keyboard('Haircut'), from: bot, chat },
      ],
      [
        [
          sent,
          other,
          call('editMessageText', { message_id: id, text: 'Pick a time', reply_markup: keyboard('10:00') }),
        ],
        { text: 'Pick a time', reply_markup: keyboard('10:00') },
      ],
      [[sent, call('editMessageText', { message_id: id, text: 'Booked' })], { text: 'Booked' }],
      [
        [sent, call('editMessageReplyMarkup', { message_id: id, reply_markup: keyboard('Back') })],
        { text: 'Pick a service', reply_markup: keyboard('Back') },
      ],
      [
        [sent, call('editMessageText', { message_id: other.seq, text: 'not this one' })],
        { text: 'Pick a service' },
      ],
    ];
    for (const [transcript, expected] of cases)
      expect(botMessage(transcript, id, bot, chat)).toMatchObject(expected as object);
    expect(
      botMessage([sent, call('editMessageText', { message_id: id, text: 'Booked' })], id, bot, chat),
    ).not.toHaveProperty('reply_markup');
    expect(botMessage([sent, call('deleteMessage', { message_id: id })], id, bot, chat)).toBeUndefined();
    expect(botMessage([other], id, bot, chat)).toBeUndefined();
  });

  it('a reply keyboard is not part of the message', () => {
    const sent = call('sendMessage', { text: 'Menu', reply_markup: { keyboard: [[{ text: 'Book' }]] } });
    expect(botMessage([sent], sent.seq!, bot, chat)).not.toHaveProperty('reply_markup');
  });
});
