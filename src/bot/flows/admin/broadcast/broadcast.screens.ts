import type { Language } from '../../../../booking/api';
import { BroadcastProgressDto, RECIPIENT_ROLES, RecipientRole } from '../../../../notifications/api';
import { t } from '../../../i18n/i18n';
import { KeyboardBuilder } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { roleLabel } from '../notifications/notifications.screens';
import { Broadcast } from './broadcast.routes';

export const CLIENTS_ONLY = 1;
export const BROADCAST_TEXT_MAX = 3500;

export const rolesOf = (mask: number): RecipientRole[] => RECIPIENT_ROLES.filter((_, i) => mask & (1 << i));

export function startScreen(lang: Language): Screen {
  return {
    text: t('adm.bc.type_text', lang, { max: BROADCAST_TEXT_MAX }),
    keyboard: new KeyboardBuilder(lang).nav().build(),
  };
}

/** The draft: its text, the roles it goes to (toggles), Preview and Send. */
export function composeScreen(lang: Language, text: string, mask: number): Screen {
  const kb = new KeyboardBuilder(lang).row(
    RECIPIENT_ROLES.map((role, i) => ({
      text: `${mask & (1 << i) ? '✅' : '⬜'} ${roleLabel(role, lang)}`,
      callback_data: Broadcast.role.encode(mask, i),
    })),
  );
  kb.row([
    { text: t('adm.bc.preview', lang), callback_data: Broadcast.preview.encode(mask) },
    { text: t('adm.bc.edit_text', lang), callback_data: Broadcast.start.encode() },
  ]);
  if (mask) kb.button(t('adm.bc.send', lang), Broadcast.sendAsk.encode(mask));
  const roles =
    rolesOf(mask)
      .map((r) => roleLabel(r, lang))
      .join(', ') || t('adm.bc.no_roles', lang);
  return { text: t('adm.bc.compose', lang, { text, roles }), keyboard: kb.nav().build() };
}

export function sendAskScreen(lang: Language, mask: number): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('adm.bc.send_yes', lang), callback_data: Broadcast.send.encode(mask) },
    { text: t('adm.bc.send_no', lang), callback_data: Broadcast.card.encode(mask) },
  ]);
  const roles = rolesOf(mask)
    .map((r) => roleLabel(r, lang))
    .join(', ');
  return { text: t('adm.bc.send_ask', lang, { roles }), keyboard: kb.build() };
}

export function sentScreen(lang: Language): Screen {
  return { text: t('adm.bc.sent_title', lang), keyboard: new KeyboardBuilder(lang).nav().build() };
}

/** The one progress message, edited in place: queued, sent, failed, until done. */
export function progressText(
  lang: Language,
  p: Pick<BroadcastProgressDto, 'total' | 'sent' | 'failed' | 'queued' | 'done'>,
): string {
  if (p.total === null) return t('adm.bc.progress_finding', lang);
  const counts = { total: p.total, sent: p.sent, failed: p.failed, queued: p.queued };
  return t(p.done ? 'adm.bc.progress_done' : 'adm.bc.progress', lang, counts);
}
