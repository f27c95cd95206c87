import type { Language, ServiceDto } from '../../../../booking/api';
import type { InlineKeyboardButton } from 'telegraf/types';
import { t } from '../../../i18n/i18n';
import { durationText, money } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { AdminServices } from './services.routes';

/** The durations offered as buttons: 15 minutes to 4 hours; longer ones are typed. */
export const DURATION_STEPS = Array.from({ length: 16 }, (_, i) => (i + 1) * 15);

/** Duration buttons in 15-minute steps; `data(minutes)` is each button's data, the selected one is ticked. */
export function durationButtons(
  lang: Language,
  data: (minutes: number) => string,
  selected?: number | null,
): InlineKeyboardButton[] {
  return DURATION_STEPS.map((m) => ({
    text: `${m === selected ? '✅ ' : ''}${durationText(m, lang)}`,
    callback_data: data(m),
  }));
}

const line = (s: ServiceDto, currency: string, lang: Language) =>
  `${s.active ? '' : '🚫 '}${s.name} · ${durationText(s.durationMin, lang)} · ${money(s.price, currency, lang)}`;

export function listScreen(lang: Language, paged: Paged<ServiceDto>, currency: string): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const s of paged.items) kb.button(line(s, currency, lang), AdminServices.card.encode(s.id));
  kb.paging(paged, (p) => AdminServices.list.encode(p));
  kb.button(t('adm.svc.add', lang), AdminServices.add.encode());
  kb.nav();
  return { text: t(paged.items.length ? 'adm.svc.title' : 'adm.svc.none', lang), keyboard: kb.build() };
}

export function cardScreen(lang: Language, s: ServiceDto, currency: string, notice?: string): Screen {
  const kb = new KeyboardBuilder(lang)
    .button(t('adm.svc.edit_name', lang), AdminServices.edit.encode(s.id, 'name'))
    .row([
      { text: t('adm.svc.edit_duration', lang), callback_data: AdminServices.edit.encode(s.id, 'duration') },
      { text: t('adm.svc.edit_price', lang), callback_data: AdminServices.edit.encode(s.id, 'price') },
    ])
    .button(
      t(s.active ? 'adm.svc.deactivate' : 'adm.svc.activate', lang),
      s.active ? AdminServices.deactivateAsk.encode(s.id) : AdminServices.activate.encode(s.id),
    )
    .nav(AdminServices.list.encode(0));
  const text = t('adm.svc.card', lang, {
    name: s.name,
    duration: durationText(s.durationMin, lang),
    price: money(s.price, currency, lang),
    status: t(s.active ? 'adm.common.active' : 'adm.common.inactive', lang),
  });
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
}

export function deactivateAskScreen(lang: Language, s: ServiceDto): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('adm.common.yes_deactivate', lang), callback_data: AdminServices.deactivate.encode(s.id) },
    { text: t('adm.common.no', lang), callback_data: AdminServices.card.encode(s.id) },
  ]);
  return { text: t('adm.svc.deactivate_ask', lang, { name: s.name }), keyboard: kb.build() };
}

export type ServicePrompt = 'name' | 'duration' | 'price';

/** What the scene asks next; the duration prompt carries the 15-minute steps as buttons. */
export function promptScreen(lang: Language, step: ServicePrompt, back: string): Screen {
  const kb = new KeyboardBuilder(lang);
  if (step === 'duration')
    kb.grid(
      durationButtons(lang, (m) => AdminServices.duration.encode(m)),
      4,
    );
  kb.nav(back);
  return { text: t(`adm.svc.ask_${step}`, lang), keyboard: kb.build() };
}
