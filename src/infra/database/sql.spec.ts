import { rowBool, rowInstant } from './sql';

describe('rowBool (a boolean column of a raw row, as either driver answers it)', () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    ['1', true],
    ['0', false],
    ['t', true],
    ['f', false],
    [null, false],
    [undefined, false],
  ])('%j is %s', (value, expected) => {
    expect(rowBool(value)).toBe(expected);
  });
});

describe('rowInstant (a datetime column of a raw row, as either driver answers it)', () => {
  it.each([
    ['2025-03-30 01:15:00.000', '2025-03-30T01:15:00.000Z'],
    ['2025-03-30 01:15:00.123', '2025-03-30T01:15:00.123Z'],
    ['2025-03-30 01:15:00', '2025-03-30T01:15:00.000Z'],
    ['2024-02-29 23:59:59.999', '2024-02-29T23:59:59.999Z'],
    ['2025-12-31 00:00:00.000', '2025-12-31T00:00:00.000Z'],
    // Not SQLite's own form: parsed the slow way, still as UTC.
    ['2025-03-30T01:15:00.000', '2025-03-30T01:15:00.000Z'],
    ['2025-03-30T01:15:00.000Z', '2025-03-30T01:15:00.000Z'],
    ['2025-03-30T03:15:00.000+02:00', '2025-03-30T01:15:00.000Z'],
  ])('SQLite text %s is %s', (text, iso) => {
    expect(rowInstant(text).toISOString()).toBe(iso);
  });

  it('the same day read twice (its start cached) still gives each time of that day', () => {
    expect(rowInstant('2025-06-01 08:00:00.000').toISOString()).toBe('2025-06-01T08:00:00.000Z');
    expect(rowInstant('2025-06-01 17:45:30.500').toISOString()).toBe('2025-06-01T17:45:30.500Z');
  });

  it('a Date (PostgreSQL) is returned as it is', () => {
    const at = new Date('2025-03-30T01:15:00.000Z');
    expect(rowInstant(at)).toBe(at);
  });
});
