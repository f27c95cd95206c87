import { addDays, datesOf } from './day-timeline';

describe('datesOf', () => {
  it.each([
    ['2026-01', 31, '2026-01-31'],
    ['2026-02', 28, '2026-02-28'],
    ['2028-02', 29, '2028-02-29'],
    ['2100-02', 28, '2100-02-28'],
    ['2000-02', 29, '2000-02-29'],
    ['2026-04', 30, '2026-04-30'],
    ['2026-12', 31, '2026-12-31'],
  ])('%s has %i dates, the last %s', (month, length, last) => {
    const dates = datesOf(month);
    expect(dates).toHaveLength(length);
    expect(dates[0]).toBe(`${month}-01`);
    expect(dates[dates.length - 1]).toBe(last);
  });

  it('lists the same dates as stepping one day at a time, for every month of 2024-2027', () => {
    for (let year = 2024; year <= 2027; year++) {
      for (let m = 1; m <= 12; m++) {
        const month = `${year}-${String(m).padStart(2, '0')}`;
        const stepped: string[] = [];
        for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) stepped.push(d);
        expect(datesOf(month)).toEqual(stepped);
      }
    }
  });
});
