import type { SpecialistDto, WorkIntervalDto } from '../../../../booking/api';
import { checkScreen } from '../../../ui/screen';
import { AdminHours } from './hours.routes';
import { copyScreen, dayLine, dayScreen, weekScreen, weekTable } from './hours.screens';

let nextId = 1;
const interval = (weekday: number, start: number, end: number): WorkIntervalDto => ({
  id: nextId++,
  specialistId: 7,
  locationId: 1,
  weekday,
  startMin: start * 60,
  endMin: end * 60,
});
const anna = {
  id: 7,
  name: 'Anna',
  locations: [{ id: 1, name: 'Mitte', timeZone: 'Europe/Berlin', active: true }],
} as SpecialistDto;

describe('the admin’s working hours screens', () => {
  it.each([
    [[], '—'],
    [
      [
        [14, 18],
        [9, 13],
      ],
      '09:00–13:00, 14:00–18:00',
    ],
    [[[0, 24]], '00:00–24:00'],
  ])('a day of %j reads %p', (spans, line) => {
    expect(dayLine(spans.map(([s, e]) => ({ startMin: s * 60, endMin: e * 60 })))).toBe(line);
  });

  it.each([
    ['en', 'Mo  09:00–13:00, 14:00–18:00\nTu  —\nWe  10:00–12:00\nTh  —\nFr  —\nSa  —\nSu  —'],
    ['ru', 'пн  09:00–13:00, 14:00–18:00\nвт  —\nср  10:00–12:00\nчт  —\nпт  —\nсб  —\nвс  —'],
  ] as const)('the week as a table in %p', (lang, table) => {
    const week = [interval(1, 14, 18), interval(1, 9, 13), interval(3, 10, 12)];
    expect(weekTable(lang, week)).toBe(table);
    expect(checkScreen(weekScreen(lang, anna, anna.locations[0], week)).text).toContain(table);
  });

  it('a day lists its intervals to change, then Add and Copy', () => {
    const mine = interval(2, 9, 13);
    const screen = dayScreen('en', 7, 1, 2, [mine]);
    expect(screen.text).toBe('Tu: 09:00–13:00\n\nTap an interval to change or remove it.');
    expect(screen.keyboard.map((row) => row.map((b) => b.text))).toEqual([
      ['✏️ 09:00–13:00'],
      ['➕ Add hours', '📋 Copy to other days'],
      ['⬅️ Back', '🏠 Home'],
    ]);
  });

  it.each([
    [0, [], false],
    [0b0000110, ['✅ Tu', '✅ We'], true],
  ])('copying Monday with days %p chosen', (mask, ticked, canApply) => {
    const screen = copyScreen('en', 7, 1, 1, mask, [interval(1, 9, 18)]);
    const texts = screen.keyboard.flat().map((b) => b.text);
    expect(texts.filter((l) => l.startsWith('✅'))).toEqual(ticked);
    expect(texts.some((l) => l.includes('Mo'))).toBe(false);
    expect(texts.includes('📋 Copy')).toBe(canApply);
    // each toggle flips its own bit
    const tu = screen.keyboard.flat().find((b) => b.text.endsWith('Tu'))!;
    expect('callback_data' in tu && tu.callback_data).toBe(AdminHours.copy.encode(7, 1, 1, mask ^ 0b10));
  });
});
