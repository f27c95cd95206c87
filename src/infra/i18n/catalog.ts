/** A template split at its placeholders once: even parts are text, odd parts placeholder names. */
type Compiled = string[];

export type Translate<K extends string, L extends string> = (
  key: K,
  lang: L,
  params?: Record<string, string | number>,
) => string;

/**
 * `t(key, lang, params)` over catalogs of the same keys per language; `{name}` placeholders are
 * filled from params, an unknown one is left visible. A missing language falls back to `fallback`.
 */
export function translator<K extends string, L extends string>(
  catalogs: Record<L, Record<K, string>>,
  fallback: L,
): Translate<K, L> {
  const compiled = new Map<string, Compiled>();
  const compile = (template: string): Compiled => {
    let parts = compiled.get(template);
    if (!parts) {
      parts = template.split(/\{(\w+)\}/);
      compiled.set(template, parts);
    }
    return parts;
  };
  return (key, lang, params = {}) => {
    const parts = compile(catalogs[lang]?.[key] ?? catalogs[fallback][key]);
    if (parts.length === 1) return parts[0];
    let text = parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i];
      text += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1];
    }
    return text;
  };
}
