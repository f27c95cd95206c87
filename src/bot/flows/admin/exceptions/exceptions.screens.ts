import type { Language, LocationDto, SpecialistDto } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { day } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { hhmm } from '../setup-input';
import { AdminMove } from '../bookings/bookings.routes';
import { AdminExceptions } from './exceptions.routes';

/** An exception as its screens name it: whose, where, when, what. */
export interface ExceptionView {
  id?: number;
  specialist?: string;
  location: string;
  date: string;
  startMin: number | null;
  endMin: number | null;
}

/** A booking an exception would collide with. */
export interface CollisionLine {
  id: number;
  time: string;
  client: string;
  service: string;
  specialist: string;
}

const withNotice = (text: string, notice?: string) => (notice ? `${notice}\n\n${text}` : text);

/** `Anna · Salon Mitte · Thu 24 Dec: day off` (or `hours 10:00–14:00`, or `closed` for a location). */
export function exceptionText(lang: Language, e: ExceptionView): string {
  const what =
    e.startMin === null || e.endMin === null
      ? t(e.specialist ? 'adm.exc.day_off' : 'adm.exc.closed', lang)
      : t('adm.exc.hours_label', lang, { start: hhmm(e.startMin), end: hhmm(e.endMin) });
  return `${e.specialist ? `${e.specialist} · ` : ''}${e.location} · ${day(e.date, lang)}: ${what}`;
}

export function listScreen(lang: Language, paged: Paged<ExceptionView & { id: number }>): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const e of paged.items) kb.button(exceptionText(lang, e), AdminExceptions.card.encode(e.id));
  kb.paging(paged, (p) => AdminExceptions.list.encode(p));
  kb.button(t('adm.exc.add_specialist', lang), AdminExceptions.specialists.encode(0));
  kb.button(t('adm.exc.add_closure', lang), AdminExceptions.locations.encode(0));
  kb.nav();
  return { text: t(paged.items.length ? 'adm.exc.title' : 'adm.exc.none', lang), keyboard: kb.build() };
}

export function cardScreen(lang: Language, e: ExceptionView & { id: number }): Screen {
  const kb = new KeyboardBuilder(lang)
    .button(t('adm.exc.remove', lang), AdminExceptions.remove.encode(e.id))
    .nav(AdminExceptions.list.encode(0));
  return { text: exceptionText(lang, e), keyboard: kb.build() };
}

export function specialistsScreen(lang: Language, paged: Paged<SpecialistDto>): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const s of paged.items) kb.button(s.name, AdminExceptions.specialistLocations.encode(s.id));
  kb.paging(paged, (p) => AdminExceptions.specialists.encode(p));
  kb.nav(AdminExceptions.list.encode(0));
  return { text: t('adm.exc.choose_specialist', lang), keyboard: kb.build() };
}

export function specialistLocationsScreen(lang: Language, s: SpecialistDto): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const l of s.locations) kb.button(l.name, AdminExceptions.date.encode(s.id, l.id));
  kb.nav(AdminExceptions.specialists.encode(0));
  return { text: t('adm.exc.choose_location', lang), keyboard: kb.build() };
}

export function locationsScreen(lang: Language, paged: Paged<LocationDto>): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const l of paged.items) kb.button(l.name, AdminExceptions.date.encode(0, l.id));
  kb.paging(paged, (p) => AdminExceptions.locations.encode(p));
  kb.nav(AdminExceptions.list.encode(0));
  return { text: t('adm.exc.choose_closure', lang), keyboard: kb.build() };
}

export function kindScreen(
  lang: Language,
  specialistId: number,
  locationId: number,
  date: string,
  view: ExceptionView,
): Screen {
  const kb = new KeyboardBuilder(lang)
    .row([
      {
        text: t('adm.exc.kind_day_off', lang),
        callback_data: AdminExceptions.preview.encode(specialistId, locationId, date, 0, 0),
      },
      {
        text: t('adm.exc.kind_hours', lang),
        callback_data: AdminExceptions.hours.encode(specialistId, locationId, date),
      },
    ])
    .nav(AdminExceptions.list.encode(0));
  return {
    text: t('adm.exc.choose_kind', lang, {
      who: view.specialist ?? '',
      location: view.location,
      date: day(date, lang),
    }),
    keyboard: kb.build(),
  };
}

const collisionList = (lines: readonly CollisionLine[]) =>
  lines.map((b) => `• ${b.time} ${b.service} · ${b.client} (${b.specialist})`).join('\n');

/** One button per colliding booking: the admin's move of it (its Back leads to the booking's card). */
function moveButtons(kb: KeyboardBuilder, lang: Language, lines: readonly CollisionLine[]): void {
  for (const b of lines)
    kb.button(
      t('adm.exc.move', lang, { time: b.time, client: b.client }),
      AdminMove.specialists.encode(b.id),
    );
}

/** Before saving: the bookings the exception collides with, to notify their clients or move them. */
export function previewScreen(
  lang: Language,
  view: ExceptionView,
  args: [number, number, string, number, number],
  lines: readonly CollisionLine[],
): Screen {
  const kb = new KeyboardBuilder(lang);
  if (lines.length) {
    moveButtons(kb, lang, lines);
    kb.button(t('adm.exc.save_notify', lang), AdminExceptions.notify.encode(...args));
    kb.button(t('adm.exc.save_anyway', lang), AdminExceptions.save.encode(...args));
  } else kb.button(t('adm.exc.save', lang), AdminExceptions.save.encode(...args));
  kb.nav(AdminExceptions.list.encode(0));
  const head = exceptionText(lang, view);
  const text = lines.length
    ? t('adm.exc.collisions', lang, { exception: head, count: lines.length, bookings: collisionList(lines) })
    : t('adm.exc.no_collisions', lang, { exception: head });
  return { text, keyboard: kb.build() };
}

/** After saving: what was saved, who was told, and the bookings still to move. */
export function savedScreen(
  lang: Language,
  view: ExceptionView,
  lines: readonly CollisionLine[],
  notice: string,
): Screen {
  const kb = new KeyboardBuilder(lang);
  moveButtons(kb, lang, lines);
  kb.nav(AdminExceptions.list.encode(0));
  const text = lines.length
    ? t('adm.exc.saved_collisions', lang, {
        exception: exceptionText(lang, view),
        bookings: collisionList(lines),
      })
    : exceptionText(lang, view);
  return { text: withNotice(text, notice), keyboard: kb.build() };
}

/** A prompt for typed text (a date, hours, the message to clients) with a way back. */
export function promptScreen(lang: Language, text: string): Screen {
  return { text, keyboard: new KeyboardBuilder(lang).nav(AdminExceptions.list.encode(0)).build() };
}
