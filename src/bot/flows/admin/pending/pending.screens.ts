import type { Language } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import type { AdminLine } from '../bookings/admin-desk';
import { AdminBookings } from '../bookings/bookings.routes';
import { lineText } from '../bookings/bookings.screens';
import { Pending } from './pending.routes';

/** Bookings waiting for confirmation, soonest first; each opens its card (Confirm / Decline). */
export function pendingScreen(
  lang: Language,
  lines: Paged<AdminLine>,
  total: number,
  autoConfirm: boolean,
): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const line of lines.items)
    kb.button(lineText(lang, line, true), AdminBookings.card.encode(line.id, 'pend'));
  kb.paging(lines, (p) => Pending.list.encode(p));
  kb.nav();
  const text = [total ? t('adm.pend.title', lang, { count: total }) : t('adm.pend.none', lang)];
  if (autoConfirm) text.push(t('adm.pend.auto_on', lang));
  return { text: text.join('\n\n'), keyboard: kb.build() };
}
