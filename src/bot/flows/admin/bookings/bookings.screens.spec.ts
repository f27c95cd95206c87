import type { BookingDto, BookingStatus, LocationDto, UserDto } from '../../../../booking/api';
import type { BookingDetails } from '../../client/booking/booking.screens';
import { Clients } from '../clients/clients.routes';
import { Pending } from '../pending/pending.routes';
import { Today } from '../today/today.routes';
import type { AdminLine } from './admin-desk';
import { AdminBookings, AdminMove, AdminNew, Origin, originOf } from './bookings.routes';
import {
  backOf,
  cancelAskScreen,
  cardScreen,
  clientChoiceScreen,
  dayScreen,
  lineText,
} from './bookings.screens';

const location: LocationDto = {
  id: 3,
  name: 'Mitte',
  address: 'Torstr. 1',
  timeZone: 'Europe/Berlin',
  active: true,
};
const START = '2026-04-14T08:00:00.000Z';

const booking = (status: BookingStatus, over: Partial<BookingDto> = {}): BookingDto => ({
  id: 42,
  clientId: 7,
  specialistId: 5,
  locationId: 3,
  serviceId: 2,
  startAt: START,
  endAt: '2026-04-14T09:00:00.000Z',
  durationMin: 60,
  price: 3500,
  status,
  createdByRole: 'client',
  createdByUserId: 7,
  comment: '',
  cancelReason: null,
  createdAt: START,
  updatedAt: START,
  ...over,
});
const details: BookingDetails = {
  service: 'Haircut',
  specialist: 'Anna',
  startAt: START,
  durationMin: 60,
  price: 3500,
  currency: 'EUR',
  location,
};
const client = { name: 'Maria', phone: '+491701234567' };
const line = (id: number, status: BookingStatus): AdminLine => ({
  id,
  startAt: START,
  timeZone: 'Europe/Berlin',
  service: 'Haircut',
  specialist: 'Anna',
  client: 'Maria',
  status,
});
const labels = (screen: { keyboard: { text: string }[][] }) => screen.keyboard.flat().map((b) => b.text);
const BEFORE = new Date('2026-04-14T07:00:00Z');
const AFTER = new Date('2026-04-14T08:30:00Z');

describe('admin booking screens', () => {
  it.each([
    ['pending', false, ['✅ Confirm', '🔁 Reschedule', '✖ Decline', '⬅️ Back', '🏠 Home']],
    ['confirmed', false, ['🔁 Reschedule', '✖ Cancel', '⬅️ Back', '🏠 Home']],
    ['confirmed', true, ['✔️ Done', '❌ No-show', '⬅️ Back', '🏠 Home']],
    ['pending', true, ['✅ Confirm', '⬅️ Back', '🏠 Home']],
    ['done', true, ['⬅️ Back', '🏠 Home']],
    ['no_show', true, ['⬅️ Back', '🏠 Home']],
    ['cancelled', false, ['⬅️ Back', '🏠 Home']],
  ] as const)('a %s booking (started: %s) offers %j', (status, started, expected) => {
    const screen = cardScreen('en', booking(status), details, client, started ? AFTER : BEFORE, 'day', 'x');
    expect(labels(screen)).toEqual(expected);
  });

  it('a card names the booking, its status and the client with their phone, then the details', () => {
    const screen = cardScreen('en', booking('confirmed'), details, client, BEFORE, 'today', 'x');
    expect(screen.text).toMatch(/^Booking #42 · confirmed\n👤 Maria · \+491701234567\nHaircut · 1 h\n/);
    const none = cardScreen(
      'ru',
      booking('pending'),
      details,
      { name: 'Ира', phone: null },
      BEFORE,
      'pend',
      'x',
    );
    expect(none.text).toMatch(/^Запись №42 · ожидает подтверждения\n👤 Ира · без телефона\n/);
  });

  it('a cancelled card shows the reason, and a notice comes first', () => {
    const cancelled = booking('cancelled', { cancelReason: 'ill' });
    const screen = cardScreen('en', cancelled, details, client, BEFORE, 'day', 'x', 'Cancelled.');
    expect(screen.text).toMatch(/^Cancelled\.\n\nBooking #42 · cancelled\n[\s\S]*\nReason: ill$/);
  });

  it('actions keep where the card was opened from', () => {
    const screen = cardScreen('en', booking('pending'), details, client, BEFORE, 'pend', 'x');
    const data = screen.keyboard.flat().map((b) => (b as { callback_data: string }).callback_data);
    expect(data).toContain(AdminBookings.confirm.encode(42, 'pend'));
    expect(data).toContain(AdminBookings.cancelAsk.encode(42, 'pend'));
    expect(data).toContain(AdminMove.specialists.encode(42));
  });

  it.each([
    ['day', AdminBookings.day.encode(3, '2026-04-14', 0, 0)],
    ['today', Today.show.encode(3, 0)],
    ['pend', Pending.list.encode(0)],
    ['client', Clients.card.encode(7)],
  ] as const)('Back from a card opened from %s leads there', (origin: Origin, expected) => {
    expect(backOf(origin, booking('confirmed'), '2026-04-14')).toBe(expected);
  });

  it.each([
    ['today', 'today'],
    ['bogus', 'day'],
  ])('origin word %s reads as %s', (word, expected) => {
    expect(originOf(word)).toBe(expected);
  });

  it.each([
    [
      'en',
      'pending',
      undefined,
      'Decline this booking? The client will be told.',
      'Yes, decline without a reason',
    ],
    [
      'en',
      'confirmed',
      undefined,
      'Cancel this booking? The client will be told.',
      'Yes, cancel without a reason',
    ],
    [
      'en',
      'confirmed',
      'ill',
      'Cancel this booking? The client will be told, with the reason: ill',
      'Yes, with this reason',
    ],
    [
      'ru',
      'pending',
      undefined,
      'Отклонить эту запись? Клиенту придёт сообщение.',
      'Да, отклонить без причины',
    ],
    [
      'ru',
      'confirmed',
      'болезнь',
      'Отменить эту запись? Клиенту придёт сообщение с причиной: болезнь',
      'Да, с этой причиной',
    ],
  ] as const)('cancelling asks first (%s, %s, reason %s)', (lang, status, reason, question, yes) => {
    const screen = cancelAskScreen(lang, booking(status), details, 'day', reason);
    expect(screen.text.split('\n\n')[0]).toBe(question);
    expect(labels(screen)[0]).toBe(yes);
    expect((screen.keyboard[0][1] as { callback_data: string }).callback_data).toBe(
      AdminBookings.card.encode(42, 'day'),
    );
  });

  it.each([
    ['pending', false, '⏳ 10:00 · Anna · Maria · Haircut'],
    ['no_show', false, '❌ 10:00 · Anna · Maria · Haircut'],
    ['confirmed', true, '🟢 Tue 14 Apr, 10:00 (Berlin) · Anna · Maria · Haircut'],
  ] as const)('a %s line (with date: %s) reads %s', (status, withDate, expected) => {
    expect(lineText('en', line(1, status), withDate)).toBe(expected);
  });

  it('a day lists its bookings, pages them, moves day by day and offers a new booking', () => {
    const items = Array.from({ length: 8 }, (_, i) => line(i + 1, 'confirmed'));
    const screen = dayScreen('en', {
      location,
      date: '2026-04-14',
      lines: { items, page: 0, pages: 2 },
      total: 9,
      severalLocations: true,
    });
    expect(screen.text).toBe('📅 Mitte, Tue 14 Apr · all specialists\nBookings: 9. Tap one to open it.');
    const all = labels(screen);
    expect(all.filter((l) => l.startsWith('🟢'))).toHaveLength(8);
    expect(all).toEqual(
      expect.arrayContaining([
        '1/2',
        '▶️',
        '« Mon 13 Apr',
        'Wed 15 Apr »',
        '👤 all specialists',
        '📍 Location',
      ]),
    );
    expect(all).toContain('➕ Book for a client');
  });

  it('an empty day of one specialist at the only location', () => {
    const screen = dayScreen('ru', {
      location,
      date: '2026-04-14',
      specialist: { id: 5, name: 'Anna' },
      lines: { items: [], page: 0, pages: 1 },
      total: 0,
      severalLocations: false,
    });
    expect(screen.text).toBe('📅 Mitte, вт 14 апр. · Anna\nНа этот день записей нет.');
    expect(labels(screen)).not.toContain('📍 Филиал');
    expect(labels(screen)).toContain('👤 Anna');
  });

  it('clients found are choices, with a new client always at hand', () => {
    const found = [{ id: 7, name: 'Maria', phone: null } as unknown as UserDto];
    const screen = clientChoiceScreen('en', 'Mar', { items: found, page: 0, pages: 1 }, 1);
    expect(screen.text).toBe('Clients matching “Mar”: 1. Choose one, or type again to search again.');
    expect(screen.keyboard[0][0]).toEqual({
      text: 'Maria · no phone',
      callback_data: AdminNew.locations.encode(7, 0),
    });
    expect(labels(clientChoiceScreen('en', 'zz', { items: [], page: 0, pages: 1 }, 0))).toEqual([
      '➕ New client',
      '⬅️ Back',
      '🏠 Home',
    ]);
  });
});
