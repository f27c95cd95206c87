import type { InlineKeyboardButton } from 'telegraf/types';
import type { Language, LocationDto, ServiceDto, SpecialistDto } from '../../../../booking/api';
import type { StartDto } from '../../../../slots/api';
import { t, TextKey } from '../../../i18n/i18n';
import {
  addMonths,
  dateTime,
  day,
  durationText,
  isoWeekday,
  money,
  monthTitle,
  weekdayNames,
} from '../../../ui/format';
import { KeyboardBuilder, pageOf } from '../../../ui/keyboard';
import { Nav } from '../../../ui/routes';
import type { Screen } from '../../../ui/screen';

/** Times are grouped by part of day: morning before 12:00, afternoon before 17:00, evening after. */
const PARTS: readonly { key: TextKey; until: number }[] = [
  { key: 'book.morning', until: 12 * 60 },
  { key: 'book.afternoon', until: 17 * 60 },
  { key: 'book.evening', until: 24 * 60 },
];
const TIMES_PER_ROW = 4;
/** A day of quarter-hour starts can hold 96: beyond this many a page, the times are paged. */
export const TIMES_PER_PAGE = 48;

export function locationsScreen(
  lang: Language,
  locations: LocationDto[],
  page: number,
  link: (id: number) => string,
  pageLink: (p: number) => string,
): Screen {
  const paged = pageOf(locations, page);
  const kb = new KeyboardBuilder(lang);
  for (const l of paged.items) kb.button(l.address ? `${l.name} · ${l.address}` : l.name, link(l.id));
  kb.paging(paged, pageLink).nav();
  return {
    text: t(locations.length ? 'book.choose_location' : 'book.no_locations', lang),
    keyboard: kb.build(),
  };
}

export function servicesScreen(
  lang: Language,
  location: LocationDto,
  services: Pick<ServiceDto, 'id' | 'name' | 'durationMin' | 'price'>[],
  currency: string,
  page: number,
  links: { service: (id: number) => string; page: (p: number) => string; back?: string },
): Screen {
  const paged = pageOf(services, page);
  const kb = new KeyboardBuilder(lang);
  for (const s of paged.items)
    kb.button(
      `${s.name} · ${durationText(s.durationMin, lang)} · ${money(s.price, currency, lang)}`,
      links.service(s.id),
    );
  kb.paging(paged, links.page).nav(links.back);
  const key = services.length ? 'book.choose_service' : 'book.no_services';
  return { text: t(key, lang, { location: location.name }), keyboard: kb.build() };
}

export function specialistsScreen(
  lang: Language,
  service: ServiceDto,
  specialists: SpecialistDto[],
  page: number,
  links: { any: string; specialist: (id: number) => string; page: (p: number) => string; back: string },
): Screen {
  const paged = pageOf(specialists, page);
  const kb = new KeyboardBuilder(lang);
  if (specialists.length) kb.button(t('book.any_specialist', lang), links.any);
  for (const s of paged.items) kb.button(s.name, links.specialist(s.id));
  kb.paging(paged, links.page).nav(links.back);
  const key = specialists.length ? 'book.choose_specialist' : 'book.no_specialists';
  return { text: t(key, lang, { service: service.name }), keyboard: kb.build() };
}

export interface CalendarView {
  /** YYYY-MM shown. */
  month: string;
  /** Local dates of that month with at least one free start. */
  days: string[];
  /** The months the user may move to (today's month .. the horizon's). */
  firstMonth: string;
  lastMonth: string;
  /** A line above the calendar: what is being booked. */
  subject: string;
}

/** A month of days, Monday first; days with free starts are buttons, the others are labels. */
export function calendarScreen(
  lang: Language,
  view: CalendarView,
  links: { day: (date: string) => string; month: (month: string) => string; back: string },
): Screen {
  const [year, month] = view.month.split('-').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const available = new Set(view.days);
  const noop = Nav.noop.encode();
  const cells: InlineKeyboardButton[] = [];
  for (let i = 1; i < isoWeekday(year, month, 1); i++) cells.push({ text: ' ', callback_data: noop });
  for (let d = 1; d <= daysInMonth; d++) {
    const date = `${view.month}-${String(d).padStart(2, '0')}`;
    cells.push(
      available.has(date)
        ? { text: String(d), callback_data: links.day(date) }
        : { text: '·', callback_data: noop },
    );
  }
  while (cells.length % 7) cells.push({ text: ' ', callback_data: noop });
  const kb = new KeyboardBuilder(lang).row(weekdayNames(lang).map((text) => ({ text, callback_data: noop })));
  kb.grid(cells, 7);
  const prev = addMonths(view.month, -1);
  const next = addMonths(view.month, 1);
  const nav: InlineKeyboardButton[] = [];
  if (prev >= view.firstMonth)
    nav.push({ text: `« ${monthTitle(prev, lang)}`, callback_data: links.month(prev) });
  if (next <= view.lastMonth)
    nav.push({ text: `${monthTitle(next, lang)} »`, callback_data: links.month(next) });
  kb.row(nav).nav(links.back);
  const hint = view.days.length ? 'book.choose_day' : 'book.no_days';
  const text = `${view.subject}\n\n${monthTitle(view.month, lang)}\n${t(hint, lang)}`;
  return { text, keyboard: kb.build() };
}

/** The free starts of a day grouped by part of day, each a button; paged beyond TIMES_PER_PAGE. */
export function timesScreen(
  lang: Language,
  date: string,
  starts: StartDto[],
  page: number,
  links: { start: (s: StartDto) => string; page: (p: number) => string; back: string },
  notice?: string,
): Screen {
  const paged = pageOf(starts, page, TIMES_PER_PAGE);
  const kb = new KeyboardBuilder(lang);
  // A start's localTime is its wall-clock label in the location's zone (HH:MM): no Intl formatting per button.
  const minutes = paged.items.map(
    (s) => Number(s.localTime.slice(0, 2)) * 60 + Number(s.localTime.slice(3, 5)),
  );
  let from = 0;
  for (const part of PARTS) {
    const group = paged.items.filter((_, i) => minutes[i] >= from && minutes[i] < part.until);
    from = part.until;
    if (!group.length) continue;
    kb.button(t(part.key, lang), Nav.noop.encode());
    kb.grid(
      group.map((s) => ({ text: s.localTime, callback_data: links.start(s) })),
      TIMES_PER_ROW,
    );
  }
  kb.paging(paged, links.page).nav(links.back);
  const head = t(starts.length ? 'book.choose_time' : 'book.no_times', lang, { day: day(date, lang) });
  return { text: notice ? `${notice}\n\n${head}` : head, keyboard: kb.build() };
}

export interface BookingDetails {
  service: string;
  specialist: string;
  startAt: string;
  durationMin: number;
  price: number;
  currency: string;
  location: LocationDto;
  comment?: string;
}

/** The lines every booking card shows: what, who, when, where, how much. */
export function detailsText(lang: Language, d: BookingDetails): string {
  const lines = [
    `${d.service} · ${durationText(d.durationMin, lang)}`,
    t('card.when', lang, { when: dateTime(d.startAt, d.location.timeZone, lang) }),
    t('card.specialist', lang, { name: d.specialist }),
    t('card.where', lang, {
      where: d.location.address ? `${d.location.name}, ${d.location.address}` : d.location.name,
    }),
    t('card.price', lang, { price: money(d.price, d.currency, lang) }),
  ];
  if (d.comment) lines.push(t('card.comment', lang, { comment: d.comment }));
  return lines.join('\n');
}

export function confirmScreen(
  lang: Language,
  title: TextKey,
  details: BookingDetails,
  links: { confirm: string; comment?: string; back: string },
): Screen {
  const kb = new KeyboardBuilder(lang).button(t('book.confirm', lang), links.confirm);
  if (links.comment)
    kb.button(t(details.comment ? 'book.edit_comment' : 'book.add_comment', lang), links.comment);
  kb.nav(links.back);
  return { text: `${t(title, lang)}\n\n${detailsText(lang, details)}`, keyboard: kb.build() };
}

export function resultScreen(
  lang: Language,
  title: TextKey,
  details: BookingDetails,
  myBookings: string,
): Screen {
  const kb = new KeyboardBuilder(lang).button(t('menu.my_bookings', lang), myBookings).nav();
  return { text: `${t(title, lang)}\n\n${detailsText(lang, details)}`, keyboard: kb.build() };
}
