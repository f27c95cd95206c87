import { dateTime, day, durationText, localDate, money, monthTitle } from './format';

describe('formatting for the reader', () => {
  it.each([
    ['2026-04-14T08:30:00Z', 'Europe/Berlin', 'en', 'Tue 14 Apr, 10:30 (Berlin)'],
    ['2026-04-14T08:30:00Z', 'Europe/London', 'en', 'Tue 14 Apr, 09:30'],
    ['2026-04-14T08:30:00Z', 'Europe/Moscow', 'ru', 'вт 14 апр., 11:30'],
    ['2026-04-14T08:30:00Z', 'America/New_York', 'ru', 'вт 14 апр., 04:30 (New York)'],
    // Clocks go back in Berlin on 25 Oct 2026: the same wall-clock hour twice, told apart by the instant.
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', 'en', 'Sun 25 Oct, 02:30 (Berlin)'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', 'en', 'Sun 25 Oct, 02:30 (Berlin)'],
  ] as const)('%s in %s (%s): %s', (instant, zone, lang, expected) => {
    expect(dateTime(instant, zone, lang)).toBe(expected);
  });

  it.each([
    [3500, 'EUR', 'en', '€35.00'],
    [3500, 'EUR', 'ru', '35,00\u00a0€'],
    [0, 'EUR', 'en', '€0.00'],
    [123456, 'RUB', 'ru', '1\u00a0234,56\u00a0₽'],
    [3500, 'JPY', 'en', 'JP¥3,500'],
  ] as const)('%i minor units of %s (%s): %s', (minor, currency, lang, expected) => {
    expect(money(minor, currency, lang)).toBe(expected);
  });

  it.each([
    [15, 'en', '15 min'],
    [60, 'en', '1 h'],
    [90, 'ru', '1 ч 30 мин'],
    [480, 'ru', '8 ч'],
  ] as const)('%i minutes (%s): %s', (minutes, lang, expected) => {
    expect(durationText(minutes, lang)).toBe(expected);
  });

  it('local dates and titles', () => {
    expect(localDate('2026-04-13T22:30:00Z', 'Europe/Berlin')).toBe('2026-04-14');
    expect(day('2026-04-14', 'en')).toBe('Tue 14 Apr');
    expect(monthTitle('2026-04', 'en')).toBe('April 2026');
    expect(monthTitle('2026-04', 'ru')).toBe('апрель 2026');
  });
});
