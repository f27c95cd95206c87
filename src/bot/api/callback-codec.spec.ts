import { MAX_ID } from '../../common/parse-id.pipe';
import { Book, Move, MyBookings, Onboarding, Profile, toQuarter } from '../ui/routes';
import {
  CALLBACK_DATA_MAX_BYTES,
  CallbackDataError,
  CallbackRoute,
  NotificationButtons,
  route,
  routeOf,
} from './callback-codec';

const ALL_ROUTES: CallbackRoute[] = [
  Book,
  Move,
  MyBookings,
  Onboarding,
  Profile,
  NotificationButtons,
].flatMap((g) => Object.values(g as Record<string, CallbackRoute>));

/** The largest value of each kind: the longest data a route can produce. */
const LONGEST = {
  id: MAX_ID,
  int: toQuarter('2099-12-31T23:45:00Z'),
  date: '2099-12-31',
  month: '2099-12',
  word: 'upcoming',
} as const;

describe('callback codec', () => {
  it.each(ALL_ROUTES.map((r) => [r.name, r] as const))(
    '%s: the longest combination of ids fits in 64 bytes',
    (_name, r) => {
      const data = (r.encode as (...values: unknown[]) => string)(...r.args.map((kind) => LONGEST[kind]));
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      expect(r.decode(data)).toEqual(r.args.map((kind) => LONGEST[kind]));
    },
  );

  it('a route name is defined once: a second definition throws when its module loads', () => {
    expect(() => route(Book.card.name, ['id'])).toThrow(CallbackDataError);
    for (const r of ALL_ROUTES)
      expect(routeOf(r.encode(...(r.args.map((k) => LONGEST[k]) as never[])))).toBe(r);
    expect(routeOf('nothing:1')).toBeUndefined();
  });

  it.each([
    ['bk:1:2:0:3:4', [1, 2, 0, 3, 4]],
    ['bk:zik0zj:1:0:a:16gx7', [MAX_ID, 1, 0, 10, 1_981_483]],
  ])('decodes %s', (data, args) => {
    expect(Book.card.decode(data)).toEqual(args);
  });

  it.each([
    ['another route', 'bs:1:0'],
    ['too few args', 'bk:1:2:0:3'],
    ['too many args', 'bk:1:2:0:3:4:5'],
    ['id 0', 'bk:0:2:0:3:4'],
    ['not base 36', 'bk:1:2:0:3:4!'],
    ['a huge number', 'bk:1:2:0:3:zzzzzzzzzzzz'],
    ['an empty string', ''],
    ['undefined', undefined],
  ])('refuses %s', (_what, data) => {
    expect(Book.card.decode(data)).toBeUndefined();
  });

  it.each([
    ['a bad date', () => Book.times.encode(1, 2, 0, '31.12.2026', 0)],
    ['a zero id', () => MyBookings.card.encode(0)],
    ['a word with a separator', () => MyBookings.list.encode('up:coming', 0)],
    [
      'more than 64 bytes',
      () =>
        route('x', ['word', 'word', 'word', 'word']).encode(
          'a'.repeat(16),
          'b'.repeat(16),
          'c'.repeat(16),
          'd'.repeat(16),
        ),
    ],
  ])('will not encode %s', (_what, encode) => {
    expect(encode).toThrow(CallbackDataError);
  });

  it('dates and months round-trip', () => {
    expect(Book.times.decode(Book.times.encode(1, 2, 0, '2026-03-29', 3))).toEqual([
      1,
      2,
      0,
      '2026-03-29',
      3,
    ]);
    expect(Move.calendar.decode(Move.calendar.encode(9, 0, '2026-10'))).toEqual([9, 0, '2026-10']);
  });
});
