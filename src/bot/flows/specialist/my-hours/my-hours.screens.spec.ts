import type { ScheduleExceptionDto, WorkIntervalDto } from '../../../../booking/api';
import { EXCEPTIONS_SHOWN, hoursScreen, intervalsText, weekTable } from './my-hours.screens';

const interval = (weekday: number, startMin: number, endMin: number): WorkIntervalDto => ({
  id: weekday * 10000 + startMin,
  specialistId: 1,
  locationId: 1,
  weekday,
  startMin,
  endMin,
});
const exception = (over: Partial<ScheduleExceptionDto>): ScheduleExceptionDto => ({
  id: 1,
  locationId: 1,
  specialistId: 1,
  date: '2026-12-24',
  kind: 'day_off',
  startMin: null,
  endMin: null,
  reason: '',
  ...over,
});

describe('My hours screens', () => {
  it.each([
    [[], ''],
    [
      [
        { startMin: 840, endMin: 1080 },
        { startMin: 540, endMin: 780 },
      ],
      '09:00–13:00, 14:00–18:00',
    ],
    [[{ startMin: 0, endMin: 1440 }], '00:00–24:00'],
  ])('intervals %j read %s', (intervals, text) => {
    expect(intervalsText(intervals)).toBe(text);
  });

  it.each([
    ['en', 'Mo  09:00–13:00, 14:00–18:00\nTu  —\nWe  —\nTh  —\nFr  —\nSa  —\nSu  10:00–12:00'],
    ['ru', 'пн  09:00–13:00, 14:00–18:00\nвт  —\nср  —\nчт  —\nпт  —\nсб  —\nвс  10:00–12:00'],
  ] as const)('the week as a table in %s, Monday first', (lang, table) => {
    expect(weekTable(lang, [interval(7, 600, 720), interval(1, 840, 1080), interval(1, 540, 780)])).toBe(
      table,
    );
  });

  it.each([
    [exception({}), 'Thu 24 Dec: day off, Mitte'],
    [
      exception({ specialistId: null, reason: 'Christmas' }),
      'Thu 24 Dec: the location is closed, Mitte (Christmas)',
    ],
    [exception({ kind: 'custom_hours', startMin: 600, endMin: 840 }), 'Thu 24 Dec: hours 10:00–14:00, Mitte'],
  ])('an exception %j reads %s', (e, line) => {
    expect(hoursScreen('en', [{ id: 1, name: 'Mitte', intervals: [] }], [e], 1).text).toContain(
      `\n${line}\n`,
    );
  });

  it('counts the exceptions beyond those listed', () => {
    const many = Array.from({ length: EXCEPTIONS_SHOWN }, (_, i) => exception({ id: i + 1 }));
    expect(hoursScreen('en', [], many, EXCEPTIONS_SHOWN + 3).text).toContain('\n\n…and 3 more.\n\n');
  });

  it('speaks Russian', () => {
    const screen = hoursScreen(
      'ru',
      [{ id: 1, name: 'Центр', intervals: [interval(1, 540, 1080)] }],
      [exception({ specialistId: null })],
      1,
    );
    expect(screen.text).toBe(
      '🕘 Ваши рабочие часы\n\n📍 Центр\nпн  09:00–18:00\nвт  —\nср  —\nчт  —\nпт  —\nсб  —\nвс  —\n\nБлижайшие исключения:\nчт 24 дек.: филиал закрыт, Центр\n\nРабочие часы меняет администратор салона.',
    );
  });

  it('says when nothing is set', () => {
    expect(hoursScreen('en', [], [], 0).text).toBe(
      "🕘 Your working hours\n\nYou are not assigned to any location yet.\n\nNo days off or special hours coming up.\n\nThe salon's admin changes these hours.",
    );
  });
});
