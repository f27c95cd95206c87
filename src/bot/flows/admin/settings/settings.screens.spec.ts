import type { SettingsDto } from '../../../../booking/api';
import { languagesScreen, promptScreen, settingsScreen } from './settings.screens';

const settings: SettingsDto = {
  minNoticeMin: 90,
  horizonDays: 30,
  cancellationCutoffMin: 0,
  autoConfirm: false,
  defaultLanguage: 'en',
  currency: 'USD',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const labels = (s: { keyboard: { text: string }[][] }) => s.keyboard.flat().map((b) => b.text);

describe('settings screens', () => {
  it.each([
    [
      'en',
      '⚙️ Business settings\n\n⏱ Minimum notice: 1 h 30 min\n📆 Booking horizon, days ahead: 30\n⏳ Cancellation cutoff: none\n✅ Auto-confirm: off\n💱 Currency: USD\n🌐 Default language: English',
    ],
    [
      'ru',
      '⚙️ Настройки записи\n\n⏱ Минимум до начала: 1 ч 30 мин\n📆 Запись вперёд, дней: 30\n⏳ Отмена клиентом не позже чем за: без ограничения\n✅ Автоподтверждение: выкл.\n💱 Валюта: USD\n🌐 Язык по умолчанию: English',
    ],
  ] as const)('the card in %s', (lang, text) => {
    expect(settingsScreen(lang, settings).text).toBe(text);
  });

  it('has a button per setting, the toggle showing its state', () => {
    expect(labels(settingsScreen('en', settings, 'Saved.'))).toEqual([
      '⏱ Notice',
      '📆 Horizon',
      '⏳ Cutoff',
      '✅ Auto-confirm: off',
      '💱 Currency',
      '🌐 Language',
      '🏠 Home',
    ]);
  });

  it.each([
    ['notice', /Now: 1 h 30 min\./, ['⬅️ Back', '🏠 Home']],
    ['horizon', /Now: 30\.\nType a number of days from 1 to 365/, ['⬅️ Back', '🏠 Home']],
    ['cutoff', /Now: none\./, ['⬅️ Back', '🏠 Home']],
    ['currency', /Now: USD\./, ['EUR', '✓ USD', 'GBP', 'RUB', 'CHF', 'PLN', '⬅️ Back', '🏠 Home']],
  ] as const)('the %s prompt says the value now and offers %j', (field, text, buttons) => {
    const screen = promptScreen('en', field, settings);
    expect(screen.text).toMatch(text);
    expect(labels(screen)).toEqual(buttons);
  });

  it('marks the default language', () => {
    expect(labels(languagesScreen('ru', settings))).toEqual([
      'Русский',
      '✓ English',
      '⬅️ Назад',
      '🏠 Главное меню',
    ]);
  });
});
