import type { Language, UserDto } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { dateTime } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import type { AdminLine } from '../bookings/admin-desk';
import { AdminBookings, AdminNew } from '../bookings/bookings.routes';
import { STATUS_MARK } from '../bookings/bookings.screens';
import { Clients } from './clients.routes';

const LANGUAGE_NAME: Record<Language, string> = { ru: 'Русский', en: 'English' };

/** Every client, or those the typed search found; typing again searches again. */
export function clientsScreen(lang: Language, found: Paged<UserDto>, total: number, query?: string): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const c of found.items)
    kb.button(
      `${c.blocked ? '🚫 ' : ''}${c.name} · ${c.phone ?? t('adm.bk.no_phone', lang)}`,
      Clients.card.encode(c.id),
    );
  kb.paging(found, (p) => Clients.list.encode(p));
  if (query) kb.button(t('adm.cl.show_all', lang), Clients.all.encode());
  kb.nav();
  const head = query
    ? total
      ? t('adm.cl.found', lang, { query, count: total })
      : t('adm.cl.found_none', lang, { query })
    : t('adm.cl.title', lang, { count: total });
  return { text: `${head}\n${t('adm.cl.search_hint', lang)}`, keyboard: kb.build() };
}

export interface ClientCard {
  client: UserDto;
  bookings: number;
  noShows: number;
  /** The next few live bookings, soonest first. */
  upcoming: AdminLine[];
  /** The latest bookings that started, newest first. */
  past: AdminLine[];
}

const historyLine = (lang: Language, line: AdminLine) =>
  `${STATUS_MARK[line.status]} ${dateTime(line.startAt, line.timeZone, lang)} · ${line.service} · ${line.specialist}`;

/** A client: phone, language, bookings and no-shows, what is coming and what was; book for them, block or unblock. */
export function clientCardScreen(lang: Language, card: ClientCard): Screen {
  const { client } = card;
  const text = [
    `👤 ${client.name}`,
    `📱 ${client.phone ?? t('adm.bk.no_phone', lang)}`,
    `🌐 ${LANGUAGE_NAME[client.language]} · ${t(client.tgId !== null ? 'adm.cl.telegram' : 'adm.cl.no_telegram', lang)}`,
    t('adm.cl.counts', lang, { count: card.bookings, no_shows: card.noShows }),
  ];
  if (client.blocked) text.push(t('adm.cl.blocked', lang));
  text.push('', t('adm.cl.upcoming', lang));
  text.push(
    ...(card.upcoming.length ? card.upcoming.map((l) => historyLine(lang, l)) : [t('adm.cl.none', lang)]),
  );
  text.push('', t('adm.cl.past', lang));
  text.push(...(card.past.length ? card.past.map((l) => historyLine(lang, l)) : [t('adm.cl.none', lang)]));
  const kb = new KeyboardBuilder(lang);
  for (const line of card.upcoming)
    kb.button(historyLine(lang, line), AdminBookings.card.encode(line.id, 'client'));
  if (!client.blocked) kb.button(t('adm.cl.book', lang), AdminNew.locations.encode(client.id, 0));
  kb.button(
    t(client.blocked ? 'adm.cl.unblock' : 'adm.cl.block', lang),
    client.blocked ? Clients.block.encode(client.id, 'off') : Clients.blockAsk.encode(client.id),
  );
  kb.nav(Clients.list.encode(0));
  return { text: text.join('\n'), keyboard: kb.build() };
}

/** Blocking asks first. */
export function blockAskScreen(lang: Language, client: UserDto): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('adm.cl.block_yes', lang), callback_data: Clients.block.encode(client.id, 'on') },
    { text: t('adm.cl.block_no', lang), callback_data: Clients.card.encode(client.id) },
  ]);
  return { text: t('adm.cl.block_question', lang, { name: client.name }), keyboard: kb.build() };
}
