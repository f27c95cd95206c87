import { languageFromAcceptLanguage } from './accept-language';

describe('languageFromAcceptLanguage', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['*', undefined],
    ['de-DE,de;q=0.9', undefined],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['RU-ru', 'ru'],
    ['de-DE,de;q=0.9,en;q=0.8', 'en'],
    ['de,ru;q=0.5,en;q=0.7', 'en'],
    ['en;q=0.3, ru', 'ru'],
    ['ru;q=0, en;q=0.1', 'en'],
    ['en;q=0', undefined],
    ['en;q=abc', undefined],
    ['uk, ru;q=0.8', 'ru'],
    ['ens', undefined],
  ])('%p -> %p', (header, expected) => {
    expect(languageFromAcceptLanguage(header)).toBe(expected);
  });
});
