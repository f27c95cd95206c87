import type { Language, ScheduleExceptionDto, WorkIntervalDto } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { day, weekdayNames } from '../../../ui/format';
import { KeyboardBuilder } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';

/** At most this many coming exceptions are listed; the rest are counted. */
export const EXCEPTIONS_SHOWN = 15;

export interface LocationWeek {
  id: number;
  name: string;
  intervals: WorkIntervalDto[];
}

const hhmm = (min: number) =>
  `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** `09:00–13:00, 14:00–18:00`: a day's intervals in the order they come. */
export function intervalsText(intervals: Pick<WorkIntervalDto, 'startMin' | 'endMin'>[]): string {
  return [...intervals]
    .sort((a, b) => a.startMin - b.startMin)
    .map((i) => `${hhmm(i.startMin)}–${hhmm(i.endMin)}`)
    .join(', ');
}

/** A week as a compact table: one line a weekday, Monday first, a dash for a day off. */
export function weekTable(lang: Language, intervals: WorkIntervalDto[]): string {
  const names = weekdayNames(lang);
  return names
    .map((name, i) => {
      const today = intervals.filter((x) => x.weekday === i + 1);
      return `${name}  ${today.length ? intervalsText(today) : '—'}`;
    })
    .join('\n');
}

function exceptionLine(lang: Language, e: ScheduleExceptionDto, locationName: string): string {
  const what =
    e.kind === 'day_off'
      ? t(e.specialistId === null ? 'spec.hours.closed' : 'spec.hours.day_off', lang)
      : t('spec.hours.custom', lang, {
          hours: intervalsText([{ startMin: e.startMin!, endMin: e.endMin! }]),
        });
  const reason = e.reason ? ` (${e.reason})` : '';
  return `${day(e.date, lang)}: ${what}, ${locationName}${reason}`;
}

/** My hours, read only: the week at each location, then the coming days off, custom hours and closures. */
export function hoursScreen(
  lang: Language,
  weeks: LocationWeek[],
  exceptions: ScheduleExceptionDto[],
  totalExceptions: number,
): Screen {
  const parts: string[] = [t('spec.hours.title', lang)];
  if (!weeks.length) parts.push(t('spec.hours.no_locations', lang));
  for (const week of weeks) {
    parts.push(
      `${t('spec.hours.location', lang, { location: week.name })}\n${
        week.intervals.length ? weekTable(lang, week.intervals) : t('spec.hours.no_week', lang)
      }`,
    );
  }
  const names = new Map(weeks.map((w) => [w.id, w.name]));
  const coming = exceptions
    .slice(0, EXCEPTIONS_SHOWN)
    .map((e) => exceptionLine(lang, e, names.get(e.locationId) ?? '—'));
  parts.push(
    coming.length
      ? `${t('spec.hours.exceptions', lang)}\n${coming.join('\n')}`
      : t('spec.hours.no_exceptions', lang),
  );
  if (totalExceptions > coming.length)
    parts.push(t('spec.hours.more', lang, { count: totalExceptions - coming.length }));
  parts.push(t('spec.hours.read_only', lang));
  return { text: parts.join('\n\n'), keyboard: new KeyboardBuilder(lang).nav().build() };
}
