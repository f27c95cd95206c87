import { NotificationButtons } from '../../bot/api';
import {
  bookingText,
  formatWhen,
  MessageFacts,
  notificationButtons,
  NOTIFICATION_TEXT_KEYS,
  pushTitle,
  templateKey,
  withAd,
} from './notification-texts';

describe('notification texts', () => {
  it('has every key in both catalogs', () => {
    expect([...NOTIFICATION_TEXT_KEYS.en].sort()).toEqual([...NOTIFICATION_TEXT_KEYS.ru].sort());
  });
});

describe('templateKey (which text each reader gets)', () => {
  it.each([
    ['booking_created', 'client', 'client', 'booking_created.client.own'],
    ['booking_created', 'client', 'admin', 'booking_created.client.for_you'],
    ['booking_created', 'client', 'specialist', 'booking_created.client.for_you'],
    ['booking_created', 'specialist', 'client', 'booking_created.staff'],
    ['booking_created', 'admin', 'client', 'booking_created.staff'],
    ['booking_created', 'admin', 'specialist', 'booking_created.staff'],
    ['booking_confirmed', 'client', 'admin', 'booking_confirmed.client'],
    ['booking_cancelled', 'client', 'admin', 'booking_cancelled.client'],
    ['booking_cancelled', 'specialist', 'client', 'booking_cancelled.staff'],
    ['booking_cancelled', 'admin', 'system', 'booking_cancelled.staff'],
    ['booking_rescheduled', 'client', 'admin', 'booking_rescheduled.client'],
    ['booking_rescheduled', 'specialist', 'admin', 'booking_rescheduled.staff'],
    ['booking_rescheduled', 'admin', 'client', 'booking_rescheduled.staff'],
    ['booking_done', 'admin', 'system', 'booking_done.staff'],
    ['booking_reminder', 'client', 'system', 'booking_reminder.client'],
  ] as const)('%s read by the %s, caused by the %s: %s', (type, role, initiator, key) => {
    expect(templateKey(type, role, initiator)).toBe(key);
  });
});

describe("formatWhen (the location's clock, the reader's language)", () => {
  it.each([
    // Berlin moves to summer time at 01:00 UTC on 30 March 2025 and back at 01:00 UTC on 26 October.
    ['2025-03-30T00:30:00Z', 'Europe/Berlin', 'en', 'Sun 30 March at 01:30'],
    ['2025-03-30T01:30:00Z', 'Europe/Berlin', 'en', 'Sun 30 March at 03:30'],
    ['2025-03-30T01:30:00Z', 'Europe/Berlin', 'ru', 'вс, 30 марта в 03:30'],
    ['2025-10-26T00:30:00Z', 'Europe/Berlin', 'en', 'Sun 26 October at 02:30'],
    ['2025-10-26T01:30:00Z', 'Europe/Berlin', 'ru', 'вс, 26 октября в 02:30'],
    // The local date differs from the UTC one, both ways.
    ['2025-06-01T22:15:00Z', 'Asia/Tokyo', 'en', 'Mon 2 June at 07:15'],
    ['2025-06-01T22:15:00Z', 'Asia/Tokyo', 'ru', 'пн, 2 июня в 07:15'],
    ['2025-06-01T02:00:00Z', 'America/New_York', 'en', 'Sat 31 May at 22:00'],
    ['2025-06-01T02:00:00Z', 'America/New_York', 'ru', 'сб, 31 мая в 22:00'],
    ['2025-12-31T20:45:00Z', 'Pacific/Kiritimati', 'en', 'Thu 1 January at 10:45'],
    ['2025-01-05T09:05:00Z', 'UTC', 'en', 'Sun 5 January at 09:05'],
    ['2025-01-05T09:05:00Z', 'UTC', 'ru', 'вс, 5 января в 09:05'],
    ['2025-03-02T11:00:00Z', 'Europe/Moscow', 'ru', 'вс, 2 марта в 14:00'],
  ] as const)('%s in %s (%s): %s', (iso, zone, lang, expected) => {
    expect(formatWhen(iso, lang, zone)).toBe(expected);
  });
});

describe('bookingText (the whole message)', () => {
  const facts: MessageFacts = {
    client: 'Olga',
    specialist: 'Anna',
    service: 'Haircut',
    location: 'Salon Mitte',
    timeZone: 'Europe/Berlin',
    startAt: '2025-03-31T08:00:00Z',
  };
  it.each([
    [
      { type: 'booking_created', initiator: 'client' },
      'client',
      'en',
      'Your booking is received: Haircut with Anna, Mon 31 March at 10:00, Salon Mitte.',
    ],
    [
      { type: 'booking_created', initiator: 'admin' },
      'client',
      'ru',
      'Вас записали: Haircut, мастер Anna, пн, 31 марта в 10:00, Salon Mitte.',
    ],
    [
      { type: 'booking_created', initiator: 'client' },
      'specialist',
      'en',
      'New booking: Olga, Haircut with Anna, Mon 31 March at 10:00, Salon Mitte.',
    ],
    [
      { type: 'booking_rescheduled', initiator: 'admin', previousStartAt: '2025-03-29T16:30:00Z' },
      'client',
      'en',
      'Your booking was moved: Haircut with Anna, now Mon 31 March at 10:00 (was Sat 29 March at 17:30), Salon Mitte.',
    ],
    [
      { type: 'booking_rescheduled', initiator: 'client', previousStartAt: '2025-03-29T16:30:00Z' },
      'admin',
      'ru',
      'Запись перенесена: Olga, Haircut, мастер Anna, теперь пн, 31 марта в 10:00 (было сб, 29 марта в 17:30).',
    ],
    [
      { type: 'booking_cancelled', initiator: 'specialist', reason: '  I am ill  ' },
      'client',
      'en',
      'Your booking was cancelled: Haircut with Anna, Mon 31 March at 10:00.\nReason: I am ill',
    ],
    [
      { type: 'booking_cancelled', initiator: 'client', reason: '   ' },
      'specialist',
      'ru',
      'Запись отменена: Olga, Haircut, мастер Anna, пн, 31 марта в 10:00.',
    ],
    [
      { type: 'booking_cancelled', initiator: 'system', reason: null },
      'admin',
      'en',
      'Booking cancelled: Olga, Haircut with Anna, Mon 31 March at 10:00.',
    ],
    [
      { type: 'booking_confirmed', initiator: 'admin' },
      'client',
      'en',
      'Your booking is confirmed: Haircut with Anna, Mon 31 March at 10:00, Salon Mitte.',
    ],
    [
      { type: 'booking_done', initiator: 'system' },
      'admin',
      'ru',
      'Визит состоялся? Olga, Haircut, мастер Anna, пн, 31 марта в 10:00, Salon Mitte.',
    ],
    [
      { type: 'booking_reminder', initiator: 'system' },
      'client',
      'en',
      'Reminder: Haircut with Anna, Mon 31 March at 10:00, Salon Mitte.',
    ],
  ] as const)('%j to the %s in %s', (event, role, lang, expected) => {
    expect(bookingText(event, role, lang, facts)).toBe(expected);
  });

  it('a reason is told only with a cancellation', () => {
    expect(
      bookingText({ type: 'booking_confirmed', initiator: 'admin', reason: 'why' }, 'client', 'en', facts),
    ).not.toContain('Reason');
  });
});

describe('withAd (the setting’s ad under the text)', () => {
  const ad = { active: true, textEn: 'Coffee is free', textRu: 'Кофе бесплатно' };
  it.each([
    [ad, 'en', 'Text\n\nCoffee is free'],
    [ad, 'ru', 'Text\n\nКофе бесплатно'],
    [{ ...ad, active: false }, 'en', 'Text'],
    [{ ...ad, textEn: '' }, 'en', 'Text'],
    [{ ...ad, textEn: '' }, 'ru', 'Text\n\nКофе бесплатно'],
    [undefined, 'ru', 'Text'],
  ] as const)('%j in %s', (given, lang, expected) => {
    expect(withAd('Text', given, lang)).toBe(expected);
  });
});

describe('pushTitle and notificationButtons', () => {
  it.each([
    ['en', 'Booking'],
    ['ru', 'Запись'],
  ] as const)('the push title in %s is %s', (lang, title) => {
    expect(pushTitle(lang)).toBe(title);
  });

  it.each([
    [
      'booking_done',
      'en',
      [
        [
          { text: 'Yes, done', data: NotificationButtons.completion.encode(7, 'done') },
          { text: 'No, a no-show', data: NotificationButtons.completion.encode(7, 'no_show') },
        ],
      ],
    ],
    [
      'booking_reminder',
      'ru',
      [
        [{ text: 'Приду', data: NotificationButtons.reminder.encode(7, 'come') }],
        [
          { text: 'Перенести', data: NotificationButtons.reminder.encode(7, 'move') },
          { text: 'Отменить', data: NotificationButtons.reminder.encode(7, 'cancel') },
        ],
      ],
    ],
    ['booking_created', 'en', undefined],
    ['booking_cancelled', 'ru', undefined],
    ['booking_rescheduled', 'en', undefined],
    ['booking_confirmed', 'en', undefined],
  ] as const)('%s in %s', (type, lang, expected) => {
    expect(notificationButtons(type, 7, lang)).toEqual(expected);
  });

  it('each button names its booking', () => {
    const [[yes]] = notificationButtons('booking_done', 42, 'en')!;
    expect(NotificationButtons.completion.decode(yes.data)).toEqual([42, 'done']);
  });
});
