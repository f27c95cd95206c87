import type { BookingsReportDto } from '../../../../booking/api';
import { reportScreen, shiftPeriod } from './report.screens';

const figures = { bookings: 3, done: 1, noShows: 1, cancelled: 1, revenue: 3500 };
const report = (
  period: BookingsReportDto['period'],
  firstDate: string,
  lastDate: string,
): BookingsReportDto => ({
  period,
  firstDate,
  lastDate,
  totals: figures,
  locations: [
    {
      locationId: 1,
      name: 'Mitte',
      timeZone: 'Europe/Berlin',
      from: '',
      to: '',
      ...figures,
      specialists: [{ specialistId: 2, name: 'Anna', ...figures }],
    },
    {
      locationId: 3,
      name: 'Empty',
      timeZone: 'Asia/Tokyo',
      from: '',
      to: '',
      ...figures,
      bookings: 0,
      specialists: [],
    },
  ],
});

describe('report screens', () => {
  it.each([
    ['day', '2026-04-14', 1, '2026-04-15'],
    ['day', '2026-03-01', -1, '2026-02-28'],
    ['week', '2026-04-13', -1, '2026-04-06'],
    ['month', '2026-01-01', 1, '2026-02-01'],
    ['month', '2026-01-01', -1, '2025-12-01'],
  ] as const)('%s from %s by %i is %s', (period, date, by, expected) => {
    expect(shiftPeriod(period, date, by)).toBe(expected);
  });

  it.each([
    [
      'en',
      'day',
      '2026-04-14',
      '2026-04-14',
      '📊 Report: Tue 14 Apr',
      'bookings: 3 · done: 1 · no-shows: 1 · cancelled: 1 · €35.00',
    ],
    ['en', 'week', '2026-04-13', '2026-04-19', '📊 Report: Mon 13 Apr – Sun 19 Apr', 'bookings: 3 ·'],
    [
      'ru',
      'month',
      '2026-04-01',
      '2026-04-30',
      '📊 Отчёт: апрель 2026',
      'записей: 3 · состоялось: 1 · неявок: 1 · отмен: 1',
    ],
  ] as const)('%s %s: title and figures', (lang, period, first, last, title, line) => {
    const screen = reportScreen(lang, report(period, first, last), 'EUR');
    expect(screen.text.split('\n')[0]).toBe(title);
    expect(screen.text).toContain(`🏠 Mitte (Europe/Berlin)\n${line}`);
    expect(screen.text).toContain(`  • Anna: ${line}`);
    expect(screen.text).toContain(
      lang === 'en' ? '🏠 Empty (Asia/Tokyo)\nbookings: 0' : '🏠 Empty (Asia/Tokyo)\nзаписей: 0',
    );
    expect(screen.keyboard[0].map((b) => b.text).filter((x) => x.startsWith('• '))).toHaveLength(1);
    expect(screen.keyboard[0].map((b) => 'callback_data' in b && b.callback_data)).toEqual([
      `rep:day:${first.replace(/-/g, '')}`,
      `rep:week:${first.replace(/-/g, '')}`,
      `rep:month:${first.replace(/-/g, '')}`,
    ]);
  });
});
