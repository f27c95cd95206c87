import type { Language, LocationDto, SpecialistDto, WorkIntervalDto } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { weekdayNames } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { hhmm, Interval } from '../setup-input';
import { AdminHours } from './hours.routes';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

const span = (i: Interval) => `${hhmm(i.startMin)}–${hhmm(i.endMin)}`;
const withNotice = (text: string, notice?: string) => (notice ? `${notice}\n\n${text}` : text);

/** A day's intervals in order, `09:00–13:00, 14:00–18:00`, or a dash for a day off. */
export function dayLine(intervals: readonly Interval[]): string {
  const sorted = [...intervals].sort((a, b) => a.startMin - b.startMin);
  return sorted.length ? sorted.map(span).join(', ') : '—';
}

/** The specialist's week at a location, one line a day. */
export function weekTable(lang: Language, week: readonly WorkIntervalDto[]): string {
  const names = weekdayNames(lang);
  return WEEKDAYS.map((d) => `${names[d - 1]}  ${dayLine(week.filter((i) => i.weekday === d))}`).join('\n');
}

export function specialistsScreen(lang: Language, paged: Paged<SpecialistDto>): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const s of paged.items) kb.button(s.name, AdminHours.locations.encode(s.id));
  kb.paging(paged, (p) => AdminHours.specialists.encode(p));
  kb.nav();
  return {
    text: t(paged.items.length ? 'adm.hours.choose_specialist' : 'adm.hours.no_specialists', lang),
    keyboard: kb.build(),
  };
}

export function locationsScreen(lang: Language, s: SpecialistDto): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const l of s.locations) kb.button(l.name, AdminHours.week.encode(s.id, l.id));
  kb.nav(AdminHours.specialists.encode(0));
  const key = s.locations.length ? 'adm.hours.choose_location' : 'adm.hours.no_locations';
  return { text: t(key, lang, { name: s.name }), keyboard: kb.build() };
}

export function weekScreen(
  lang: Language,
  s: SpecialistDto,
  location: Pick<LocationDto, 'id' | 'name' | 'timeZone'>,
  week: readonly WorkIntervalDto[],
  notice?: string,
): Screen {
  const names = weekdayNames(lang);
  const kb = new KeyboardBuilder(lang).grid(
    WEEKDAYS.map((d) => ({ text: names[d - 1], callback_data: AdminHours.day.encode(s.id, location.id, d) })),
    7,
  );
  kb.nav(s.locations.length > 1 ? AdminHours.locations.encode(s.id) : AdminHours.specialists.encode(0));
  const text = t('adm.hours.week', lang, {
    name: s.name,
    location: location.name,
    zone: location.timeZone,
    table: weekTable(lang, week),
  });
  return { text: withNotice(text, notice), keyboard: kb.build() };
}

export function dayScreen(
  lang: Language,
  specialistId: number,
  locationId: number,
  weekday: number,
  intervals: readonly WorkIntervalDto[],
  notice?: string,
): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const i of [...intervals].sort((a, b) => a.startMin - b.startMin))
    kb.button(`✏️ ${span(i)}`, AdminHours.interval.encode(specialistId, locationId, i.id));
  kb.row([
    {
      text: t('adm.hours.add', lang),
      callback_data: AdminHours.add.encode(specialistId, locationId, weekday),
    },
    {
      text: t('adm.hours.copy', lang),
      callback_data: AdminHours.copy.encode(specialistId, locationId, weekday, 0),
    },
  ]);
  kb.nav(AdminHours.week.encode(specialistId, locationId));
  const text = t('adm.hours.day', lang, {
    day: weekdayNames(lang)[weekday - 1],
    intervals: dayLine(intervals),
  });
  return { text: withNotice(text, notice), keyboard: kb.build() };
}

export function intervalScreen(
  lang: Language,
  specialistId: number,
  locationId: number,
  i: WorkIntervalDto,
): Screen {
  const kb = new KeyboardBuilder(lang)
    .row([
      {
        text: t('adm.hours.change', lang),
        callback_data: AdminHours.change.encode(specialistId, locationId, i.id),
      },
      {
        text: t('adm.hours.remove', lang),
        callback_data: AdminHours.remove.encode(specialistId, locationId, i.id),
      },
    ])
    .nav(AdminHours.day.encode(specialistId, locationId, i.weekday));
  const text = t('adm.hours.interval', lang, { day: weekdayNames(lang)[i.weekday - 1], interval: span(i) });
  return { text, keyboard: kb.build() };
}

/** The days to copy a day to, as toggles (the chosen ones in a bit mask), and Copy. */
export function copyScreen(
  lang: Language,
  specialistId: number,
  locationId: number,
  weekday: number,
  mask: number,
  source: readonly Interval[],
): Screen {
  const names = weekdayNames(lang);
  const kb = new KeyboardBuilder(lang).grid(
    WEEKDAYS.filter((d) => d !== weekday).map((d) => {
      const bit = 1 << (d - 1);
      return {
        text: `${mask & bit ? '✅' : '⬜️'} ${names[d - 1]}`,
        callback_data: AdminHours.copy.encode(specialistId, locationId, weekday, mask ^ bit),
      };
    }),
    3,
  );
  if (mask)
    kb.button(
      t('adm.hours.copy_apply', lang),
      AdminHours.copyApply.encode(specialistId, locationId, weekday, mask),
    );
  kb.nav(AdminHours.day.encode(specialistId, locationId, weekday));
  const text = t('adm.hours.copy_title', lang, { day: names[weekday - 1], intervals: dayLine(source) });
  return { text, keyboard: kb.build() };
}

/** The prompt for typed intervals, with a way back to the day. */
export function intervalPromptScreen(
  lang: Language,
  specialistId: number,
  locationId: number,
  weekday: number,
): Screen {
  const kb = new KeyboardBuilder(lang).nav(AdminHours.day.encode(specialistId, locationId, weekday));
  return {
    text: t('adm.hours.ask_interval', lang, { day: weekdayNames(lang)[weekday - 1] }),
    keyboard: kb.build(),
  };
}
