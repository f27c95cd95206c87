import type { Language } from '../../booking/api';

/** The message carrying a code; the bot's catalogs belong to BotModule, so the gateway keeps this one text. */
const TEMPLATES: Record<Language, (code: string, minutes: number) => string> = {
  ru: (code, minutes) => `Код для входа: ${code}. Действует ${minutes} мин. Никому не сообщайте этот код.`,
  en: (code, minutes) =>
    `Your login code: ${code}. It is valid for ${minutes} min. Do not share it with anyone.`,
};

export function otpText(language: Language, code: string, ttlSeconds: number): string {
  const template = TEMPLATES[language] ?? TEMPLATES.ru;
  return template(code, Math.max(1, Math.ceil(ttlSeconds / 60)));
}

/** `+491701234567` -> `+49*******4567`: enough to correlate log lines, not to read the number. */
export function maskPhone(phone: string): string {
  return phone.length <= 7
    ? phone.replace(/\d/g, '*')
    : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}
