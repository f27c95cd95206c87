import type { Language } from '../../booking/api/users.dto';
import en from './locales/en.json';
import ru from './locales/ru.json';

export type TextKey = keyof typeof ru;

const CATALOGS: Record<Language, Record<TextKey, string>> = { ru, en };

/** A template split at its placeholders once: even parts are text, odd parts placeholder names. */
type Compiled = string[];
const compiled = new Map<string, Compiled>();

function compile(template: string): Compiled {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  return parts;
}

/** The only way a user-facing text is produced; `{name}` placeholders are filled from params. */
export function t(key: TextKey, lang: Language, params: Record<string, string | number> = {}): string {
  const parts = compile(CATALOGS[lang]?.[key] ?? CATALOGS.ru[key]);
  if (parts.length === 1) return parts[0];
  let text = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    text += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1];
  }
  return text;
}

export const CATALOG_KEYS: Record<Language, string[]> = { ru: Object.keys(ru), en: Object.keys(en) };
