import { BOOKING_STATUSES, BookingStatus } from '../api/bookings.dto';
import { assertTransition, cellsOf, parseStart, TRANSITIONS } from './booking-rules';

describe('booking rules', () => {
  const legal: [BookingStatus, BookingStatus][] = [
    ['pending', 'confirmed'],
    ['pending', 'cancelled'],
    ['confirmed', 'done'],
    ['confirmed', 'no_show'],
    ['confirmed', 'cancelled'],
  ];

  it.each(BOOKING_STATUSES.flatMap((from) => BOOKING_STATUSES.map((to) => [from, to] as const)))(
    '%s -> %s',
    (from, to) => {
      const allowed = legal.some(([f, t]) => f === from && t === to);
      if (allowed) expect(() => assertTransition(from, to)).not.toThrow();
      else
        expect(() => assertTransition(from, to)).toThrow(
          expect.objectContaining({ code: 'illegal_transition' }),
        );
    },
  );

  it('final statuses lead nowhere', () => {
    expect(TRANSITIONS.done).toEqual([]);
    expect(TRANSITIONS.no_show).toEqual([]);
    expect(TRANSITIONS.cancelled).toEqual([]);
  });

  it.each([
    [15, 1],
    [30, 2],
    [45, 3],
    [60, 4],
    [50, 4],
    [1, 1],
  ])('%i minutes take %i cells', (duration, count) => {
    const start = new Date('2026-03-30T08:00:00Z');
    const cells = cellsOf(start, duration);
    expect(cells).toHaveLength(count);
    expect(cells[0] * 15 * 60_000).toBe(start.getTime());
    expect(cells.every((c, i) => i === 0 || c === cells[i - 1] + 1)).toBe(true);
  });

  it('10:00 for 60 min and 10:30 for 30 min share cells; 11:00 does not', () => {
    const a = cellsOf(new Date('2026-03-30T10:00:00Z'), 60);
    const b = cellsOf(new Date('2026-03-30T10:30:00Z'), 30);
    const c = cellsOf(new Date('2026-03-30T11:00:00Z'), 30);
    expect(a.filter((x) => b.includes(x))).toHaveLength(2);
    expect(a.filter((x) => c.includes(x))).toHaveLength(0);
  });

  it.each(['2026-03-30T08:05:00Z', '2026-03-30T08:15:30Z', '2026-03-30T08:15:00.001Z'])(
    'rejects the off-grid start %s',
    (iso) => {
      expect(() => parseStart(iso)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    },
  );

  it('accepts offsets that land on the grid', () => {
    expect(parseStart('2026-03-30T10:45:00+05:30').toISOString()).toBe('2026-03-30T05:15:00.000Z');
  });
});
