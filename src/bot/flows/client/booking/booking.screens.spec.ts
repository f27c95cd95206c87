import type { LocationDto } from '../../../../booking/api';
import type { StartDto } from '../../../../slots/api';
import { checkScreen, Screen } from '../../../ui/screen';
import { calendarScreen, confirmScreen, servicesScreen, timesScreen } from './booking.screens';

const labels = (s: Screen) => s.keyboard.map((row) => row.map((b) => b.text));
const location: LocationDto = {
  id: 1,
  name: 'Salon Mitte',
  address: 'Torstr. 1',
  timeZone: 'Europe/Berlin',
  active: true,
};

function start(localTime: string): StartDto {
  const [h, m] = localTime.split(':').map(Number);
  const startAt = new Date(Date.UTC(2026, 3, 14, h - 2, m)).toISOString();
  return {
    startAt,
    localTime,
    localDateTime: `2026-04-14T${localTime}`,
    utcOffset: '+02:00',
    specialistId: 1,
    specialistName: 'Anna',
    durationMin: 60,
    price: 3500,
    otherSpecialistIds: [],
  };
}

describe('booking screens', () => {
  it.each([
    ['en', 'EUR', 'Haircut · 1 h · €35.00'],
    ['ru', 'EUR', 'Haircut · 1 ч · 35,00\u00a0€'],
    ['en', 'USD', 'Haircut · 1 h · US$35.00'],
    ['ru', 'RUB', 'Haircut · 1 ч · 35,00\u00a0₽'],
    ['en', 'JPY', 'Haircut · 1 h · JP¥3,500'],
  ] as const)('services (%s, %s) show duration and money', (lang, currency, label) => {
    const screen = servicesScreen(
      lang,
      location,
      [{ id: 7, name: 'Haircut', durationMin: 60, price: 3500 }],
      currency,
      0,
      {
        service: (id) => `s${id}`,
        page: (p) => `p${p}`,
      },
    );
    expect(labels(screen)[0]).toEqual([label]);
  });

  it.each([
    [3, 1, ['Home']],
    [8, 1, ['Home']],
    [9, 2, ['▶️', 'Home']],
    [17, 3, ['▶️', 'Home']],
  ])('%i services page at 8 (%i pages)', (count, pages, controls) => {
    const services = Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      name: `S${i}`,
      durationMin: 30,
      price: 100,
    }));
    const screen = servicesScreen('en', location, services, 'EUR', 0, {
      service: (id) => `s${id}`,
      page: (p) => `p${p}`,
    });
    const rows = labels(screen);
    expect(rows.filter((r) => r[0].startsWith('S'))).toHaveLength(Math.min(8, count));
    const flat = rows.flat();
    for (const c of controls) expect(flat.some((x) => x.includes(c))).toBe(true);
    if (pages > 1) expect(flat).toContain(`1/${pages}`);
  });

  it.each([
    // April 2026 starts on a Wednesday: two blanks before the 1st, Monday first.
    ['2026-04', ['2026-04-14'], 2, 30],
    // February 2027 starts on a Monday and has 28 days.
    ['2027-02', [], 0, 28],
  ])(
    'calendar of %s: weekday header, blanks, one button per day, only free days pressable',
    (month, days, blanks, length) => {
      const screen = calendarScreen(
        'en',
        { month, days, firstMonth: '2026-01', lastMonth: '2027-12', subject: 'Haircut · Anna' },
        {
          day: (d) => `d${d}`,
          month: (m) => `m${m}`,
          back: 'back',
        },
      );
      expect(labels(screen)[0]).toEqual(['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']);
      const cells = screen.keyboard
        .slice(1)
        .filter((row) => row.length === 7)
        .flat();
      expect(cells.slice(0, blanks).every((c) => c.text === ' ')).toBe(true);
      expect(cells.filter((c) => /^\d+$/.test(c.text) || c.text === '·')).toHaveLength(length);
      const pressable = cells.filter((c) => 'callback_data' in c && c.callback_data.startsWith('d'));
      expect(pressable.map((c) => c.text)).toEqual(days.map((d) => String(Number(d.slice(8)))));
      expect(screen.text).toContain(days.length ? 'Choose a day' : 'No free times this month.');
      checkScreen(screen);
    },
  );

  it.each([
    ['2026-01', false, true],
    ['2026-06', true, true],
    ['2026-12', true, false],
  ])(
    'calendar month %s: previous month %s, next month %s (bounded by today and the horizon)',
    (month, prev, next) => {
      const screen = calendarScreen(
        'en',
        { month, days: [], firstMonth: '2026-01', lastMonth: '2026-12', subject: 'x' },
        {
          day: (d) => `d${d}`,
          month: (m) => `m${m}`,
          back: 'back',
        },
      );
      const flat = labels(screen).flat();
      expect(flat.some((x) => x.startsWith('«'))).toBe(prev);
      expect(flat.some((x) => x.endsWith('»'))).toBe(next);
    },
  );

  it.each([
    [['09:00', '11:45'], ['🌅 Morning']],
    [
      ['09:00', '12:00', '16:45', '17:00'],
      ['🌅 Morning', '☀️ Afternoon', '🌙 Evening'],
    ],
    [['18:00'], ['🌙 Evening']],
  ])('times %j are grouped by part of day', (times, groups) => {
    const screen = timesScreen('en', '2026-04-14', times.map(start), 0, {
      start: (s) => s.localTime,
      page: (p) => `p${p}`,
      back: 'b',
    });
    const flat = labels(screen).flat();
    expect(flat.filter((x) => /Morning|Afternoon|Evening/.test(x))).toEqual(groups);
    expect(flat.filter((x) => /^\d\d:\d\d$/.test(x))).toEqual(times);
  });

  it('a day of 96 quarter-hour starts is paged within 100 buttons', () => {
    const all = Array.from({ length: 96 }, (_, i) =>
      start(`${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`),
    );
    const first = checkScreen(
      timesScreen('en', '2026-04-14', all, 0, {
        start: (s) => s.localTime,
        page: (p) => `p${p}`,
        back: 'b',
      }),
    );
    const second = checkScreen(
      timesScreen('en', '2026-04-14', all, 1, {
        start: (s) => s.localTime,
        page: (p) => `p${p}`,
        back: 'b',
      }),
    );
    const times = (s: Screen) =>
      labels(s)
        .flat()
        .filter((x) => /^\d\d:\d\d$/.test(x));
    expect(times(first).length + times(second).length).toBe(96);
    expect(labels(first).flat()).toContain('1/2');
  });

  it.each([
    ['en', undefined, ['✅ Confirm', '💬 Add a comment']],
    ['en', 'Short, please', ['✅ Confirm', '💬 Change the comment']],
    ['ru', undefined, ['✅ Подтвердить', '💬 Добавить комментарий']],
  ] as const)('the confirmation card (%s, comment %s)', (lang, comment, buttons) => {
    const details = {
      service: 'Haircut',
      specialist: 'Anna',
      startAt: '2026-04-14T08:30:00Z',
      durationMin: 60,
      price: 3500,
      currency: 'EUR',
      location,
      comment,
    };
    const screen = confirmScreen(lang, 'book.confirm_title', details, {
      confirm: 'c',
      comment: 'k',
      back: 'b',
    });
    expect(labels(screen).flat().slice(0, 2)).toEqual(buttons);
    expect(screen.text).toContain(
      lang === 'en' ? '🕐 Tue 14 Apr, 10:30 (Berlin)' : '🕐 вт 14 апр., 10:30 (Berlin)',
    );
    expect(screen.text.includes('💬 Short, please')).toBe(comment !== undefined);
  });
});
