import { checkScreen } from '../../../ui/screen';
import { AdminMove } from '../bookings/bookings.routes';
import { AdminExceptions } from './exceptions.routes';
import { exceptionText, previewScreen, savedScreen } from './exceptions.screens';

const dayOff = { specialist: 'Anna', location: 'Mitte', date: '2026-12-24', startMin: null, endMin: null };
const lines = [
  { id: 11, time: '10:00', client: 'Ivan', service: 'Haircut', specialist: 'Anna' },
  { id: 12, time: '14:00', client: 'Kate', service: 'Nails', specialist: 'Anna' },
];
const pending: [number, number, string, number, number] = [7, 1, '2026-12-24', 0, 0];

describe('the admin’s exception screens', () => {
  it.each([
    ['en', dayOff, 'Anna · Mitte · Thu 24 Dec: day off'],
    ['ru', dayOff, 'Anna · Mitte · чт 24 дек.: выходной'],
    ['en', { ...dayOff, specialist: undefined }, 'Mitte · Thu 24 Dec: closed'],
    ['en', { ...dayOff, startMin: 600, endMin: 840 }, 'Anna · Mitte · Thu 24 Dec: hours 10:00–14:00'],
  ] as const)('an exception in %p reads', (lang, view, text) => {
    expect(exceptionText(lang, view)).toBe(text);
  });

  it('with collisions: the bookings, a Move button each, save with or without notifying', () => {
    const screen = checkScreen(previewScreen('en', dayOff, pending, lines));
    expect(screen.text).toContain(
      '⚠️ Bookings that collide with it (2):\n• 10:00 Haircut · Ivan (Anna)\n• 14:00 Nails · Kate (Anna)',
    );
    expect(screen.keyboard.flat().map((b) => [b.text, 'callback_data' in b && b.callback_data])).toEqual([
      ['🔁 Move 10:00 Ivan', AdminMove.specialists.encode(11)],
      ['🔁 Move 14:00 Kate', AdminMove.specialists.encode(12)],
      ['💾 Save and notify the clients', AdminExceptions.notify.encode(...pending)],
      ['💾 Save without notifying', AdminExceptions.save.encode(...pending)],
      ['⬅️ Back', AdminExceptions.list.encode(0)],
      ['🏠 Home', expect.any(String)],
    ]);
  });

  it('without collisions: only Save', () => {
    const screen = previewScreen('ru', dayOff, pending, []);
    expect(screen.text).toContain('Записей, которые с этим пересекаются, нет.');
    expect(screen.keyboard.flat().map((b) => b.text)).toEqual([
      '💾 Сохранить',
      '⬅️ Назад',
      '🏠 Главное меню',
    ]);
  });

  it('after saving: the bookings still to move', () => {
    const screen = savedScreen('en', dayOff, lines.slice(0, 1), 'Saved. Notified 1 of 1 clients.');
    expect(screen.text).toBe(
      'Saved. Notified 1 of 1 clients.\n\nAnna · Mitte · Thu 24 Dec: day off\n\nBookings still to move:\n• 10:00 Haircut · Ivan (Anna)',
    );
  });
});
