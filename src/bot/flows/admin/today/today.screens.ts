import type { Language, LocationDto } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { day, durationText } from '../../../ui/format';
import { KeyboardBuilder, pageOf } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import type { AdminLine } from '../bookings/admin-desk';
import { AdminBookings } from '../bookings/bookings.routes';
import { lineText } from '../bookings/bookings.screens';
import { Pending } from '../pending/pending.routes';
import { Today } from './today.routes';

export interface SpecialistDay {
  name: string;
  bookings: number;
  /** Minutes still free today (from now on). */
  freeMin: number;
}

export interface TodayView {
  location: LocationDto;
  date: string;
  /** Today's bookings (not cancelled), in time order. */
  lines: AdminLine[];
  page: number;
  specialists: SpecialistDay[];
  severalLocations: boolean;
}

/** The day at one location: counts, what waits for confirmation, free time left, and every booking a tap away. */
export function todayScreen(lang: Language, view: TodayView): Screen {
  const { location, date } = view;
  const pending = view.lines.filter((l) => l.status === 'pending').length;
  const freeMin = view.specialists.reduce((sum, s) => sum + s.freeMin, 0);
  const lines = [
    t('adm.today.title', lang, { location: location.name, day: day(date, lang) }),
    t('adm.today.counts', lang, { count: view.lines.length, pending }),
    t('adm.today.free', lang, { free: durationText(freeMin, lang) }),
  ];
  if (view.specialists.length) lines.push('');
  for (const s of view.specialists)
    lines.push(
      t('adm.today.specialist', lang, {
        name: s.name,
        count: s.bookings,
        free: durationText(s.freeMin, lang),
      }),
    );
  if (!view.lines.length) lines.push('', t('adm.today.none', lang));
  const paged = pageOf(view.lines, view.page);
  const kb = new KeyboardBuilder(lang);
  for (const line of paged.items)
    kb.button(lineText(lang, line), AdminBookings.card.encode(line.id, 'today'));
  kb.paging(paged, (p) => Today.show.encode(location.id, p));
  if (pending) kb.button(t('adm.today.pending', lang, { count: pending }), Pending.list.encode(0));
  kb.button(t('adm.today.day', lang), AdminBookings.day.encode(location.id, date, 0, 0));
  kb.nav(view.severalLocations ? Today.locations.encode() : undefined);
  return { text: lines.join('\n'), keyboard: kb.build() };
}

export function todayLocationsScreen(lang: Language, locations: LocationDto[]): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const l of locations) kb.button(l.name, Today.show.encode(l.id, 0));
  kb.nav();
  return { text: t('adm.today.choose_location', lang), keyboard: kb.build() };
}
