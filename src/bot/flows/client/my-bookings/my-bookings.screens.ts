import type { BookingDto, BookingStatus, Language } from '../../../../booking/api';
import { t, TextKey } from '../../../i18n/i18n';
import { dateTime } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import { Book, Move, MyBookings } from '../../../ui/routes';
import type { Screen } from '../../../ui/screen';
import { BookingDetails, detailsText } from '../booking/booking.screens';

export type Tab = 'upcoming' | 'past';

export const STATUS_KEY: Record<BookingStatus, TextKey> = {
  pending: 'status.pending',
  confirmed: 'status.confirmed',
  done: 'status.done',
  no_show: 'status.no_show',
  cancelled: 'status.cancelled',
};

/** One line per booking in a list: when and what. */
export interface BookingLine {
  id: number;
  startAt: string;
  timeZone: string;
  service: string;
  status: BookingStatus;
}

export function listScreen(lang: Language, tab: Tab, paged: Paged<BookingLine>): Screen {
  const kb = new KeyboardBuilder(lang);
  const other: Tab = tab === 'upcoming' ? 'past' : 'upcoming';
  for (const b of paged.items) {
    const mark = b.status === 'pending' ? '⏳ ' : b.status === 'cancelled' ? '✖ ' : '';
    kb.button(`${mark}${dateTime(b.startAt, b.timeZone, lang)} · ${b.service}`, MyBookings.card.encode(b.id));
  }
  kb.paging(paged, (p) => MyBookings.list.encode(tab, p));
  kb.button(
    t(other === 'past' ? 'my.show_past' : 'my.show_upcoming', lang),
    MyBookings.list.encode(other, 0),
  );
  kb.nav();
  const key = paged.items.length
    ? tab === 'upcoming'
      ? 'my.upcoming'
      : 'my.past'
    : tab === 'upcoming'
      ? 'my.none_upcoming'
      : 'my.none_past';
  return { text: t(key, lang), keyboard: kb.build() };
}

/** What the client may do with a booking: change it while it is live and ahead, book the same again once it is over. */
export function cardScreen(
  lang: Language,
  booking: BookingDto,
  details: BookingDetails,
  now: Date,
  notice?: string,
): Screen {
  const kb = new KeyboardBuilder(lang);
  const live = booking.status === 'pending' || booking.status === 'confirmed';
  const ahead = new Date(booking.startAt) > now;
  if (live && ahead) {
    kb.row([
      { text: t('my.reschedule', lang), callback_data: Move.specialists.encode(booking.id) },
      { text: t('my.cancel', lang), callback_data: MyBookings.cancelAsk.encode(booking.id) },
    ]);
  } else {
    kb.button(
      t('my.book_again', lang),
      Book.calendar.encode(
        booking.locationId,
        booking.serviceId,
        booking.specialistId,
        booking.startAt.slice(0, 7),
      ),
    );
  }
  kb.nav(MyBookings.list.encode(live && ahead ? 'upcoming' : 'past', 0));
  const status = t('card.status', lang, { status: t(STATUS_KEY[booking.status], lang) });
  const reason = booking.cancelReason
    ? `\n${t('card.cancel_reason', lang, { reason: booking.cancelReason })}`
    : '';
  const text = `${notice ? `${notice}\n\n` : ''}${detailsText(lang, details)}\n${status}${reason}`;
  return { text, keyboard: kb.build() };
}

export function cancelAskScreen(lang: Language, booking: BookingDto, details: BookingDetails): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('my.cancel_yes', lang), callback_data: MyBookings.cancel.encode(booking.id) },
    { text: t('my.cancel_no', lang), callback_data: MyBookings.card.encode(booking.id) },
  ]);
  return { text: `${t('my.cancel_question', lang)}\n\n${detailsText(lang, details)}`, keyboard: kb.build() };
}
