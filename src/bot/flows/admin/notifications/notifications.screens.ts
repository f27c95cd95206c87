import type { AdTemplateDto, NotificationEventType, RecipientRole } from '../../../../notifications/api';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_EVENT_TYPES,
  RECIPIENT_ROLES,
} from '../../../../notifications/api';
import type { Language } from '../../../../booking/api';
import { t, TextKey } from '../../../i18n/i18n';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { Notifications } from './notifications.routes';

/** One cell of the matrix: sent or not, and the ad appended (its name), as stored or by default (on, no ad). */
export interface Cell {
  enabled: boolean;
  adTemplateId: number | null;
  adName: string | null;
}

export const eventLabel = (event: NotificationEventType, lang: Language) =>
  t(`adm.ntf.event.${event}` as TextKey, lang);
export const roleLabel = (role: RecipientRole, lang: Language) => t(`adm.ntf.role.${role}` as TextKey, lang);
const channelLabel = (channel: string, lang: Language) => t(`adm.ntf.channel.${channel}` as TextKey, lang);

export function eventsScreen(lang: Language): Screen {
  const kb = new KeyboardBuilder(lang);
  NOTIFICATION_EVENT_TYPES.forEach((event, i) =>
    kb.button(eventLabel(event, lang), Notifications.matrix.encode(i)),
  );
  return { text: t('adm.ntf.title', lang), keyboard: kb.nav().build() };
}

/** An event's matrix: a toggle per role x channel showing its state, and the ad attached to each. */
export function matrixScreen(lang: Language, event: number, cells: Cell[][]): Screen {
  const kb = new KeyboardBuilder(lang);
  const lines = [
    t('adm.ntf.matrix_title', lang, { event: eventLabel(NOTIFICATION_EVENT_TYPES[event], lang) }),
    '',
  ];
  RECIPIENT_ROLES.forEach((role, r) =>
    NOTIFICATION_CHANNELS.forEach((channel, c) => {
      const cell = cells[r][c];
      const name = `${roleLabel(role, lang)} · ${channelLabel(channel, lang)}`;
      const ad = cell.adName ?? t('adm.ntf.no_ad', lang);
      lines.push(`${cell.enabled ? '✅' : '⬜'} ${name} — ${t('adm.ntf.ad', lang, { ad })}`);
      kb.row([
        {
          text: `${cell.enabled ? '✅' : '⬜'} ${name}`,
          callback_data: Notifications.toggle.encode(event, r, c),
        },
        { text: `📎 ${ad}`, callback_data: Notifications.ads.encode(event, r, c, 0) },
      ]);
    }),
  );
  lines.push('', t('adm.ntf.hint', lang));
  return { text: lines.join('\n'), keyboard: kb.nav(Notifications.events.encode()).build() };
}

/** The ad to append to one cell: the active templates, or none. */
export function adChoiceScreen(
  lang: Language,
  at: [number, number, number],
  current: number | null,
  ads: Paged<AdTemplateDto>,
): Screen {
  const [e, r, c] = at;
  const mark = (on: boolean) => (on ? '✓ ' : '');
  const kb = new KeyboardBuilder(lang).button(
    `${mark(current === null)}${t('adm.ntf.no_ad', lang)}`,
    Notifications.setAd.encode(e, r, c, 0),
  );
  for (const ad of ads.items)
    kb.button(`${mark(current === ad.id)}${ad.name}`, Notifications.setAd.encode(e, r, c, ad.id));
  kb.paging(ads, (page) => Notifications.ads.encode(e, r, c, page));
  const text = t('adm.ntf.choose_ad', lang, {
    event: eventLabel(NOTIFICATION_EVENT_TYPES[e], lang),
    role: roleLabel(RECIPIENT_ROLES[r], lang),
    channel: channelLabel(NOTIFICATION_CHANNELS[c], lang),
  });
  return { text, keyboard: kb.nav(Notifications.matrix.encode(e)).build() };
}
