/** One formatter per zone (null: a zone Intl does not know); building one costs ~50 µs, luxon's DateTime ~70 µs a call. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterOf(zone: string): Intl.DateTimeFormat | null {
  let format = formatters.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      format = null;
    }
    if (formatters.size > 1000) formatters.clear();
    formatters.set(zone, format);
  }
  return format;
}

/** What a wall clock in a zone shows: the date (YYYY, MM, DD) and the time (HH, mm, 24-hour). */
export interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

/** The wall clock of an instant in an IANA zone; undefined for a zone Intl does not know. */
export function wallClockOf(instant: Date | number | string, zone: string): WallClock | undefined {
  const format = formatterOf(zone);
  if (!format) return undefined;
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime();
  const clock: WallClock = { year: '', month: '', day: '', hour: '', minute: '' };
  for (const part of format.formatToParts(ms)) {
    if (part.type in clock) clock[part.type as keyof WallClock] = part.value;
  }
  clock.year = clock.year.padStart(4, '0');
  return clock;
}

/** The local calendar date (YYYY-MM-DD) of an instant in an IANA zone; the UTC date if the zone is unknown. */
export function localDateOf(instant: Date | number | string, zone: string): string {
  const clock = wallClockOf(instant, zone);
  if (!clock)
    return new Date(typeof instant === 'number' ? instant : new Date(instant)).toISOString().slice(0, 10);
  return `${clock.year}-${clock.month}-${clock.day}`;
}
