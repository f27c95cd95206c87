import type { BookingStatus, LocationDto } from '../../../../booking/api';
import type { AdminLine } from '../bookings/admin-desk';
import { AdminBookings } from '../bookings/bookings.routes';
import { Pending } from '../pending/pending.routes';
import { Today } from './today.routes';
import { todayLocationsScreen, todayScreen, TodayView } from './today.screens';

const location: LocationDto = { id: 3, name: 'Mitte', address: '', timeZone: 'Europe/Berlin', active: true };
const line = (id: number, status: BookingStatus, specialist = 'Anna'): AdminLine => ({
  id,
  startAt: `2026-04-14T0${id}:00:00.000Z`,
  timeZone: 'Europe/Berlin',
  service: 'Haircut',
  specialist,
  client: `Client ${id}`,
  status,
});
const view = (over: Partial<TodayView> = {}): TodayView => ({
  location,
  date: '2026-04-14',
  lines: [line(7, 'confirmed'), line(8, 'pending', 'Boris'), line(9, 'done')],
  page: 0,
  specialists: [
    { name: 'Anna', bookings: 2, freeMin: 240 },
    { name: 'Boris', bookings: 1, freeMin: 45 },
  ],
  severalLocations: false,
  ...over,
});
const data = (screen: { keyboard: unknown[][] }) =>
  screen.keyboard.flat().map((b) => (b as { callback_data: string }).callback_data);

describe('the admin Today screen', () => {
  it.each([
    [
      'en',
      '📊 Today at Mitte, Tue 14 Apr\nBookings: 3 · waiting for confirmation: 1\nFree time left: 4 h 45 min\n\n' +
        '💇 Anna: 2 booked · 4 h free\n💇 Boris: 1 booked · 45 min free',
    ],
    [
      'ru',
      '📊 Сегодня в «Mitte», вт 14 апр.\nЗаписей: 3 · ждут подтверждения: 1\nСвободного времени осталось: 4 ч 45 мин\n\n' +
        '💇 Anna: записей 2 · свободно 4 ч\n💇 Boris: записей 1 · свободно 45 мин',
    ],
  ] as const)('sums the day by specialist (%s)', (lang, text) => {
    expect(todayScreen(lang, view()).text).toBe(text);
  });

  it('every booking is a tap away, and what waits for confirmation too', () => {
    const screen = todayScreen('en', view());
    expect(screen.keyboard[0][0]).toEqual({
      text: '🟢 09:00 · Anna · Client 7 · Haircut',
      callback_data: AdminBookings.card.encode(7, 'today'),
    });
    expect(data(screen)).toEqual(
      expect.arrayContaining([Pending.list.encode(0), AdminBookings.day.encode(3, '2026-04-14', 0, 0)]),
    );
  });

  it('no pending button when nothing waits; Back to the locations when there are several', () => {
    const screen = todayScreen('en', view({ lines: [line(7, 'confirmed')], severalLocations: true }));
    expect(data(screen)).not.toContain(Pending.list.encode(0));
    expect(data(screen)).toContain(Today.locations.encode());
  });

  it('an empty day says so, with no free time when nobody works', () => {
    const screen = todayScreen('en', view({ lines: [], specialists: [] }));
    expect(screen.text).toBe(
      '📊 Today at Mitte, Tue 14 Apr\nBookings: 0 · waiting for confirmation: 0\nFree time left: 0 min\n\nNo bookings today yet.',
    );
  });

  it('pages a busy day eight at a time', () => {
    const lines = Array.from({ length: 9 }, (_, i) => line(1, 'confirmed', `S${i}`));
    const screen = todayScreen('en', view({ lines, page: 1 }));
    expect(screen.keyboard.flat().filter((b) => b.text.startsWith('🟢'))).toHaveLength(1);
    expect(data(screen)).toContain(Today.show.encode(3, 0));
  });

  it('several locations: a choice first', () => {
    const screen = todayLocationsScreen('ru', [location, { ...location, id: 4, name: 'Ost' }]);
    expect(screen.text).toBe('Сегодня: какой филиал?');
    expect(data(screen).slice(0, 2)).toEqual([Today.show.encode(3, 0), Today.show.encode(4, 0)]);
  });
});
