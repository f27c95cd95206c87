import { SettingsApi, SpecialistsApi, UsersApi } from '../../src/booking/api';
import { Roles } from '../../src/bot/flows/admin/roles/roles.routes';
import { SalonSettings } from '../../src/bot/flows/admin/settings/settings.routes';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { BotChat } from '../support/bot-chat';
import { botSuite } from '../support/bot-suite';
import { botRefusals } from '../support/catalog';
import { newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';

const DEFAULTS = {
  minNoticeMin: 60,
  horizonDays: 60,
  cancellationCutoffMin: 120,
  autoConfirm: true,
  defaultLanguage: 'ru' as const,
  currency: 'EUR',
};

describe('the bot: an admin manages roles and business settings', () => {
  const bot = botSuite('bot-admin-roles-settings');
  afterEach(async () => {
    await bot.app.get(SettingsApi).update(SYSTEM_ACTOR, DEFAULTS);
  });

  async function admin(lang: 'en' | 'ru', name: string): Promise<BotChat> {
    const tgId = newTgUserId();
    await bot.app.get(UsersApi).ensureAdmin(tgId, name);
    return bot.onboarded(lang, { firstName: name, userId: tgId });
  }

  async function userOf(chat: BotChat) {
    return (await bot.app.get(UsersApi).list(SYSTEM_ACTOR, { tgId: chat.userId })).items[0];
  }

  async function profileOf(userId: number) {
    const { items } = await bot.app.get(SpecialistsApi).list(SYSTEM_ACTOR, { limit: 200 });
    return items.find((s) => s.userId === userId);
  }

  describe('roles', () => {
    it('refuses to demote the last admin, in the admin language', async () => {
      const olga = await admin('en', 'Olga');
      const { items: admins } = await bot.app.get(UsersApi).list(SYSTEM_ACTOR, { role: 'admin' });
      expect(admins).toHaveLength(1);
      await olga.press('Roles');
      expect(olga.current().text).toBe(
        '👥 Roles\nAdmins: 1, specialists: 0.\nChoose a person, or find anyone who has started the bot.',
      );
      await olga.press('Olga');
      expect(olga.buttons()).toEqual(['💇 Make specialist', '👤 Make client', '⬅️ Back', '🏠 Home']);
      await olga.press('Make client');
      expect(olga.current().text).toMatch(/^Make Olga a client\?/);
      expect(await olga.press('Yes')).toBe(
        'Olga is the last admin and cannot be demoted. Make someone else an admin first.',
      );
      expect(olga.current().text).toBe(
        'Olga is the last admin and cannot be demoted. Make someone else an admin first.\n\n👑 Olga\nRole: admin\n📱 —\nTelegram id: ' +
          olga.userId,
      );
      await olga.press('Make specialist');
      expect(await olga.press('Yes')).toBe(
        'Olga is the last admin and cannot be demoted. Make someone else an admin first.',
      );
      expect((await userOf(olga)).role).toBe('admin');
      expect(await profileOf((await userOf(olga)).id)).toBeUndefined();

      await bot.app.get(UsersApi).update(SYSTEM_ACTOR, (await userOf(olga)).id, { language: 'ru' });
      await olga.send('/menu');
      await olga.press('Роли');
      await olga.press('Olga');
      await olga.press('Сделать клиентом');
      expect(await olga.press('Да')).toBe(
        'Olga — последний администратор, его нельзя понизить. Сначала назначьте администратором кого-то другого.',
      );
    });

    it('promotes a client found by name to specialist with a profile, then admin, then demotes, each asked first', async () => {
      const olga = await admin('en', 'Olga');
      const pavel = await bot.onboarded('en', { firstName: 'Pavel Novak' });
      const pavelId = (await userOf(pavel)).id;
      await olga.press('Roles');
      await olga.press('Find a user');
      expect(olga.current().text).toBe('Type a name, a phone number or a Telegram id; or /cancel.');
      await olga.send('   ');
      expect(olga.lastText()).toBe('Type 1 to 120 characters: a name, a phone number or a Telegram id.');
      await olga.send('nobody-like-this');
      expect(olga.current().text).toMatch(/^Nobody found for "nobody-like-this"\./);
      await olga.send('pavel nov');
      expect(olga.current().text).toBe('Found for "pavel nov": 1. Type again to search for someone else.');
      await olga.press('Pavel Novak');
      expect(olga.current().text).toBe(`👤 Pavel Novak\nRole: client\n📱 —\nTelegram id: ${pavel.userId}`);
      await olga.press('Make specialist');
      expect(olga.current().text).toMatch(/^Make Pavel Novak a specialist\? A specialist profile is created/);
      await olga.press('No');
      expect((await userOf(pavel)).role).toBe('client');
      await olga.press('Make specialist');
      expect(await olga.press('Yes')).toBe('Pavel Novak is now: specialist.');
      expect(olga.current().text).toMatch(
        /^Pavel Novak is now: specialist\.\n\n💇 Pavel Novak\nRole: specialist/,
      );
      expect((await userOf(pavel)).role).toBe('specialist');
      expect(await profileOf(pavelId)).toMatchObject({ active: true, name: 'Pavel Novak' });
      await until(() =>
        expect(bot.fake.textsTo(pavel.userId)).toContain(
          'You are now a specialist of the salon. Send /menu to see your day and hours.',
        ),
      );
      // His new menu: the specialist's sections first.
      await pavel.send('/menu');
      expect(pavel.replyKeyboard()?.slice(0, 2)).toEqual(['📋 My day', '🕘 My hours']);

      await olga.press('Make admin');
      expect(await olga.press('Yes')).toBe('Pavel Novak is now: admin.');
      expect((await userOf(pavel)).role).toBe('admin');
      // An admin who also takes clients keeps the profile.
      expect(await profileOf(pavelId)).toMatchObject({ active: true });

      await olga.press('Make client');
      expect(await olga.press('Yes')).toBe('Pavel Novak is now: client.');
      expect((await userOf(pavel)).role).toBe('client');
      expect(await profileOf(pavelId)).toMatchObject({ active: false });

      // Back to specialist: the old profile is switched on again, not a second one made.
      await olga.press('Make specialist');
      await olga.press('Yes');
      expect(await profileOf(pavelId)).toMatchObject({ active: true });
      const profiles = (await bot.app.get(SpecialistsApi).list(SYSTEM_ACTOR, { limit: 200 })).items;
      expect(profiles.filter((s) => s.userId === pavelId)).toHaveLength(1);
      await olga.press('Back');
      expect(olga.buttons()).toContain('💇 Pavel Novak');
    });

    it('finds someone by Telegram id, in Russian, and validates the search', async () => {
      const irina = await admin('ru', 'Ирина');
      const ann = await bot.onboarded('ru', { firstName: 'Анна' });
      await irina.press('Роли');
      await irina.press('Найти пользователя');
      await irina.send('x'.repeat(121));
      expect(irina.lastText()).toBe('Напишите от 1 до 120 символов: имя, номер телефона или Telegram id.');
      await irina.send(String(ann.userId));
      expect(irina.current().text).toBe(
        `Найдено по запросу «${ann.userId}»: 1. Напишите снова, чтобы найти кого-то другого.`,
      );
      await irina.press('Анна');
      await irina.press('Сделать администратором');
      expect(irina.current().text).toMatch(/^Сделать Анна администратором\?/);
      expect(await irina.press('Да')).toBe('Анна теперь: администратор.');
      expect((await userOf(ann)).role).toBe('admin');
      await until(() =>
        expect(bot.fake.textsTo(ann.userId)).toContain(
          'Теперь вы администратор салона. Отправьте /menu, чтобы увидеть своё меню.',
        ),
      );
    });
  });

  describe('settings', () => {
    it('shows every setting and changes each, typed values validated with what is expected', async () => {
      const olga = await admin('en', 'Olga');
      await olga.press('Settings');
      expect(olga.current().text).toBe(
        [
          '⚙️ Business settings',
          '',
          '⏱ Minimum notice: 1 h',
          '📆 Booking horizon, days ahead: 60',
          '⏳ Cancellation cutoff: 2 h',
          '✅ Auto-confirm: on',
          '💱 Currency: EUR',
          '🌐 Default language: Русский',
        ].join('\n'),
      );
      await olga.press('Notice');
      expect(olga.current().text).toMatch(/^Minimum notice: .+ Now: 1 h\.\nType minutes/);
      await olga.send('soon');
      expect(olga.lastText()).toBe(
        '"soon" is not a time from 0 minutes to 7 days. Type e.g. 90, 2 h or 1 h 30 min.',
      );
      await olga.send('8 days');
      expect(olga.lastText()).toBe(
        '"8 days" is not a time from 0 minutes to 7 days. Type e.g. 90, 2 h or 1 h 30 min.',
      );
      await olga.send('1 h 30 min');
      expect(olga.current().text).toMatch(
        /^Saved\.\n\n⚙️ Business settings\n\n⏱ Minimum notice: 1 h 30 min\n/,
      );

      await olga.press('Horizon');
      await olga.send('0');
      expect(olga.lastText()).toBe('"0" is not a whole number of days from 1 to 365. Type e.g. 30.');
      await olga.send('400');
      expect(olga.lastText()).toBe('"400" is not a whole number of days from 1 to 365. Type e.g. 30.');
      await olga.send('30');
      await olga.press('Cutoff');
      await olga.send('-5');
      expect(olga.lastText()).toBe(
        '"-5" is not a time from 0 minutes to 7 days. Type e.g. 90, 2 h or 1 h 30 min.',
      );
      await olga.send('0');
      expect(olga.current().text).toContain('⏳ Cancellation cutoff: none');

      expect(await olga.press('Auto-confirm: on')).toBe(
        "Auto-confirm is off: new bookings wait for an admin's confirmation.",
      );
      expect(olga.buttons()).toContain('✅ Auto-confirm: off');

      await olga.press('Currency');
      expect(olga.buttons()).toEqual(['✓ EUR', 'USD', 'GBP', 'RUB', 'CHF', 'PLN', '⬅️ Back', '🏠 Home']);
      await olga.send('euro');
      expect(olga.lastText()).toBe(
        '"euro" is not a currency code I know. Type a three-letter ISO code such as EUR, USD or RUB.',
      );
      await olga.send('sek');
      expect(olga.current().text).toContain('💱 Currency: SEK');
      await olga.press('Currency');
      expect(await olga.press('USD')).toBe('USD');

      await olga.press('Language');
      await olga.press('English');
      expect(olga.current().text).toContain('🌐 Default language: English');

      expect(await bot.app.get(SettingsApi).get(SYSTEM_ACTOR)).toMatchObject({
        minNoticeMin: 90,
        horizonDays: 30,
        cancellationCutoffMin: 0,
        autoConfirm: false,
        currency: 'USD',
        defaultLanguage: 'en',
      });
    });

    it('speaks Russian, validation included; Back leaves the prompt without saving', async () => {
      const irina = await admin('ru', 'Ирина');
      await irina.press('Настройки');
      expect(irina.current().text).toMatch(/^⚙️ Настройки записи\n\n⏱ Минимум до начала: 1 ч\n/);
      await irina.press('Минимум до начала');
      await irina.send('скоро');
      expect(irina.lastText()).toBe(
        '«скоро» — это не срок от 0 минут до 7 дней. Напишите, например, 90, 2 ч или 1 ч 30 мин.',
      );
      await irina.send('2 ч');
      expect(irina.current().text).toContain('⏱ Минимум до начала: 2 ч');
      await irina.press('Запись вперёд');
      await irina.send('год');
      expect(irina.lastText()).toBe('«год» — это не целое число дней от 1 до 365. Напишите, например, 30.');
      await irina.press('Назад');
      expect(irina.current().text).toMatch(/^⚙️ Настройки записи/);
      await irina.send('45');
      expect((await bot.app.get(SettingsApi).get(SYSTEM_ACTOR)).horizonDays).toBe(60);
      await irina.press('Настройки');
      await irina.press('Валюта');
      await irina.send('рубль');
      expect(irina.lastText()).toBe(
        'Валюты «рубль» я не знаю. Напишите трёхбуквенный код ISO, например EUR, USD или RUB.',
      );
      await irina.send('/cancel');
      expect((await bot.app.get(SettingsApi).get(SYSTEM_ACTOR)).currency).toBe('EUR');
    });
  });

  it('refuses admin buttons forged by a client or a specialist, localized, and audits each', async () => {
    const client = await bot.onboarded('ru', { firstName: 'Мошенник' });
    const clientUser = await userOf(client);
    expect(await client.pressData(Roles.set.encode(clientUser.id, 'admin'))).toBe(
      'У вас нет прав на это действие.',
    );
    expect(await client.pressData(SalonSettings.autoConfirm.encode())).toBe(
      'У вас нет прав на это действие.',
    );
    expect(await client.pressData(Roles.list.encode(0))).toBe('У вас нет прав на это действие.');
    expect((await userOf(client)).role).toBe('client');
    expect((await bot.app.get(SettingsApi).get(SYSTEM_ACTOR)).autoConfirm).toBe(true);
    expect((await botRefusals(bot.app, clientUser.id)).map((r) => [r.changes.code, r.changes.data])).toEqual([
      ['forbidden', Roles.set.encode(clientUser.id, 'admin')],
      ['forbidden', SalonSettings.autoConfirm.encode()],
      ['forbidden', Roles.list.encode(0)],
    ]);

    const tgId = newTgUserId();
    const specialist = await bot.app
      .get(SpecialistsApi)
      .create(SYSTEM_ACTOR, { user: { name: 'Sergey', tgId } });
    const sergey = await bot.onboarded('en', { firstName: 'Sergey', userId: tgId });
    expect(await sergey.pressData(SalonSettings.edit.encode('currency'))).toBe(
      'You are not allowed to do that.',
    );
    expect(await botRefusals(bot.app, specialist.userId)).toHaveLength(1);
    // A client's home has no admin sections.
    await client.send('/menu');
    expect(client.buttons().join()).not.toMatch(/Роли|Настройки/);
  });
});
