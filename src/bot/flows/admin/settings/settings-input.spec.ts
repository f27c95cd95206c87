import { parseCurrency, parseDays, parseMinutes } from './settings-input';

describe('settings input', () => {
  it.each([
    ['0', 0],
    ['90', 90],
    [' 45 ', 45],
    ['2 h', 120],
    ['2h', 120],
    ['1 h 30 min', 90],
    ['1h30m', 90],
    ['1:30', 90],
    ['2 days', 2880],
    ['7 d', 10080],
    ['10080', 10080],
    ['3 ч', 180],
    ['1 час 15 мин', 75],
    ['2 дня', 2880],
    ['10081', undefined],
    ['8 days', undefined],
    ['-5', undefined],
    ['1.5 h', undefined],
    ['1h30', undefined],
    ['soon', undefined],
    ['2 weeks', undefined],
    ['', undefined],
    ['1:75', undefined],
  ])('minutes of %j: %j', (text, minutes) => {
    expect(parseMinutes(text)).toBe(minutes);
  });

  it.each([
    ['30', 30],
    ['1', 1],
    ['365', 365],
    ['30 days', 30],
    ['14 дней', 14],
    ['0', undefined],
    ['366', undefined],
    ['12 h', undefined],
    ['год', undefined],
    ['2.5', undefined],
  ])('days of %j: %j', (text, days) => {
    expect(parseDays(text)).toBe(days);
  });

  it.each([
    ['EUR', 'EUR'],
    ['sek', 'SEK'],
    [' usd ', 'USD'],
    ['euro', undefined],
    ['XXZ', undefined],
    ['€', undefined],
  ])('currency of %j: %j', (text, code) => {
    expect(parseCurrency(text)).toBe(code);
  });
});
