import type { AdminLine } from '../bookings/admin-desk';
import { AdminBookings } from '../bookings/bookings.routes';
import { pendingScreen } from './pending.screens';

const line: AdminLine = {
  id: 12,
  startAt: '2026-04-14T08:00:00.000Z',
  timeZone: 'Europe/Berlin',
  service: 'Haircut',
  specialist: 'Anna',
  client: 'Maria',
  status: 'pending',
};

describe('the admin Pending screen', () => {
  it.each([
    ['en', 1, false, 'Waiting for confirmation: 1. Open one to confirm or decline it.'],
    ['en', 0, false, 'Nothing is waiting for confirmation.'],
    [
      'en',
      0,
      true,
      'Nothing is waiting for confirmation.\n\nAuto-confirm is on: new bookings are confirmed at once.',
    ],
    ['ru', 1, false, 'Ждут подтверждения: 1. Откройте запись, чтобы подтвердить или отклонить её.'],
    [
      'ru',
      0,
      true,
      'Подтверждения ничего не ждёт.\n\nАвтоподтверждение включено: новые записи подтверждаются сразу.',
    ],
  ] as const)('%s with %d waiting (auto-confirm %s)', (lang, total, auto, text) => {
    const items = total ? [line] : [];
    expect(pendingScreen(lang, { items, page: 0, pages: 1 }, total, auto).text).toBe(text);
  });

  it('each booking opens its card, whose Back returns here', () => {
    const screen = pendingScreen('en', { items: [line], page: 0, pages: 1 }, 1, false);
    expect(screen.keyboard[0][0]).toEqual({
      text: '⏳ Tue 14 Apr, 10:00 (Berlin) · Anna · Maria · Haircut',
      callback_data: AdminBookings.card.encode(12, 'pend'),
    });
  });
});
