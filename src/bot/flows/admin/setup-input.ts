import { DateTime } from 'luxon';
import { DAY_MINUTES, MAX_DURATION, MAX_PRICE, MIN_DURATION } from '../../../booking/api';
import { BotError } from '../../core/bot-error';

/**
 * What an admin types while setting up the salon, parsed or refused with a sentence that says what
 * is expected. Pure: the flows call these and let the BotError reach the bot's error path.
 */

export const NAME_MAX = 120;
export const ADDRESS_MAX = 255;
export const BIO_MAX = 2000;
export const MESSAGE_MAX = 3000;

/** The zones offered as buttons; any other IANA name may be typed. */
export const COMMON_ZONES = [
  'Europe/Moscow',
  'Europe/Kaliningrad',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Novosibirsk',
  'Europe/Berlin',
  'Europe/London',
  'Asia/Dubai',
] as const;

/** A name of 1 to `max` characters. */
export function parseName(text: string, max = NAME_MAX): string {
  const name = text.trim();
  if (!name || name.length > max) throw new BotError('adm.input.name_invalid', { max });
  return name;
}

/** A free text of up to `max` characters; `-` alone means empty. */
export function parseFreeText(text: string, max: number): string {
  const value = text.trim();
  if (value.length > max) throw new BotError('adm.input.text_too_long', { max });
  return value === '-' ? '' : value;
}

const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

/** An IANA time zone in its canonical spelling (`europe/berlin` -> `Europe/Berlin`); offsets and abbreviations are refused. */
export function canonicalZone(text: string): string {
  const typed = text.trim();
  const known = ZONES.find((z) => z.toLowerCase() === typed.toLowerCase());
  if (known) return known;
  if (typed.includes('/')) {
    try {
      return new Intl.DateTimeFormat('en', { timeZone: typed }).resolvedOptions().timeZone;
    } catch {
      // not a zone Intl knows: refused below
    }
  }
  throw new BotError('adm.input.zone_invalid', { zone: typed.slice(0, 40) });
}

/** Minutes in a whole number of 15-minute steps, within a service's bounds. */
export function parseDuration(text: string): number {
  const value = text.trim();
  if (!/^\d{1,4}$/.test(value)) throw new BotError('adm.input.duration_invalid');
  const minutes = Number(value);
  if (minutes % 15 !== 0) throw new BotError('adm.input.duration_step');
  if (minutes < MIN_DURATION || minutes > MAX_DURATION)
    throw new BotError('adm.input.duration_range', { min: MIN_DURATION, max: MAX_DURATION });
  return minutes;
}

/** The minor units in a currency (2 for EUR, 0 for JPY). */
function fractionDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** Money typed as `35`, `35.50` or `35,50` (spaces as thousands separators allowed), in minor units. */
export function parseMoney(text: string, currency: string): number {
  const value = text.trim().replace(/[\s\u00a0]/g, '');
  if (value.startsWith('-')) throw new BotError('adm.input.price_negative');
  const digits = fractionDigits(currency);
  const match = /^(\d{1,10})(?:[.,](\d+))?$/.exec(value);
  if (!match || (match[2] ?? '').length > digits) throw new BotError('adm.input.price_invalid');
  const minor = Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || 0);
  if (minor > MAX_PRICE) throw new BotError('adm.input.price_invalid');
  return minor;
}

/** `HH:mm` of minutes after midnight (1440 is `24:00`). */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A wall-clock time `9`, `9:30`, `09.30` or `24:00`, in minutes after midnight, on the 15-minute grid. */
export function parseTime(text: string): number {
  const match = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(text.trim());
  if (!match) throw new BotError('adm.input.time_invalid', { time: text.trim().slice(0, 20) });
  const minutes = Number(match[1]) * 60 + Number(match[2] ?? 0);
  if (Number(match[2] ?? 0) > 59 || minutes > DAY_MINUTES)
    throw new BotError('adm.input.time_invalid', { time: text.trim().slice(0, 20) });
  if (minutes % 15 !== 0) throw new BotError('adm.input.time_step', { time: hhmm(minutes) });
  return minutes;
}

export interface Interval {
  startMin: number;
  endMin: number;
}

/** One interval `10:00-14:00` (a dash, en dash or space between the times). */
export function parseInterval(text: string): Interval {
  const parts = text.trim().split(/\s*[-–—]\s*|\s+/);
  if (parts.length !== 2) throw new BotError('adm.input.interval_invalid');
  const [startMin, endMin] = parts.map(parseTime);
  if (endMin <= startMin)
    throw new BotError('adm.input.end_before_start', { start: hhmm(startMin), end: hhmm(endMin) });
  if (startMin >= DAY_MINUTES) throw new BotError('adm.input.interval_invalid');
  return { startMin, endMin };
}

/** Several intervals separated by commas, semicolons or new lines: `10:00-14:00, 15:00-19:00`. */
export function parseIntervals(text: string): Interval[] {
  const parts = text
    .split(/[,;\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) throw new BotError('adm.input.interval_invalid');
  return parts.map(parseInterval);
}

/** The first two intervals that overlap (sorted by start), if any. */
export function overlapOf<I extends Interval>(intervals: readonly I[]): [I, I] | undefined {
  const sorted = [...intervals].sort((a, b) => a.startMin - b.startMin);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].startMin < sorted[i - 1].endMin) return [sorted[i - 1], sorted[i]];
  return undefined;
}

/** A date `2026-12-24`, `24.12.2026` or `24.12` (the next such day), not before `today` (YYYY-MM-DD). */
export function parseDate(text: string, today: string): string {
  const value = text.trim();
  let date: DateTime;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const dotted = /^(\d{1,2})[./](\d{1,2})(?:[./](\d{4}))?$/.exec(value);
  if (iso) date = DateTime.fromObject({ year: +iso[1], month: +iso[2], day: +iso[3] });
  else if (dotted) {
    const base = DateTime.fromISO(today);
    date = DateTime.fromObject({
      year: dotted[3] ? +dotted[3] : base.year,
      month: +dotted[2],
      day: +dotted[1],
    });
    if (!dotted[3] && date.isValid && date.toISODate()! < today) date = date.plus({ years: 1 });
  } else throw new BotError('adm.input.date_invalid', { date: value.slice(0, 20) });
  if (!date.isValid) throw new BotError('adm.input.date_invalid', { date: value.slice(0, 20) });
  const result = date.toISODate()!;
  if (result < today) throw new BotError('adm.input.date_past');
  return result;
}

/** `@name` or a t.me link, as a username without the @; undefined when the text is not one. */
export function usernameOf(text: string): string | undefined {
  const match = /^(?:@|https?:\/\/t\.me\/)([A-Za-z][A-Za-z0-9_]{2,31})$/.exec(text.trim());
  return match?.[1];
}

/** A numeric Telegram user id typed as digits; undefined when the text is not one. */
export function tgIdOf(text: string): number | undefined {
  const value = text.trim();
  return /^\d{5,15}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined;
}
