import type { UserDto } from '../../../../booking/api';
import type { AdminLine } from '../bookings/admin-desk';
import { AdminBookings, AdminNew } from '../bookings/bookings.routes';
import { Clients } from './clients.routes';
import { blockAskScreen, clientCardScreen, clientsScreen } from './clients.screens';

const user = (over: Partial<UserDto> = {}): UserDto => ({
  id: 7,
  tgId: 555,
  phone: '+491701234567',
  phoneVerified: false,
  name: 'Maria',
  username: null,
  language: 'en',
  role: 'client',
  blocked: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const line = (id: number, status: AdminLine['status']): AdminLine => ({
  id,
  startAt: '2026-04-14T08:00:00.000Z',
  timeZone: 'Europe/Berlin',
  service: 'Haircut',
  specialist: 'Anna',
  client: 'Maria',
  status,
});
const labels = (screen: { keyboard: { text: string }[][] }) => screen.keyboard.flat().map((b) => b.text);
const data = (screen: { keyboard: unknown[][] }) =>
  screen.keyboard.flat().map((b) => (b as { callback_data: string }).callback_data);

describe('the admin Clients screens', () => {
  it.each([
    ['en', undefined, 12, 'Clients: 12.\nType a name or phone to search.'],
    ['en', 'Mar', 2, 'Clients matching “Mar”: 2.\nType a name or phone to search.'],
    ['en', 'zz', 0, 'No client matches “zz”.\nType a name or phone to search.'],
    ['ru', undefined, 3, 'Клиентов: 3.\nДля поиска напишите имя или телефон.'],
    ['ru', '+7916', 0, 'По запросу «+7916» никого не нашлось.\nДля поиска напишите имя или телефон.'],
  ] as const)('%s list for query %s with %d', (lang, query, total, text) => {
    expect(clientsScreen(lang, { items: [], page: 0, pages: 1 }, total, query).text).toBe(text);
  });

  it('lists clients with their phones, the blocked marked; a search can be dropped', () => {
    const screen = clientsScreen(
      'en',
      { items: [user(), user({ id: 8, name: 'Ivan', phone: null, blocked: true })], page: 0, pages: 1 },
      2,
      'a',
    );
    expect(labels(screen)).toEqual([
      'Maria · +491701234567',
      '🚫 Ivan · no phone',
      '👥 All clients',
      '🏠 Home',
    ]);
    expect(data(screen)[1]).toBe(Clients.card.encode(8));
  });

  it('a card: phone, language, counts, upcoming and past; book for them or block', () => {
    const screen = clientCardScreen('en', {
      client: user(),
      bookings: 4,
      noShows: 1,
      upcoming: [line(21, 'pending')],
      past: [line(20, 'no_show')],
    });
    expect(screen.text).toBe(
      [
        '👤 Maria',
        '📱 +491701234567',
        '🌐 English · uses the bot',
        'Bookings: 4 · no-shows: 1',
        '',
        'Upcoming:',
        '⏳ Tue 14 Apr, 10:00 (Berlin) · Haircut · Anna',
        '',
        'Past (latest first):',
        '❌ Tue 14 Apr, 10:00 (Berlin) · Haircut · Anna',
      ].join('\n'),
    );
    expect(data(screen)).toEqual([
      AdminBookings.card.encode(21, 'client'),
      AdminNew.locations.encode(7, 0),
      Clients.blockAsk.encode(7),
      Clients.list.encode(0),
      'h',
    ]);
  });

  it('a blocked client without Telegram: said so, unblock at once, no booking for them', () => {
    const screen = clientCardScreen('ru', {
      client: user({ blocked: true, tgId: null, phone: null, language: 'ru' }),
      bookings: 0,
      noShows: 0,
      upcoming: [],
      past: [],
    });
    expect(screen.text).toBe(
      [
        '👤 Maria',
        '📱 без телефона',
        '🌐 Русский · нет в Telegram',
        'Записей: 0 · неявок: 0',
        '🚫 Заблокирован: бот ему не отвечает.',
        '',
        'Предстоящие:',
        'нет',
        '',
        'Прошедшие (сначала последние):',
        'нет',
      ].join('\n'),
    );
    expect(labels(screen)).toEqual(['✅ Разблокировать', '⬅️ Назад', '🏠 Главное меню']);
    expect(data(screen)[0]).toBe(Clients.block.encode(7, 'off'));
  });

  it('blocking asks first', () => {
    const screen = blockAskScreen('en', user());
    expect(screen.text).toBe(
      'Block Maria? They will not be able to use the bot or book until you unblock them.',
    );
    expect(data(screen)).toEqual([Clients.block.encode(7, 'on'), Clients.card.encode(7)]);
  });
});
