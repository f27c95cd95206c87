import type { Language } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { KeyboardBuilder } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { Queues } from './queues.routes';

export function queuesScreen(lang: Language): Screen {
  const kb = new KeyboardBuilder(lang).button(t('adm.que.get_link', lang), Queues.link.encode()).nav();
  return { text: t('adm.que.title', lang), keyboard: kb.build() };
}

/** The link's own message: its address and until when it works (it opens the dashboard once). */
export function linkText(lang: Language, url: string, until: string): string {
  return t('adm.que.link', lang, { url, until });
}
