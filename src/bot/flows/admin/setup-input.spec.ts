import { BotError } from '../../core/bot-error';
import {
  canonicalZone,
  overlapOf,
  parseDate,
  parseDuration,
  parseFreeText,
  parseInterval,
  parseIntervals,
  parseMoney,
  parseName,
  parseTime,
  tgIdOf,
  usernameOf,
} from './setup-input';

/** The key (and params) of the BotError `fn` throws. */
function refusal(fn: () => unknown): { key: string; params: Record<string, string | number> } {
  try {
    fn();
  } catch (err) {
    if (err instanceof BotError) return { key: err.key, params: err.params };
    throw err;
  }
  throw new Error('no refusal');
}

describe('what the admin types', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['  ASIA/YEKATERINBURG ', 'Asia/Yekaterinburg'],
    ['america/north_dakota/new_salem', 'America/North_Dakota/New_Salem'],
  ])('time zone %p is %p', (typed, zone) => expect(canonicalZone(typed)).toBe(zone));

  it.each(['Mars/Olympus', 'CET', 'GMT+3', '+03:00', 'Berlin', ''])('time zone %p is refused', (typed) =>
    expect(refusal(() => canonicalZone(typed)).key).toBe('adm.input.zone_invalid'),
  );

  it.each([
    ['15', 15],
    ['60', 60],
    [' 90 ', 90],
    ['720', 720],
  ])('duration %p is %p minutes', (typed, minutes) => expect(parseDuration(typed)).toBe(minutes));

  it.each([
    ['50', 'adm.input.duration_step'],
    ['7', 'adm.input.duration_step'],
    ['0', 'adm.input.duration_range'],
    ['735', 'adm.input.duration_range'],
    ['1h', 'adm.input.duration_invalid'],
    ['-15', 'adm.input.duration_invalid'],
  ])('duration %p is refused with %p', (typed, key) =>
    expect(refusal(() => parseDuration(typed)).key).toBe(key),
  );

  it.each([
    ['35', 'EUR', 3500],
    ['35.5', 'EUR', 3550],
    ['35,50', 'EUR', 3550],
    ['1 200,00', 'RUB', 120000],
    ['0', 'EUR', 0],
    ['1500', 'JPY', 1500],
  ])('money %p in %p is %p minor units', (typed, currency, minor) =>
    expect(parseMoney(typed, currency)).toBe(minor),
  );

  it.each([
    ['-5', 'EUR', 'adm.input.price_negative'],
    ['12.345', 'EUR', 'adm.input.price_invalid'],
    ['12.5', 'JPY', 'adm.input.price_invalid'],
    ['abc', 'EUR', 'adm.input.price_invalid'],
    ['99999999999', 'EUR', 'adm.input.price_invalid'],
    ['', 'EUR', 'adm.input.price_invalid'],
  ])('money %p in %p is refused with %p', (typed, currency, key) =>
    expect(refusal(() => parseMoney(typed, currency)).key).toBe(key),
  );

  it.each([
    ['9', 540],
    ['09:30', 570],
    ['9.45', 585],
    ['0:00', 0],
    ['24:00', 1440],
  ])('time %p is %p minutes', (typed, minutes) => expect(parseTime(typed)).toBe(minutes));

  it.each([
    ['25:00', 'adm.input.time_invalid', { time: '25:00' }],
    ['10:60', 'adm.input.time_invalid', { time: '10:60' }],
    ['noon', 'adm.input.time_invalid', { time: 'noon' }],
    ['10:10', 'adm.input.time_step', { time: '10:10' }],
  ])('time %p is refused with %p', (typed, key, params) =>
    expect(refusal(() => parseTime(typed))).toEqual({ key, params }),
  );

  it.each([
    ['10:00-14:00', { startMin: 600, endMin: 840 }],
    ['10 – 14', { startMin: 600, endMin: 840 }],
    ['18:00 24:00', { startMin: 1080, endMin: 1440 }],
  ])('interval %p', (typed, interval) => expect(parseInterval(typed)).toEqual(interval));

  it.each([
    ['18:00-09:00', 'adm.input.end_before_start'],
    ['10:00-10:00', 'adm.input.end_before_start'],
    ['10:00', 'adm.input.interval_invalid'],
    ['10-12-14', 'adm.input.interval_invalid'],
  ])('interval %p is refused with %p', (typed, key) =>
    expect(refusal(() => parseInterval(typed)).key).toBe(key),
  );

  it('several intervals, separated by commas, semicolons or lines', () => {
    expect(parseIntervals('9-13, 14-18;19-20\n21-22').map((i) => i.startMin / 60)).toEqual([9, 14, 19, 21]);
    expect(refusal(() => parseIntervals(' , ')).key).toBe('adm.input.interval_invalid');
  });

  it.each([
    [[], undefined],
    [
      [
        [540, 780],
        [840, 1080],
      ],
      undefined,
    ],
    [
      [
        [540, 780],
        [780, 1080],
      ],
      undefined,
    ],
    [
      [
        [840, 1080],
        [540, 900],
      ],
      [
        [540, 900],
        [840, 1080],
      ],
    ],
    [
      [
        [0, 1440],
        [600, 660],
      ],
      [
        [0, 1440],
        [600, 660],
      ],
    ],
  ])('overlap of %j is %j', (spans, expected) => {
    const intervals = (spans as number[][]).map(([startMin, endMin]) => ({ startMin, endMin }));
    const found = overlapOf(intervals);
    expect(found?.map((i) => [i.startMin, i.endMin])).toEqual(expected);
  });

  it.each([
    ['2026-12-24', '2026-12-07', '2026-12-24'],
    ['24.12.2026', '2026-12-07', '2026-12-24'],
    ['24.12', '2026-12-07', '2026-12-24'],
    ['05.01', '2026-12-07', '2027-01-05'],
    ['7.12', '2026-12-07', '2026-12-07'],
  ])('date %p on %p is %p', (typed, today, date) => expect(parseDate(typed, today)).toBe(date));

  it.each([
    ['31.02.2030', 'adm.input.date_invalid'],
    ['tomorrow', 'adm.input.date_invalid'],
    ['2026-13-01', 'adm.input.date_invalid'],
    ['2026-12-06', 'adm.input.date_past'],
    ['01.01.2020', 'adm.input.date_past'],
  ])('date %p is refused with %p', (typed, key) =>
    expect(refusal(() => parseDate(typed, '2026-12-07')).key).toBe(key),
  );

  it('names and free texts within their limits', () => {
    expect(parseName('  Salon Mitte ')).toBe('Salon Mitte');
    expect(refusal(() => parseName('   '))).toEqual({ key: 'adm.input.name_invalid', params: { max: 120 } });
    expect(refusal(() => parseName('x'.repeat(121))).key).toBe('adm.input.name_invalid');
    expect(parseFreeText('-', 10)).toBe('');
    expect(refusal(() => parseFreeText('x'.repeat(11), 10))).toEqual({
      key: 'adm.input.text_too_long',
      params: { max: 10 },
    });
  });

  it.each([
    ['@anna_nails', 'anna_nails'],
    ['https://t.me/AnnaNails', 'AnnaNails'],
    ['anna', undefined],
    ['@an', undefined],
    ['@1anna', undefined],
  ])('username in %p is %p', (typed, username) => expect(usernameOf(typed)).toBe(username));

  it.each([
    ['123456789', 123456789],
    [' 5000000000 ', 5000000000],
    ['1234', undefined],
    ['12a45678', undefined],
  ])('telegram id in %p is %p', (typed, id) => expect(tgIdOf(typed)).toBe(id));
});
