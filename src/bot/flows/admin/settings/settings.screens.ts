import { Language, LANGUAGES, SettingsDto } from '../../../../booking/api';
import { t, TextKey } from '../../../i18n/i18n';
import { durationText } from '../../../ui/format';
import { KeyboardBuilder } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { HORIZON_MAX_DAYS } from './settings-input';
import { SalonSettings, TypedField } from './settings.routes';

export const LANGUAGE_NAMES: Record<Language, string> = { ru: 'Русский', en: 'English' };
/** Offered as buttons; any other ISO code can be typed. */
export const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'RUB', 'CHF', 'PLN'] as const;

const span = (minutes: number, lang: Language) =>
  minutes === 0 ? t('adm.set.none', lang) : durationText(minutes, lang);

/** The salon's booking rules, each with the button that changes it. */
export function settingsScreen(lang: Language, s: SettingsDto, notice?: string): Screen {
  const onOff = t(s.autoConfirm ? 'adm.set.on' : 'adm.set.off', lang);
  const text = t('adm.set.card', lang, {
    notice: span(s.minNoticeMin, lang),
    horizon: String(s.horizonDays),
    cutoff: span(s.cancellationCutoffMin, lang),
    auto: onOff,
    currency: s.currency,
    language: LANGUAGE_NAMES[s.defaultLanguage],
  });
  const kb = new KeyboardBuilder(lang)
    .row([
      { text: t('adm.set.edit_notice', lang), callback_data: SalonSettings.edit.encode('notice') },
      { text: t('adm.set.edit_horizon', lang), callback_data: SalonSettings.edit.encode('horizon') },
    ])
    .row([
      { text: t('adm.set.edit_cutoff', lang), callback_data: SalonSettings.edit.encode('cutoff') },
      {
        text: t('adm.set.edit_auto', lang, { auto: onOff }),
        callback_data: SalonSettings.autoConfirm.encode(),
      },
    ])
    .row([
      { text: t('adm.set.edit_currency', lang), callback_data: SalonSettings.edit.encode('currency') },
      { text: t('adm.set.edit_language', lang), callback_data: SalonSettings.languages.encode() },
    ])
    .nav();
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
}

const PROMPT: Record<TypedField, TextKey> = {
  notice: 'adm.set.type_notice',
  horizon: 'adm.set.type_horizon',
  cutoff: 'adm.set.type_cutoff',
  currency: 'adm.set.type_currency',
};

/** What to type for a field, with its value now; the currency also offers the common ones as buttons. */
export function promptScreen(lang: Language, field: TypedField, s: SettingsDto): Screen {
  const now: Record<TypedField, string> = {
    notice: span(s.minNoticeMin, lang),
    horizon: String(s.horizonDays),
    cutoff: span(s.cancellationCutoffMin, lang),
    currency: s.currency,
  };
  const kb = new KeyboardBuilder(lang);
  if (field === 'currency') {
    kb.grid(
      COMMON_CURRENCIES.map((code) => ({
        text: code === s.currency ? `✓ ${code}` : code,
        callback_data: SalonSettings.currency.encode(code.toLowerCase()),
      })),
      3,
    );
  }
  kb.nav(SalonSettings.show.encode());
  return { text: t(PROMPT[field], lang, { now: now[field], days: HORIZON_MAX_DAYS }), keyboard: kb.build() };
}

export function languagesScreen(lang: Language, s: SettingsDto): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const option of LANGUAGES)
    kb.button(
      `${option === s.defaultLanguage ? '✓ ' : ''}${LANGUAGE_NAMES[option]}`,
      SalonSettings.language.encode(option),
    );
  kb.nav(SalonSettings.show.encode());
  return { text: t('adm.set.choose_language', lang), keyboard: kb.build() };
}
