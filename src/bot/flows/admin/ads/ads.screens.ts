import type { Language } from '../../../../booking/api';
import type { AdTemplateDto } from '../../../../notifications/api';
import { t } from '../../../i18n/i18n';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { Ads } from './ads.routes';

export const AD_NAME_MAX = 120;
export const AD_TEXT_MAX = 1000;
export type AdField = 'name' | 'ru' | 'en';
export const AD_FIELDS: readonly AdField[] = ['name', 'ru', 'en'];

export function listScreen(lang: Language, ads: Paged<AdTemplateDto>): Screen {
  const kb = new KeyboardBuilder(lang).button(t('adm.ads.add', lang), Ads.add.encode());
  for (const ad of ads.items) kb.button(`${ad.active ? '📎' : '🚫'} ${ad.name}`, Ads.card.encode(ad.id));
  kb.paging(ads, (page) => Ads.list.encode(page)).nav();
  const text = ads.items.length ? t('adm.ads.title', lang) : t('adm.ads.empty', lang);
  return { text, keyboard: kb.build() };
}

export function cardScreen(lang: Language, ad: AdTemplateDto, notice?: string): Screen {
  const text = t('adm.ads.card', lang, {
    name: ad.name,
    ru: ad.textRu,
    en: ad.textEn,
    status: t(ad.active ? 'adm.ads.active' : 'adm.ads.inactive', lang),
  });
  const kb = new KeyboardBuilder(lang)
    .row([
      { text: t('adm.ads.preview_ru', lang), callback_data: Ads.preview.encode(ad.id, 'ru') },
      { text: t('adm.ads.preview_en', lang), callback_data: Ads.preview.encode(ad.id, 'en') },
    ])
    .row(
      AD_FIELDS.map((field) => ({
        text: t(`adm.ads.edit_${field}`, lang),
        callback_data: Ads.edit.encode(ad.id, field),
      })),
    );
  if (ad.active) kb.button(t('adm.ads.deactivate', lang), Ads.deactivateAsk.encode(ad.id));
  else kb.button(t('adm.ads.activate', lang), Ads.activate.encode(ad.id));
  kb.nav(Ads.list.encode(0));
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
}

export function deactivateAskScreen(lang: Language, ad: AdTemplateDto): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('adm.ads.deactivate_yes', lang), callback_data: Ads.deactivate.encode(ad.id) },
    { text: t('adm.ads.deactivate_no', lang), callback_data: Ads.card.encode(ad.id) },
  ]);
  return { text: t('adm.ads.deactivate_ask', lang, { name: ad.name }), keyboard: kb.build() };
}

/** What a recipient reading in `reader` sees: a sample notification with the ad below it. */
export function previewText(lang: Language, reader: Language, ad: AdTemplateDto): string {
  const sample = t('adm.ads.sample', reader);
  return `${t('adm.ads.preview_title', lang)}\n\n${sample}\n\n${reader === 'en' ? ad.textEn : ad.textRu}`;
}

/** A typed value for a field, or the key of the reason it is refused. */
export function checkAdInput(
  field: AdField,
  text: string,
): { value: string } | { error: 'adm.ads.name_invalid' | 'adm.ads.text_invalid'; max: number } {
  const value = text.trim();
  const max = field === 'name' ? AD_NAME_MAX : AD_TEXT_MAX;
  if (!value || value.length > max)
    return { error: field === 'name' ? 'adm.ads.name_invalid' : 'adm.ads.text_invalid', max };
  return { value };
}
