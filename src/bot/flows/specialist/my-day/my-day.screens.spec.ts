import { cardScreen, DayBooking, dayScreen } from './my-day.screens';
import { pageOf } from '../../../ui/keyboard';

const berlin = { name: 'Mitte', address: 'Torstr. 1', timeZone: 'Europe/Berlin' };
const booking = (over: Partial<DayBooking> = {}): DayBooking => ({
  id: 7,
  startAt: '2026-04-14T08:30:00.000Z',
  durationMin: 60,
  status: 'confirmed',
  service: 'Haircut',
  client: 'Vera',
  phone: '+491701112233',
  location: berlin,
  ...over,
});
const facts = { price: 3500, currency: 'EUR', comment: '', cancelReason: null };
const labels = (s: { keyboard: { text: string }[][] }) => s.keyboard.flat().map((b) => b.text);

describe('My day screens', () => {
  it.each([
    ['today', 'en', '✅ 10:30 Haircut · Vera, +491701112233 (confirmed)'],
    ['week', 'en', '✅ Tue 14 Apr 10:30 Haircut · Vera, +491701112233 (confirmed)'],
    ['today', 'ru', '✅ 10:30 Haircut · Vera, +491701112233 (подтверждена)'],
  ] as const)('a %s line in %s shows the local time, client and phone, status', (range, lang, line) => {
    expect(dayScreen(lang, range, pageOf([booking()], 0), false).text.split('\n')[2]).toBe(line);
  });

  it('heads each location when the specialist works at several', () => {
    const other = { name: 'Brooklyn', address: '', timeZone: 'America/New_York' };
    const text = dayScreen('en', 'today', pageOf([booking({ location: other }), booking()], 0), true).text;
    expect(text).toBe(
      '📋 Your bookings: Today\n\n📍 Brooklyn\n✅ 04:30 Haircut · Vera, +491701112233 (confirmed)\n\n📍 Mitte\n✅ 10:30 Haircut · Vera, +491701112233 (confirmed)',
    );
  });

  it('pages at 8 bookings', () => {
    const all = Array.from({ length: 9 }, (_, i) => booking({ id: i + 1 }));
    expect(labels(dayScreen('en', 'week', pageOf(all, 1), false))).toEqual([
      'Today',
      'Tomorrow',
      '• 7 days',
      'Tue 14 Apr 10:30 · Haircut · Vera',
      '◀️',
      '2/2',
      '🏠 Home',
    ]);
  });

  it.each([
    ['confirmed', '2026-04-14T08:00:00Z', ['✖ Cancel', '⬅️ Back', '🏠 Home']],
    ['confirmed', '2026-04-14T09:00:00Z', ['✅ Done', '🚫 No-show', '✖ Cancel', '⬅️ Back', '🏠 Home']],
    ['pending', '2026-04-14T09:00:00Z', ['✖ Cancel', '⬅️ Back', '🏠 Home']],
    ['done', '2026-04-14T09:00:00Z', ['⬅️ Back', '🏠 Home']],
    ['cancelled', '2026-04-14T09:00:00Z', ['⬅️ Back', '🏠 Home']],
  ] as const)('a %s booking at %s offers %j', (status, now, buttons) => {
    const screen = cardScreen('en', booking({ status }), 'today', { ...facts, now: new Date(now) });
    expect(labels(screen)).toEqual(buttons);
  });

  it('a card names the client, phone, price and a cancellation reason', () => {
    const screen = cardScreen('ru', booking({ status: 'cancelled', phone: null }), 'today', {
      ...facts,
      cancelReason: 'Болею',
      now: new Date('2026-04-14T08:00:00Z'),
    });
    expect(screen.text).toContain('👤 Vera\n📱 нет телефона\n💳 35,00');
    expect(screen.text).toMatch(/Статус: отменена\nПричина: Болею$/);
  });
});
