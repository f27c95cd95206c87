import { CATALOG_KEYS, t } from './i18n';

describe('t(key, lang)', () => {
  it('has every key in both catalogs', () => {
    expect([...CATALOG_KEYS.en].sort()).toEqual([...CATALOG_KEYS.ru].sort());
  });

  it.each([
    ['ru', 'Здравствуйте, Anna! Ваша роль: клиент.'],
    ['en', 'Hello, Anna! Your role: client.'],
  ] as const)('fills placeholders in %s', (lang, expected) => {
    expect(t('start.greeting', lang, { name: 'Anna', role: t('role.client', lang) })).toBe(expected);
  });

  it('leaves an unknown placeholder visible instead of inventing a value', () => {
    expect(t('rate_limited', 'en')).toContain('{seconds}');
  });
});
