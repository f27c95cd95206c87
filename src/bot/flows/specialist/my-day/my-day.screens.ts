import type { BookingStatus, Language } from '../../../../booking/api';
import { t, TextKey } from '../../../i18n/i18n';
import { dateTime, day, durationText, localDate, localTime, money } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { STATUS_KEY } from '../../client/my-bookings/my-bookings.screens';
import { MyDay, Range, RANGES } from './my-day.routes';

const RANGE_KEY: Record<Range, TextKey> = {
  today: 'spec.day.today',
  tomorrow: 'spec.day.tomorrow',
  week: 'spec.day.week',
};

const EMPTY_KEY: Record<Range, TextKey> = {
  today: 'spec.day.none_today',
  tomorrow: 'spec.day.none_tomorrow',
  week: 'spec.day.none_week',
};

const STATUS_MARK: Record<BookingStatus, string> = {
  pending: '⏳',
  confirmed: '✅',
  done: '✔️',
  no_show: '🚫',
  cancelled: '✖',
};

/** One booking of the specialist's day as the list and the card show it. */
export interface DayBooking {
  id: number;
  startAt: string;
  durationMin: number;
  status: BookingStatus;
  service: string;
  client: string;
  phone: string | null;
  location: { name: string; address: string; timeZone: string };
}

/** `10:30` today or tomorrow; `Tue 14 Apr 10:30` over a week; always in the location's time. */
function when(b: DayBooking, range: Range, lang: Language): string {
  const time = localTime(b.startAt, b.location.timeZone);
  return range === 'week' ? `${day(localDate(b.startAt, b.location.timeZone), lang)} ${time}` : time;
}

/**
 * The bookings of a period, soonest first: time, service, client and phone, status; under a heading
 * per location when the page has more than one. A button per booking opens its card.
 */
export function dayScreen(
  lang: Language,
  range: Range,
  paged: Paged<DayBooking>,
  severalLocations: boolean,
): Screen {
  const kb = new KeyboardBuilder(lang).row(
    RANGES.map((r) => ({
      text: `${r === range ? '• ' : ''}${t(RANGE_KEY[r], lang)}`,
      callback_data: MyDay.list.encode(r, 0),
    })),
  );
  const lines: string[] = [t('spec.day.title', lang, { range: t(RANGE_KEY[range], lang) })];
  if (!paged.items.length) lines.push('', t(EMPTY_KEY[range], lang));
  if (paged.items.length && !severalLocations) lines.push('');
  let heading: string | undefined;
  for (const b of paged.items) {
    if (severalLocations && b.location.name !== heading) {
      heading = b.location.name;
      lines.push('', t('spec.day.location', lang, { location: heading }));
    }
    const contact = b.phone ? `${b.client}, ${b.phone}` : b.client;
    lines.push(
      `${STATUS_MARK[b.status]} ${when(b, range, lang)} ${b.service} · ${contact} (${t(STATUS_KEY[b.status], lang)})`,
    );
    kb.button(`${when(b, range, lang)} · ${b.service} · ${b.client}`, MyDay.card.encode(b.id, range));
  }
  kb.paging(paged, (p) => MyDay.list.encode(range, p));
  kb.nav();
  return { text: lines.join('\n'), keyboard: kb.build() };
}

export interface CardFacts {
  price: number;
  currency: string;
  comment: string;
  cancelReason: string | null;
  now: Date;
}

/**
 * A booking of the specialist's: Done / No-show once it has started (and is confirmed), Cancel while
 * it is live (asked first, then the reason the client will read).
 */
export function cardScreen(
  lang: Language,
  b: DayBooking,
  range: Range,
  facts: CardFacts,
  notice?: string,
): Screen {
  const kb = new KeyboardBuilder(lang);
  if (b.status === 'confirmed' && new Date(b.startAt) <= facts.now) {
    kb.row([
      { text: t('spec.card.done', lang), callback_data: MyDay.done.encode(b.id, range) },
      { text: t('spec.card.no_show', lang), callback_data: MyDay.noShow.encode(b.id, range) },
    ]);
  }
  if (b.status === 'pending' || b.status === 'confirmed')
    kb.button(t('spec.card.cancel', lang), MyDay.cancelAsk.encode(b.id, range));
  kb.nav(MyDay.list.encode(range, 0));
  return { text: `${notice ? `${notice}\n\n` : ''}${cardText(lang, b, facts)}`, keyboard: kb.build() };
}

function cardText(lang: Language, b: DayBooking, facts: CardFacts): string {
  const lines = [
    `${b.service} · ${durationText(b.durationMin, lang)}`,
    t('card.when', lang, { when: dateTime(b.startAt, b.location.timeZone, lang) }),
    t('card.where', lang, {
      where: b.location.address ? `${b.location.name}, ${b.location.address}` : b.location.name,
    }),
    t('spec.card.client', lang, { name: b.client }),
    t('spec.card.phone', lang, { phone: b.phone ?? t('spec.card.no_phone', lang) }),
    t('card.price', lang, { price: money(facts.price, facts.currency, lang) }),
  ];
  if (facts.comment) lines.push(t('card.comment', lang, { comment: facts.comment }));
  lines.push(t('card.status', lang, { status: t(STATUS_KEY[b.status], lang) }));
  if (facts.cancelReason) lines.push(t('card.cancel_reason', lang, { reason: facts.cancelReason }));
  return lines.join('\n');
}

export function cancelAskScreen(lang: Language, b: DayBooking, range: Range, facts: CardFacts): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('spec.cancel.yes', lang), callback_data: MyDay.cancelReason.encode(b.id, range) },
    { text: t('spec.cancel.no', lang), callback_data: MyDay.card.encode(b.id, range) },
  ]);
  return {
    text: `${t('spec.cancel.question', lang)}\n\n${cardText(lang, b, facts)}`,
    keyboard: kb.build(),
  };
}

/** While the reason is typed the menu offers only the way back to the card (which drops the reason). */
export function reasonScreen(lang: Language, b: DayBooking, range: Range, max: number): Screen {
  const kb = new KeyboardBuilder(lang).button(t('spec.cancel.no', lang), MyDay.card.encode(b.id, range));
  return {
    text: t('spec.cancel.type_reason', lang, {
      when: dateTime(b.startAt, b.location.timeZone, lang),
      client: b.client,
      max,
    }),
    keyboard: kb.build(),
  };
}
