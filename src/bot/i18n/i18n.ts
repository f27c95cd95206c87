import type { Language } from '../../booking/api/users.dto';
import { translator } from '../../infra/i18n/catalog';
import enAdmin from './locales/en/admin.json';
import enClient from './locales/en/client.json';
import enCommon from './locales/en/common.json';
import enSpecialist from './locales/en/specialist.json';
import ruAdmin from './locales/ru/admin.json';
import ruClient from './locales/ru/client.json';
import ruCommon from './locales/ru/common.json';
import ruSpecialist from './locales/ru/specialist.json';

/** The catalogs per role area; a key is unique across areas (its prefix names the screen). */
export const AREAS = {
  ru: { common: ruCommon, client: ruClient, specialist: ruSpecialist, admin: ruAdmin },
  en: { common: enCommon, client: enClient, specialist: enSpecialist, admin: enAdmin },
} as const;

export type TextKey =
  keyof typeof ruCommon | keyof typeof ruClient | keyof typeof ruSpecialist | keyof typeof ruAdmin;

const merge = (areas: Record<string, Record<string, string>>) =>
  Object.assign({}, ...Object.values(areas)) as Record<TextKey, string>;

const CATALOGS: Record<Language, Record<TextKey, string>> = { ru: merge(AREAS.ru), en: merge(AREAS.en) };

/** The only way a user-facing text of the bot is produced; `{name}` placeholders are filled from params. */
export const t = translator<TextKey, Language>(CATALOGS, 'ru');

/** Every text of a key in every language: the reply keyboard's buttons come back as plain text in either. */
export function textsOf(key: TextKey): string[] {
  return [CATALOGS.ru[key], CATALOGS.en[key]];
}
