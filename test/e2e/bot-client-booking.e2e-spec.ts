import { DataSource } from 'typeorm';
import { BookingsApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { BotChat } from '../support/bot-chat';
import { botSuite } from '../support/bot-suite';
import { until } from '../support/until';
import { sql } from '../support/test-database';

const LABELS = {
  en: {
    language: 'English',
    skip: 'Skip',
    book: '📅 Book',
    haircut: 'Haircut',
    any: 'Any specialist',
    confirm: 'Confirm',
    booked: '✅ Booked! See you then.',
    check: 'Please check your booking:',
    myBookings: 'My bookings',
  },
  ru: {
    language: 'Русский',
    skip: 'Пропустить',
    book: '📅 Записаться',
    haircut: 'Haircut',
    any: 'Любой специалист',
    confirm: 'Подтвердить',
    booked: '✅ Вы записаны! Ждём вас.',
    check: 'Проверьте запись:',
    myBookings: 'Мои записи',
  },
} as const;

/** Presses the first day of the calendar that has free times (a numbered button), then the first time. */
async function firstDayAndTime(chat: BotChat): Promise<void> {
  await chat.press(/^\d{1,2}$/);
  await chat.press(/^\d\d:\d\d$/);
}

describe('the bot: a client books in Telegram', () => {
  const bot = botSuite('bot-client-booking', { salon: true });

  it('registers the commands per language at start', async () => {
    await until(() => expect(bot.fake.callsOf('setMyCommands')).toHaveLength(3));
    const byLanguage = Object.fromEntries(
      bot.fake.callsOf('setMyCommands').map((c) => [c.params.language_code ?? 'default', c.params.commands]),
    );
    expect(byLanguage.en).toContainEqual({ command: 'book', description: 'Book a visit' });
    expect(byLanguage.ru).toContainEqual({ command: 'book', description: 'Записаться' });
    expect(byLanguage.default).toEqual(byLanguage.ru);
  });

  it.each(['en', 'ru'] as const)(
    'a new user (%s) chooses the language, skips the phone, books a haircut; staff are notified',
    async (lang) => {
      const L = LABELS[lang];
      const user = bot.chat({ languageCode: lang === 'en' ? 'en-US' : 'ru' });
      await user.send('/start');
      expect(user.lastText()).toBe(
        lang === 'en' ? 'Hello, Anna! Please choose your language:' : 'Здравствуйте, Anna! Выберите язык:',
      );
      await user.press(L.language);
      expect(user.replyKeyboard()).toEqual([
        lang === 'en' ? '📱 Share my phone' : '📱 Поделиться телефоном',
        L.skip,
      ]);
      await user.send(L.skip);
      expect(user.replyKeyboard()).toEqual(
        lang === 'en'
          ? ['📅 Book', '🗓 My bookings', '👤 Profile', '❓ Help']
          : ['📅 Записаться', '🗓 Мои записи', '👤 Профиль', '❓ Помощь'],
      );

      await user.send(L.book);
      const servicesMenu = user.current();
      expect(servicesMenu.text).toBe(
        lang === 'en' ? 'Salon Mitte: choose a service.' : 'Salon Mitte: выберите услугу.',
      );
      expect(user.buttons()).toContain(
        lang === 'en' ? 'Haircut · 1 h · €35.00' : 'Haircut · 1 ч · 35,00\u00a0€',
      );
      await user.press(L.haircut);
      expect(user.buttons().slice(0, 3)).toEqual([`✨ ${L.any}`, 'Anna', 'Boris']);
      await user.press('Anna');
      // Navigation edits the one menu in place.
      expect(user.current().id).toBe(servicesMenu.id);
      await firstDayAndTime(user);
      const card = user.current().text;
      expect(card).toContain(L.check);
      expect(card).toContain(lang === 'en' ? '💳 €35.00' : '💳 35,00\u00a0€');
      expect(card).toContain('📍 Salon Mitte, Torstr. 1');
      const toast = await user.press(L.confirm);
      expect(toast).toBe(L.booked);
      expect(user.current().text).toMatch(new RegExp(`^${L.booked}`));
      expect(user.buttons()).toContain(`🗓 ${L.myBookings}`);

      const { items } = await bot.app
        .get(BookingsApi)
        .list(SYSTEM_ACTOR, { specialistId: bot.salon.anna.id, limit: 200 });
      const mine = items.filter((b) => b.createdByRole === 'client' && b.createdByUserId !== null);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      const booking = mine[mine.length - 1];
      expect(booking).toMatchObject({ status: 'confirmed', serviceId: bot.salon.haircutId, price: 3500 });
      const [{ tg_id }] = await sql(bot.app.get(DataSource), 'SELECT tg_id FROM users WHERE id = ?', [
        booking.clientId,
      ]);
      expect(Number(tg_id)).toBe(user.userId);

      // The specialist and the admin hear of it through the notification queue.
      await until(
        () => expect(bot.fake.textsTo(bot.salon.anna.tgId).some((x) => x.includes('Haircut'))).toBe(true),
        10000,
      );
      await until(
        () => expect(bot.fake.textsTo(bot.salon.admin.tgId).some((x) => x.includes('Haircut'))).toBe(true),
        10000,
      );
    },
  );

  it('"any specialist" books whoever is free and says who', async () => {
    const user = bot.chat({ languageCode: 'en' });
    await user.send('/start');
    await user.press('English');
    await user.send('Skip');
    await user.send('📅 Book');
    await user.press('Haircut');
    await user.press('Any specialist');
    expect(user.current().text).toContain('Haircut · ✨ Any specialist');
    await firstDayAndTime(user);
    expect(user.current().text).toMatch(/💇 (Anna|Boris)/);
    expect(await user.press('Confirm')).toBe('✅ Booked! See you then.');
  });
});
