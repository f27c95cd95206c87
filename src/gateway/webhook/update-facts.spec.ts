import type { Update } from 'telegraf/types';
import { asUpdate, factsOf, orderingKey } from './update-facts';

const user = { id: 42, is_bot: false, first_name: 'Anna' };

describe('update facts', () => {
  it.each([
    [
      {
        update_id: 1,
        message: { message_id: 1, date: 0, chat: { id: 7, type: 'private' }, from: user, text: '/start' },
      },
      'message',
      42,
      7,
      '/start',
    ],
    [
      {
        update_id: 2,
        edited_message: {
          message_id: 1,
          date: 0,
          chat: { id: -5, type: 'group' },
          from: user,
          caption: 'pic',
        },
      },
      'edited_message',
      42,
      -5,
      'pic',
    ],
    [
      {
        update_id: 3,
        callback_query: {
          id: 'q',
          from: user,
          chat_instance: 'x',
          data: 'book:1',
          message: { message_id: 3, date: 0, chat: { id: 9, type: 'private' } },
        },
      },
      'callback_query',
      42,
      9,
      'book:1',
    ],
    [
      { update_id: 4, inline_query: { id: 'q', from: user, query: 'hair', offset: '' } },
      'inline_query',
      42,
      undefined,
      'hair',
    ],
    [
      { update_id: 5, poll_answer: { poll_id: 'p', user, option_ids: [0] } },
      'poll_answer',
      42,
      undefined,
      undefined,
    ],
    [
      { update_id: 6, poll: { id: 'p', question: 'q', options: [] } },
      'poll',
      undefined,
      undefined,
      undefined,
    ],
  ])('reads %j', (update, type, fromId, chatId, text) => {
    const facts = factsOf(update as unknown as Update);
    expect(facts).toMatchObject({ type, chatId, text });
    expect(facts.from?.id).toBe(fromId);
  });

  it('orders by chat, then by user, else not at all', () => {
    expect(orderingKey({ update_id: 1, message: { chat: { id: 7 }, from: user } } as unknown as Update)).toBe(
      'c7',
    );
    expect(orderingKey({ update_id: 4, inline_query: { from: user } } as unknown as Update)).toBe('c42');
    expect(orderingKey({ update_id: 6, poll: {} } as unknown as Update)).toBe('u6');
  });

  it.each([null, 5, 'x', [], {}, { update_id: -1 }, { update_id: 1.5 }, { update_id: '3' }])(
    'rejects %j',
    (value) => {
      expect(asUpdate(value)).toBeUndefined();
    },
  );
});
