import { DateTime } from 'luxon';
import { localDateOf } from './local-date';

describe('localDateOf', () => {
  it.each([
    ['2026-03-28T23:30:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-03-29T22:30:00Z', 'Europe/Berlin', '2026-03-30'],
    ['2026-03-29T21:30:00Z', 'Europe/Berlin', '2026-03-29'],
    ['2026-11-01T03:30:00Z', 'America/New_York', '2026-10-31'],
  ])('%s is on %s local date %s', (iso, zone, date) => {
    expect(localDateOf(new Date(iso), zone)).toBe(date);
  });

  it('accepts epoch milliseconds and ISO strings', () => {
    expect(localDateOf(Date.parse('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(localDateOf('2026-04-13T22:30:00Z', 'Europe/Berlin')).toBe('2026-04-14');
  });

  it('is the UTC date in a zone nobody knows', () => {
    expect(localDateOf('2026-04-13T22:30:00Z', 'Mars/Olympus_Mons')).toBe('2026-04-13');
  });

  it('agrees with luxon at every hour of a year across zones with odd offsets and clock changes', () => {
    for (const zone of ['Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Kiritimati', 'UTC']) {
      for (
        let ms = Date.parse('2026-01-01T00:00:00Z');
        ms < Date.parse('2027-01-01T00:00:00Z');
        ms += 3_600_000
      )
        expect(localDateOf(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
    }
  });
});
