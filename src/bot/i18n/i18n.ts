import type { Language } from '../../booking/api/users.dto';
import { translator } from '../../infra/i18n/catalog';
import en from './locales/en.json';
import ru from './locales/ru.json';

export type TextKey = keyof typeof ru;

const CATALOGS: Record<Language, Record<TextKey, string>> = { ru, en };

/** The only way a user-facing text of the bot is produced; `{name}` placeholders are filled from params. */
export const t = translator<TextKey, Language>(CATALOGS, 'ru');

export const CATALOG_KEYS: Record<Language, string[]> = { ru: Object.keys(ru), en: Object.keys(en) };
