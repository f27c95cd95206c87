import { LANGUAGES, type Language } from '../../booking/api';

/**
 * The language of ours the browser prefers most (`de-DE,de;q=0.9,en;q=0.8` -> en), by the header's
 * q-values; undefined when it names neither ru nor en (or is missing), so the salon's default applies.
 */
export function languageFromAcceptLanguage(header: string | undefined): Language | undefined {
  let best: { language: Language; q: number } | undefined;
  for (const part of (header ?? '').split(',').slice(0, 50)) {
    const [tag, ...params] = part.trim().split(';');
    const base = tag.trim().split('-')[0].toLowerCase();
    if (!(LANGUAGES as readonly string[]).includes(base)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!(q > 0)) continue;
    if (!best || q > best.q) best = { language: base as Language, q };
  }
  return best?.language;
}
