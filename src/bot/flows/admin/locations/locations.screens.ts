import type { Language, LocationDto } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { COMMON_ZONES } from '../setup-input';
import { AdminLocations } from './locations.routes';

const mark = (l: LocationDto) => (l.active ? '' : '🚫 ');

export function listScreen(lang: Language, paged: Paged<LocationDto>, notice?: string): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const l of paged.items)
    kb.button(`${mark(l)}${l.name} · ${l.timeZone}`, AdminLocations.card.encode(l.id));
  kb.paging(paged, (p) => AdminLocations.list.encode(p));
  kb.button(t('adm.loc.add', lang), AdminLocations.add.encode());
  kb.nav();
  const text = t(paged.items.length ? 'adm.loc.title' : 'adm.loc.none', lang);
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
}

export function cardScreen(lang: Language, l: LocationDto, notice?: string): Screen {
  const kb = new KeyboardBuilder(lang)
    .row([
      { text: t('adm.loc.edit_name', lang), callback_data: AdminLocations.edit.encode(l.id, 'name') },
      { text: t('adm.loc.edit_address', lang), callback_data: AdminLocations.edit.encode(l.id, 'address') },
    ])
    .button(t('adm.loc.edit_zone', lang), AdminLocations.edit.encode(l.id, 'zone'))
    .button(
      t(l.active ? 'adm.loc.deactivate' : 'adm.loc.activate', lang),
      l.active ? AdminLocations.deactivateAsk.encode(l.id) : AdminLocations.activate.encode(l.id),
    )
    .nav(AdminLocations.list.encode(0));
  const text = t('adm.loc.card', lang, {
    name: l.name,
    address: l.address || '—',
    zone: l.timeZone,
    status: t(l.active ? 'adm.common.active' : 'adm.common.inactive', lang),
  });
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
}

export function deactivateAskScreen(lang: Language, l: LocationDto): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('adm.common.yes_deactivate', lang), callback_data: AdminLocations.deactivate.encode(l.id) },
    { text: t('adm.common.no', lang), callback_data: AdminLocations.card.encode(l.id) },
  ]);
  return { text: t('adm.loc.deactivate_ask', lang, { name: l.name }), keyboard: kb.build() };
}

export type LocationPrompt = 'name' | 'address' | 'zone';

/** What the scene asks next; the zone prompt carries the common zones as buttons. */
export function promptScreen(lang: Language, step: LocationPrompt, back: string): Screen {
  const kb = new KeyboardBuilder(lang);
  if (step === 'zone')
    kb.grid(
      COMMON_ZONES.map((zone, i) => ({ text: zone, callback_data: AdminLocations.zone.encode(i) })),
      2,
    );
  kb.nav(back);
  return { text: t(`adm.loc.ask_${step}`, lang), keyboard: kb.build() };
}
