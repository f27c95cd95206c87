/** What notifications say, as pure functions of the facts (no lookups, no clock): template, placeholders, dates, ads, buttons. */
import type { InitiatorRole } from '../../booking/api';
import type { Language } from '../../booking/api/users.dto';
import { NotificationButtons } from '../../bot/api';
import { translator } from '../../infra/i18n/catalog';
import type { RecipientRole } from '../api/notification-settings.dto';
import en from './locales/en.json';
import ru from './locales/ru.json';
import type { DeliverJob } from './notification-queues';
import type { NotifyingEvent } from './recipients';

export type TextKey = keyof typeof ru;
const t = translator<TextKey, Language>({ ru, en }, 'ru');

export const NOTIFICATION_TEXT_KEYS: Record<Language, string[]> = {
  ru: Object.keys(ru),
  en: Object.keys(en),
};

const LOCALES: Record<Language, string> = { ru: 'ru-RU', en: 'en-GB' };

/** What a booking's message names, whoever reads it. */
export interface MessageFacts {
  client: string;
  specialist: string;
  service: string;
  location: string;
  /** The location's IANA zone: times are said as its clocks show them. */
  timeZone: string;
  startAt: string;
}

/** One booking event as a message reads it. */
export interface MessageEvent {
  type: NotifyingEvent;
  initiator: InitiatorRole;
  /** booking_rescheduled: the start before the move. */
  previousStartAt?: string;
  /** booking_cancelled: why, as the canceller typed it. */
  reason?: string | null;
}

/**
 * The template for one reader: staff (specialist, admin) read who the client is; a client reads
 * "your booking", and a new booking says whether they made it themselves or someone booked them.
 */
export function templateKey(type: NotifyingEvent, role: RecipientRole, initiator: InitiatorRole): TextKey {
  const audience = role === 'client' ? 'client' : 'staff';
  switch (type) {
    case 'booking_done':
      return 'booking_done.staff';
    case 'booking_reminder':
      return 'booking_reminder.client';
    case 'booking_confirmed':
      return 'booking_confirmed.client';
    case 'booking_created':
      if (audience === 'staff') return 'booking_created.staff';
      return initiator === 'client' ? 'booking_created.client.own' : 'booking_created.client.for_you';
    case 'booking_cancelled':
    case 'booking_rescheduled':
      return `${type}.${audience}`;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as the location's clocks show it, in the reader's language: "Sun 30 March at 03:30", "вс, 30 марта в 03:30". */
export function formatWhen(iso: string, lang: Language, timeZone: string): string {
  const key = `${lang} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(key, format);
  }
  return format.format(new Date(iso));
}

/** The message one reader gets about one booking event, in their language. */
export function bookingText(
  event: MessageEvent,
  role: RecipientRole,
  lang: Language,
  facts: MessageFacts,
): string {
  const text = t(templateKey(event.type, role, event.initiator), lang, {
    client: facts.client,
    specialist: facts.specialist,
    service: facts.service,
    location: facts.location,
    when: formatWhen(facts.startAt, lang, facts.timeZone),
    previous: event.previousStartAt ? formatWhen(event.previousStartAt, lang, facts.timeZone) : '',
  });
  const reason = event.type === 'booking_cancelled' ? event.reason?.trim() : undefined;
  return reason ? `${text}\n${t('reason', lang, { reason })}` : text;
}

/** The title of a Web Push notification. */
export const pushTitle = (lang: Language): string => t('push.title', lang);

/** The setting's ad under the text, in the reader's language, when the ad is active and has a text in it. */
export function withAd(
  text: string,
  ad: { active: boolean; textEn: string; textRu: string } | undefined,
  lang: Language,
): string {
  const adText = ad?.active ? (lang === 'en' ? ad.textEn : ad.textRu) : '';
  return adText ? `${text}\n\n${adText}` : text;
}

/**
 * Buttons the bot answers from the notification itself (its codecs in bot/api): the completion card's
 * Yes (done) / No (no-show), and the reminder's I'll come / Reschedule / Cancel; no other event has any.
 */
export function notificationButtons(
  type: NotifyingEvent,
  bookingId: number,
  lang: Language,
): DeliverJob['buttons'] {
  if (type === 'booking_done') {
    const answer = NotificationButtons.completion;
    return [
      [
        { text: t('booking_done.yes', lang), data: answer.encode(bookingId, 'done') },
        { text: t('booking_done.no', lang), data: answer.encode(bookingId, 'no_show') },
      ],
    ];
  }
  if (type === 'booking_reminder') {
    const choice = NotificationButtons.reminder;
    return [
      [{ text: t('booking_reminder.come', lang), data: choice.encode(bookingId, 'come') }],
      [
        { text: t('booking_reminder.move', lang), data: choice.encode(bookingId, 'move') },
        { text: t('booking_reminder.cancel', lang), data: choice.encode(bookingId, 'cancel') },
      ],
    ];
  }
  return undefined;
}
