import type { Language } from '../../booking/api/users.dto';
import en from './locales/en.json';
import ru from './locales/ru.json';

export type TextKey = keyof typeof ru;

const CATALOGS: Record<Language, Record<TextKey, string>> = { ru, en };

/** The only way a user-facing text is produced; `{name}` placeholders are filled from params. */
export function t(key: TextKey, lang: Language, params: Record<string, string | number> = {}): string {
  const template = CATALOGS[lang]?.[key] ?? CATALOGS.ru[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const CATALOG_KEYS: Record<Language, string[]> = { ru: Object.keys(ru), en: Object.keys(en) };
