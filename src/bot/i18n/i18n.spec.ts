import { AREAS, t } from './i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('bot catalogs', () => {
  const areas = Object.keys(AREAS.ru) as (keyof typeof AREAS.ru)[];

  it.each(areas)('%s: the same keys in ru and en', (area) => {
    expect(Object.keys(AREAS.en[area]).sort()).toEqual(Object.keys(AREAS.ru[area]).sort());
  });

  it.each(areas)('%s: the same {placeholders} in ru and en for every key', (area) => {
    const ru = AREAS.ru[area] as Record<string, string>;
    const en = AREAS.en[area] as Record<string, string>;
    const differing = Object.keys(ru).filter(
      (key) => placeholders(ru[key]).join() !== placeholders(en[key] ?? '').join(),
    );
    expect(differing).toEqual([]);
  });

  it('no key is defined in two areas (one would silently win)', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const area of areas)
      for (const key of Object.keys(AREAS.ru[area])) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${area})`);
        seen.set(key, area);
      }
    expect(twice).toEqual([]);
  });

  it.each([
    ['ru', 'Слишком много запросов. Подождите 5 с и попробуйте снова.'],
    ['en', 'Too many requests. Please wait 5 s and try again.'],
  ] as const)('fills placeholders in %s', (lang, expected) => {
    expect(t('rate_limited', lang, { seconds: 5 })).toBe(expected);
  });

  it('leaves an unknown placeholder visible instead of inventing a value', () => {
    expect(t('rate_limited', 'en')).toContain('{seconds}');
  });
});
