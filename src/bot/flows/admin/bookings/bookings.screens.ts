import { DateTime } from 'luxon';
import type { BookingDto, BookingStatus, Language, LocationDto, UserDto } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { dateTime, day, localTime } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { BookingDetails, detailsText } from '../../client/booking/booking.screens';
import { STATUS_KEY } from '../../client/my-bookings/my-bookings.screens';
import { Clients } from '../clients/clients.routes';
import { Pending } from '../pending/pending.routes';
import { Today } from '../today/today.routes';
import type { AdminLine } from './admin-desk';
import { AdminBookings, AdminMove, AdminNew, Origin } from './bookings.routes';

export const STATUS_MARK: Record<BookingStatus, string> = {
  pending: '⏳',
  confirmed: '🟢',
  done: '✔️',
  no_show: '❌',
  cancelled: '✖',
};

/** `⏳ 10:00 · Anna · Maria · Haircut`, or with the date when the list spans days. */
export function lineText(lang: Language, line: AdminLine, withDate = false): string {
  const when = withDate
    ? dateTime(line.startAt, line.timeZone, lang)
    : localTime(line.startAt, line.timeZone);
  return `${STATUS_MARK[line.status]} ${when} · ${line.specialist} · ${line.client} · ${line.service}`;
}

/** Where a card's Back leads, by where the admin came from. */
export function backOf(origin: Origin, booking: BookingDto, localDate: string): string {
  switch (origin) {
    case 'today':
      return Today.show.encode(booking.locationId, 0);
    case 'pend':
      return Pending.list.encode(0);
    case 'client':
      return Clients.card.encode(booking.clientId);
    case 'day':
      return AdminBookings.day.encode(booking.locationId, localDate, 0, 0);
  }
}

export interface DayView {
  location: LocationDto;
  date: string;
  /** The specialist the day is narrowed to (absent: everyone). */
  specialist?: { id: number; name: string };
  lines: Paged<AdminLine>;
  total: number;
  severalLocations: boolean;
}

/** A day's bookings at a location, optionally one specialist's; day by day, with a new booking at hand. */
export function dayScreen(lang: Language, view: DayView): Screen {
  const { location, date } = view;
  const pick = view.specialist?.id ?? 0;
  const kb = new KeyboardBuilder(lang);
  for (const line of view.lines.items)
    kb.button(lineText(lang, line), AdminBookings.card.encode(line.id, 'day'));
  kb.paging(view.lines, (p) => AdminBookings.day.encode(location.id, date, pick, p));
  const shift = (days: number) => DateTime.fromISO(date).plus({ days }).toISODate()!;
  kb.row([
    {
      text: `« ${day(shift(-1), lang)}`,
      callback_data: AdminBookings.day.encode(location.id, shift(-1), pick, 0),
    },
    {
      text: `${day(shift(1), lang)} »`,
      callback_data: AdminBookings.day.encode(location.id, shift(1), pick, 0),
    },
  ]);
  const filters = [
    {
      text: t('adm.bk.by_specialist', lang, { name: view.specialist?.name ?? t('adm.bk.everyone', lang) }),
      callback_data: AdminBookings.specialists.encode(location.id, date),
    },
  ];
  if (view.severalLocations)
    filters.push({
      text: t('adm.bk.other_location', lang),
      callback_data: AdminBookings.locations.encode(location.id, date),
    });
  kb.row(filters);
  kb.button(t('adm.bk.new', lang), AdminNew.start.encode());
  kb.nav();
  const head = t('adm.bk.day_title', lang, {
    location: location.name,
    day: day(date, lang),
    who: view.specialist?.name ?? t('adm.bk.everyone', lang),
  });
  const count = view.total ? t('adm.bk.day_count', lang, { count: view.total }) : t('adm.bk.day_empty', lang);
  return { text: `${head}\n${count}`, keyboard: kb.build() };
}

/** A choice among named things (locations, specialists), each leading to `link(id)`. */
export function pickScreen(
  lang: Language,
  title: string,
  items: { id: number; name: string }[],
  link: (id: number) => string,
  back: string,
  first?: { text: string; data: string },
): Screen {
  const kb = new KeyboardBuilder(lang);
  if (first) kb.button(first.text, first.data);
  for (const item of items) kb.button(item.name, link(item.id));
  kb.nav(back);
  return { text: title, keyboard: kb.build() };
}

/** The client's line on a card: name and phone (or that there is none). */
export function clientText(lang: Language, client: Pick<UserDto, 'name' | 'phone'>): string {
  return t('adm.bk.client', lang, { name: client.name, phone: client.phone ?? t('adm.bk.no_phone', lang) });
}

/**
 * Everything the admin may do with a booking: confirm a pending one; move or cancel (decline, when
 * pending) a live one ahead; mark a confirmed one done or no-show once it has started.
 */
export function cardScreen(
  lang: Language,
  booking: BookingDto,
  details: BookingDetails,
  client: Pick<UserDto, 'name' | 'phone'>,
  now: Date,
  origin: Origin,
  back: string,
  notice?: string,
): Screen {
  const kb = new KeyboardBuilder(lang);
  const id = booking.id;
  const started = new Date(booking.startAt) <= now;
  if (booking.status === 'pending')
    kb.button(t('adm.bk.confirm', lang), AdminBookings.confirm.encode(id, origin));
  if (booking.status === 'confirmed' && started)
    kb.row([
      { text: t('adm.bk.done', lang), callback_data: AdminBookings.mark.encode(id, 'done', origin) },
      { text: t('adm.bk.no_show', lang), callback_data: AdminBookings.mark.encode(id, 'no_show', origin) },
    ]);
  if ((booking.status === 'pending' || booking.status === 'confirmed') && !started)
    kb.row([
      { text: t('adm.bk.reschedule', lang), callback_data: AdminMove.specialists.encode(id) },
      {
        text: t(booking.status === 'pending' ? 'adm.bk.decline' : 'adm.bk.cancel', lang),
        callback_data: AdminBookings.cancelAsk.encode(id, origin),
      },
    ]);
  kb.nav(back);
  const lines = [
    t('adm.bk.card_title', lang, { id, status: t(STATUS_KEY[booking.status], lang) }),
    clientText(lang, client),
    detailsText(lang, details),
  ];
  if (booking.cancelReason) lines.push(t('card.cancel_reason', lang, { reason: booking.cancelReason }));
  const text = lines.join('\n');
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
}

/** Cancelling (declining) asks first; a reason typed now is sent to the client with the news. */
export function cancelAskScreen(
  lang: Language,
  booking: BookingDto,
  details: BookingDetails,
  origin: Origin,
  reason?: string,
): Screen {
  const decline = booking.status === 'pending';
  const kb = new KeyboardBuilder(lang).row([
    {
      text: t(
        reason ? 'adm.bk.cancel_yes' : decline ? 'adm.bk.decline_no_reason' : 'adm.bk.cancel_no_reason',
        lang,
      ),
      callback_data: AdminBookings.cancel.encode(booking.id, origin),
    },
    { text: t('adm.bk.cancel_keep', lang), callback_data: AdminBookings.card.encode(booking.id, origin) },
  ]);
  const question = reason
    ? t(decline ? 'adm.bk.decline_with_reason' : 'adm.bk.cancel_with_reason', lang, { reason })
    : t(decline ? 'adm.bk.decline_question' : 'adm.bk.cancel_question', lang);
  return { text: `${question}\n\n${detailsText(lang, details)}`, keyboard: kb.build() };
}

/** The clients a search found, each a choice; a new client is always at hand. */
export function clientChoiceScreen(
  lang: Language,
  query: string,
  found: Paged<UserDto>,
  total: number,
): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const c of found.items)
    kb.button(`${c.name} · ${c.phone ?? t('adm.bk.no_phone', lang)}`, AdminNew.locations.encode(c.id, 0));
  kb.paging(found, (p) => AdminNew.found.encode(p));
  kb.button(t('adm.bk.new_client', lang), AdminNew.newClient.encode());
  kb.nav(AdminNew.start.encode());
  const text = total
    ? t('adm.bk.found', lang, { query, count: total })
    : t('adm.bk.found_none', lang, { query });
  return { text, keyboard: kb.build() };
}
