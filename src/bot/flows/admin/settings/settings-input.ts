import { CURRENCIES, MAX_NOTICE_MIN } from '../../../../booking/api';

export const HORIZON_MAX_DAYS = 365;

const UNITS: [RegExp, number][] = [
  [/^(d|day|days|д|дн|дня|дней|день)$/, 1440],
  [/^(h|hr|hrs|hour|hours|ч|час|часа|часов)$/, 60],
  [/^(m|min|mins|minute|minutes|м|мин|минут|минуты|минута)$/, 1],
];

/**
 * A span typed by an admin: `90` (minutes), `2 h`, `1 h 30 min`, `1:30`, `2 days`, in English or
 * Russian units. Undefined when it is not one, or is outside 0 minutes .. one week.
 */
export function parseMinutes(text: string): number | undefined {
  const input = text.trim().toLowerCase();
  let total: number;
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(input);
  if (/^\d{1,5}$/.test(input)) total = Number(input);
  else if (clock) total = Number(clock[1]) * 60 + Number(clock[2]);
  else {
    const parts = [...input.matchAll(/(\d{1,5})\s*([a-zа-яё]+)/g)];
    if (
      !parts.length ||
      parts
        .map((p) => p[0])
        .join('')
        .replace(/\s/g, '') !== input.replace(/\s/g, '')
    )
      return undefined;
    total = 0;
    for (const [, amount, unit] of parts) {
      const factor = UNITS.find(([pattern]) => pattern.test(unit))?.[1];
      if (factor === undefined) return undefined;
      total += Number(amount) * factor;
    }
  }
  return total <= MAX_NOTICE_MIN ? total : undefined;
}

/** Whole days 1..365. */
export function parseDays(text: string): number | undefined {
  const match = /^(\d{1,3})\s*([a-zа-яё]*)$/.exec(text.trim().toLowerCase());
  if (!match || (match[2] && !UNITS[0][0].test(match[2]))) return undefined;
  const days = Number(match[1]);
  return days >= 1 && days <= HORIZON_MAX_DAYS ? days : undefined;
}

/** An ISO 4217 code the runtime can format, typed in any case. */
export function parseCurrency(text: string): string | undefined {
  const code = text.trim().toUpperCase();
  return CURRENCIES.includes(code) ? code : undefined;
}
