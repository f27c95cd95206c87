import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import {
  BookingsApi,
  Language,
  LocationsApi,
  SchedulesApi,
  ServicesApi,
  SpecialistsApi,
  UsersApi,
} from '../../src/booking/api';
import { AdminHours } from '../../src/bot/flows/admin/hours/hours.routes';
import { AdminLocations } from '../../src/bot/flows/admin/locations/locations.routes';
import { AdminServices } from '../../src/bot/flows/admin/services/services.routes';
import { AdminSpecialists } from '../../src/bot/flows/admin/specialists/specialists.routes';
import { t as text, TextKey } from '../../src/bot/i18n/i18n';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { BotChat } from '../support/bot-chat';
import { botSuite } from '../support/bot-suite';
import { newTgUserId } from '../support/telegram-updates';

describe('the bot: the admin edits the salon; validation, collisions and forged buttons', () => {
  const bot = botSuite('bot-admin-salon-edit', { salon: true, env: { TG_RATE_LIMIT: '1000' } });

  /** The salon's admin (Olga) in a chat of their own language. */
  async function adminChat(lang: Language = 'en'): Promise<BotChat> {
    const tgId = newTgUserId();
    await bot.app.get(UsersApi).ensureAdmin(tgId, `Admin ${tgId}`);
    return bot.onboarded(lang, { userId: tgId, firstName: 'Olga' });
  }

  it('locations: edit the name and the time zone, deactivate after asking, activate again', async () => {
    const admin = await adminChat();
    await admin.press('Locations');
    await admin.press('Salon Mitte');
    await admin.press('✏️ Name');
    await admin.send('Salon Zentrum');
    expect(admin.current().text).toContain('Saved.\n\n📍 Salon Zentrum');
    await admin.press('Time zone');
    await admin.send('Europe/Paris');
    expect(admin.current().text).toContain('Time zone: Europe/Paris');
    await admin.press('Deactivate');
    expect(admin.current().text).toBe(
      'Deactivate Salon Zentrum? Clients will no longer be able to book there; existing bookings stay.',
    );
    await admin.press('Yes, deactivate');
    expect(admin.current().text).toContain('Status: deactivated');
    expect(await bot.app.get(LocationsApi).get(SYSTEM_ACTOR, bot.salon.locationId)).toMatchObject({
      name: 'Salon Zentrum',
      timeZone: 'Europe/Paris',
      active: false,
    });
    await admin.press('Activate again');
    await bot.app
      .get(LocationsApi)
      .update(SYSTEM_ACTOR, bot.salon.locationId, { name: 'Salon Mitte', timeZone: bot.salon.timeZone });
    expect((await bot.app.get(LocationsApi).get(SYSTEM_ACTOR, bot.salon.locationId)).active).toBe(true);
  });

  it('services: edit the price and the duration, deactivate after asking', async () => {
    const admin = await adminChat('ru');
    await admin.press('Услуги');
    await admin.press(/^Coloring/);
    await admin.press('Цена');
    await admin.send('95,50');
    expect(admin.current().text).toContain(
      'Сохранено.\n\n💇 Coloring\nДлительность: 1 ч 30 мин\nЦена: 95,50',
    );
    await admin.press('Длительность');
    await admin.press(/^1 ч 45 мин$/);
    await admin.press('Отключить');
    expect(admin.current().text).toBe(
      'Отключить услугу «Coloring»? Клиенты больше не смогут на неё записаться; существующие записи останутся.',
    );
    await admin.press('Да, отключить');
    expect(await bot.app.get(ServicesApi).get(SYSTEM_ACTOR, bot.salon.coloringId)).toMatchObject({
      price: 9550,
      durationMin: 105,
      active: false,
    });
    await admin.press('Включить снова');
    expect((await bot.app.get(ServicesApi).get(SYSTEM_ACTOR, bot.salon.coloringId)).active).toBe(true);
  });

  it('specialists: add by @username or numeric id; refused forwards say what to do; bio; deactivate', async () => {
    const maria = await bot.onboarded('en', { firstName: 'Maria', username: 'Maria_Nails' });
    const admin = await adminChat();
    await admin.press('Specialists');
    await admin.press('Add a specialist');
    await admin.send('@nobody_here');
    expect(admin.lastText()).toBe(
      'Nobody with @nobody_here has started this bot yet. Send them this link; once they have opened it, try again: https://t.me/fake_bot?start=staff',
    );
    await admin.forward('hello', { type: 'hidden_user', date: 0, sender_user_name: 'Secret' } as never);
    expect(admin.lastText()).toContain('Their privacy settings hide who sent that message.');
    await admin.forward('news', {
      type: 'channel',
      date: 0,
      chat: { id: -100123, type: 'channel', title: 'News' },
      message_id: 5,
    } as never);
    expect(admin.lastText()).toBe(
      'That message was forwarded from a chat or channel, not from a person. Forward a message that the person wrote.',
    );
    await admin.send('hello there');
    expect(admin.lastText()).toContain('I could not tell who that is.');
    await admin.send('@maria_nails');
    expect(admin.current().text).toContain(
      'Specialist added. Now choose their locations and services.\n\n👩‍🎨 Maria',
    );
    const mariaId = await bot.userIdOf(maria);
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, mariaId)).role).toBe('specialist');
    // The same person again: their card, not a second profile.
    await admin.press('Back');
    await admin.press('Add a specialist');
    await admin.send('@MARIA_NAILS');
    expect(admin.current().text).toContain('This person is already a specialist.');

    // By a numeric id of someone the bot has not met: a link to send them.
    const newcomer = newTgUserId();
    await admin.press('Back');
    await admin.press('Add a specialist');
    await admin.send(String(newcomer));
    expect(admin.current().text).toContain('https://t.me/fake_bot?start=staff');
    const created = (await bot.app.get(UsersApi).list(SYSTEM_ACTOR, { tgId: newcomer })).items[0];
    expect(created.role).toBe('specialist');

    await admin.press('About');
    await admin.send('Nails and brows, 8 years');
    expect(admin.current().text).toContain('About: Nails and brows, 8 years');
    await admin.press('Deactivate');
    await admin.press('Yes, deactivate');
    const profile = (await bot.app.get(SpecialistsApi).list(SYSTEM_ACTOR, {})).items.find(
      (s) => s.userId === created.id,
    )!;
    expect(profile).toMatchObject({ bio: 'Nails and brows, 8 years', active: false });
  });

  it('the gateway keeps the @username current: a changed one is stored on the next update, and found over REST', async () => {
    const chat = await bot.onboarded('en', { username: 'old_name' });
    const id = await bot.userIdOf(chat);
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, id)).username).toBe('old_name');
    const renamed = bot.chat({ userId: chat.userId, username: 'new_name' });
    await renamed.send('/menu');
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, id)).username).toBe('new_name');
    const admin = await bot.app.userWithToken('admin');
    const found = await bot.app.request('GET', '/api/v1/users?username=NEW_NAME', { token: admin.token });
    expect(found.body.items.map((u: { id: number }) => u.id)).toEqual([id]);
    const bad = await bot.app.request('GET', '/api/v1/users?username=a!', { token: admin.token });
    expect(bad.status).toBe(400);
    // A username moves with its owner: whoever shows it now has it, the earlier holder no longer.
    const heir = await bot.onboarded('en', { username: 'New_Name' });
    const heirId = await bot.userIdOf(heir);
    const now = await bot.app.request('GET', '/api/v1/users?username=new_name', { token: admin.token });
    expect(now.body.items.map((u: { id: number }) => u.id)).toEqual([heirId]);
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, id)).username).toBeNull();
  });

  it('working hours: change an interval, refuse an overlap with the reason, remove', async () => {
    const admin = await adminChat();
    await admin.press('Working hours');
    await admin.press('Boris');
    expect(admin.current().text).toContain('Mo  09:00–18:00\nTu  09:00–18:00');
    await admin.press(/^We$/);
    await admin.press('09:00–18:00');
    await admin.press('Change');
    await admin.send('09:00-13:00');
    expect(admin.current().text).toContain('We: 09:00–13:00');
    await admin.press('Add hours');
    await admin.send('12:00-16:00');
    expect(admin.lastText()).toBe(
      'We: 09:00–13:00 and 12:00–16:00 overlap. Intervals of one day must not overlap: change or remove one of them.',
    );
    await admin.send('14:00-18:00');
    expect(admin.current().text).toContain('We: 09:00–13:00, 14:00–18:00');
    await admin.press('14:00–18:00');
    await admin.press('Remove');
    const week = await bot.app
      .get(SchedulesApi)
      .getWeek(SYSTEM_ACTOR, bot.salon.boris.id, bot.salon.locationId);
    expect(week.filter((i) => i.weekday === 3).map((i) => [i.startMin, i.endMin])).toEqual([[540, 780]]);
    expect(week).toHaveLength(7);
  });

  it('a day off that hits bookings lists them; the clients get the admin text; a booking opens to move', async () => {
    const date = DateTime.now().setZone(bot.salon.timeZone).plus({ days: 5 }).toISODate()!;
    const at = (hh: number) =>
      DateTime.fromISO(`${date}T${hh}:00`, { zone: bot.salon.timeZone }).toUTC().toISO()!;
    const ivan = await bot.onboarded('ru', { firstName: 'Ivan' });
    const kate = await bot.onboarded('en', { firstName: 'Kate' });
    await bot.app.get(UsersApi).update(SYSTEM_ACTOR, await bot.userIdOf(ivan), { name: 'Ivan' });
    await bot.app.get(UsersApi).update(SYSTEM_ACTOR, await bot.userIdOf(kate), { name: 'Kate' });
    const book = async (chat: BotChat, hh: number) =>
      bot.app.get(BookingsApi).create(SYSTEM_ACTOR, {
        locationId: bot.salon.locationId,
        serviceId: bot.salon.haircutId,
        specialistId: bot.salon.anna.id,
        startAt: at(hh),
        clientId: await bot.userIdOf(chat),
      });
    const first = await book(ivan, 10);
    await book(kate, 14);

    const admin = await adminChat();
    await admin.press('Days off and closures');
    await admin.press("A specialist's day off");
    await admin.press('Anna');
    await admin.send(date);
    await admin.press('Day off');
    expect(admin.current().text).toContain(
      '⚠️ Bookings that collide with it (2):\n• 10:00 Haircut · Ivan (Anna)\n• 14:00 Haircut · Kate (Anna)',
    );
    expect(admin.buttons()).toEqual(
      expect.arrayContaining(['🔁 Move 10:00 Ivan', '🔁 Move 14:00 Kate', '💾 Save and notify the clients']),
    );
    await admin.press('Save and notify the clients');
    await admin.send('Anna is ill that day, sorry! Please choose another time.');
    expect(admin.current().text).toContain('Saved. Notified 2 of 2 clients.');
    expect(admin.current().text).toContain('Bookings still to move:\n• 10:00 Haircut · Ivan (Anna)');
    expect(ivan.visible().map((m) => m.text)).toContainEqual(
      expect.stringMatching(
        /^📣 Сообщение от салона о вашей записи на .* 10:00 \(Berlin\):\n\nAnna is ill that day, sorry! Please choose another time\.$/,
      ),
    );
    expect(kate.visible().map((m) => m.text)).toContainEqual(
      expect.stringMatching(
        /^📣 A message from the salon about your visit on .* 14:00 \(Berlin\):\n\nAnna is ill/,
      ),
    );
    const exceptions = (
      await bot.app.get(SchedulesApi).listExceptions(SYSTEM_ACTOR, { from: date, to: date })
    ).items;
    expect(exceptions).toEqual([
      expect.objectContaining({ specialistId: bot.salon.anna.id, kind: 'day_off' }),
    ]);

    // Moving a booking opens the reschedule screens for it.
    await admin.press('Move 10:00 Ivan');
    expect(admin.current().text).toBe('Haircut: with whom?');
    expect(admin.buttons()).toContain('👤 Anna (as before)');
    await admin.press('Boris');
    await admin.press(/^\d{1,2}$/);
    await admin.press(/^\d\d:\d\d$/);
    expect(await admin.press('Confirm')).toBe('Moved. The client is told.');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, first.id)).specialistId).toBe(
      bot.salon.boris.id,
    );

    // Removing the day off from the list.
    await admin.press('Home');
    await admin.press('Days off and closures');
    await admin.press(/^Anna · Salon Mitte/);
    await admin.press('Remove');
    expect(
      (await bot.app.get(SchedulesApi).listExceptions(SYSTEM_ACTOR, { from: date, to: date })).items,
    ).toEqual([]);
  });

  it('special hours list only the bookings outside them; a second exception that day is refused; a closure lists all', async () => {
    const date = DateTime.now().setZone(bot.salon.timeZone).plus({ days: 6 }).toISODate()!;
    const at = (hh: number) =>
      DateTime.fromISO(`${date}T${hh}:00`, { zone: bot.salon.timeZone }).toUTC().toISO()!;
    const client = await bot.onboarded('en', { firstName: 'Lena' });
    await bot.app.get(UsersApi).update(SYSTEM_ACTOR, await bot.userIdOf(client), { name: 'Lena' });
    const book = async (specialistId: number, hh: number) =>
      bot.app.get(BookingsApi).create(SYSTEM_ACTOR, {
        locationId: bot.salon.locationId,
        serviceId: bot.salon.haircutId,
        specialistId,
        startAt: at(hh),
        clientId: await bot.userIdOf(client),
      });
    await book(bot.salon.boris.id, 10);
    await book(bot.salon.anna.id, 15);

    const admin = await adminChat();
    await admin.press('Days off and closures');
    await admin.press("A specialist's day off");
    await admin.press('Boris');
    await admin.send(date);
    await admin.press('Special hours');
    await admin.send('12:00-18:00');
    expect(admin.current().text).toContain(
      ': hours 12:00–18:00\n\n⚠️ Bookings that collide with it (1):\n• 10:00 Haircut · Lena (Boris)\n',
    );
    await admin.press('Save without notifying');
    expect(admin.current().text).toContain('Bookings still to move:\n• 10:00 Haircut · Lena (Boris)');

    await admin.press('Back');
    await admin.press("A specialist's day off");
    await admin.press('Boris');
    await admin.send(date);
    await admin.press('Day off');
    expect(await admin.press('Save without notifying')).toBe(
      'There is already a day off or special hours set for that day. Remove it from the list first.',
    );

    await admin.press('Back');
    await admin.press('Close a location');
    await admin.press('Salon Mitte');
    await admin.send(date);
    expect(admin.current().text).toContain(
      '⚠️ Bookings that collide with it (2):\n• 10:00 Haircut · Lena (Boris)\n• 15:00 Haircut · Lena (Anna)',
    );
    const exceptions = (
      await bot.app.get(SchedulesApi).listExceptions(SYSTEM_ACTOR, { from: date, to: date })
    ).items;
    expect(exceptions.map((e) => [e.specialistId, e.kind, e.startMin, e.endMin])).toEqual([
      [bot.salon.boris.id, 'custom_hours', 720, 1080],
    ]);
  });

  describe('every validation message, in both languages', () => {
    const cases: [string, () => Promise<void>, string, TextKey, Record<string, string | number>][] = [];
    let admin: BotChat;
    const openLocationAdd = async () => {
      await admin.send('/menu');
      await admin.press(/Locations|Филиалы/);
      await admin.press(/Add a location|Добавить филиал/);
    };
    const openServiceAdd = async () => {
      await admin.send('/menu');
      await admin.press(/Services|Услуги/);
      await admin.press(/Add a service|Добавить услугу/);
    };
    const openHoursAdd = async () => {
      await admin.send('/menu');
      await admin.pressData(AdminHours.add.encode(bot.salon.anna.id, bot.salon.locationId, 1));
    };
    const openExceptionDate = async () => {
      await admin.send('/menu');
      await admin.press(/Days off|Выходные/);
      await admin.press(/specialist's day off|Выходной или часы мастера/);
      await admin.press('Anna');
    };
    cases.push(
      ['a name over its limit', openLocationAdd, 'x'.repeat(121), 'adm.input.name_invalid', { max: 120 }],
      [
        'an unknown time zone',
        async () => {
          await openLocationAdd();
          await admin.send('Salon X');
          await admin.send('-');
        },
        'Mars/Olympus',
        'adm.input.zone_invalid',
        { zone: 'Mars/Olympus' },
      ],
      [
        'a duration not a multiple of 15',
        async () => {
          await openServiceAdd();
          await admin.send('Brows');
        },
        '50',
        'adm.input.duration_step',
        {},
      ],
      [
        'a duration out of range',
        async () => {
          await openServiceAdd();
          await admin.send('Brows');
        },
        '900',
        'adm.input.duration_range',
        { min: 15, max: 720 },
      ],
      [
        'a duration that is no number',
        async () => {
          await openServiceAdd();
          await admin.send('Brows');
        },
        'long',
        'adm.input.duration_invalid',
        {},
      ],
      [
        'a negative price',
        async () => {
          await openServiceAdd();
          await admin.send('Brows');
          await admin.press(/^(30 min|30 мин)$/);
        },
        '-5',
        'adm.input.price_negative',
        {},
      ],
      [
        'a price that is no money',
        async () => {
          await openServiceAdd();
          await admin.send('Brows');
          await admin.press(/^(30 min|30 мин)$/);
        },
        '12.345',
        'adm.input.price_invalid',
        {},
      ],
      ['a bad time', openHoursAdd, '25:00-26:00', 'adm.input.time_invalid', { time: '25:00' }],
      [
        'a time off the 15-minute grid',
        openHoursAdd,
        '10:10-12:00',
        'adm.input.time_step',
        { time: '10:10' },
      ],
      [
        'an end before the start',
        openHoursAdd,
        '18:00-09:00',
        'adm.input.end_before_start',
        {
          start: '18:00',
          end: '09:00',
        },
      ],
      ['hours that are no interval', openHoursAdd, '10:00', 'adm.input.interval_invalid', {}],
      ['a bad date', openExceptionDate, '31.02.2030', 'adm.input.date_invalid', { date: '31.02.2030' }],
      ['a past date', openExceptionDate, '2020-01-01', 'adm.input.date_past', {}],
    );

    for (const lang of ['en', 'ru'] as const) {
      describe(lang, () => {
        beforeAll(async () => {
          admin = await adminChat(lang);
        });
        it.each(cases.map(([name, open, input, key, params]) => ({ name, open, input, key, params })))(
          '$name',
          async ({ open, input, key, params }) => {
            await open();
            await admin.send(input);
            expect(admin.lastText()).toBe(text(key, lang, params));
          },
        );
      });
    }

    it('the texts are real sentences in each language', () => {
      expect(text('adm.input.duration_step', 'en')).toBe(
        'The duration must be a multiple of 15 minutes (15, 30, 45, 60…).',
      );
      expect(text('adm.input.duration_step', 'ru')).toBe(
        'Длительность должна быть кратна 15 минутам (15, 30, 45, 60…).',
      );
      expect(text('adm.input.price_negative', 'ru')).toBe(
        'Цена не может быть отрицательной. Введите сумму, например 35 или 35,50.',
      );
    });
  });

  it('a client or a specialist pressing forged admin buttons is refused in their language and audited', async () => {
    const client = await bot.onboarded('ru');
    const forged = [
      AdminLocations.deactivate.encode(bot.salon.locationId),
      AdminServices.deactivate.encode(bot.salon.haircutId),
      AdminSpecialists.deactivate.encode(bot.salon.boris.id),
      AdminHours.remove.encode(bot.salon.anna.id, bot.salon.locationId, 1),
    ];
    for (const data of forged) expect(await client.pressData(data)).toBe('У вас нет прав на это действие.');
    const anna = bot.chat({ userId: bot.salon.anna.tgId, languageCode: 'en' });
    await anna.send('/start');
    await anna.press('English');
    await anna.send('Skip');
    expect(await anna.pressData(AdminSpecialists.add.encode())).toBe('You are not allowed to do that.');
    expect((await bot.app.get(LocationsApi).get(SYSTEM_ACTOR, bot.salon.locationId)).active).toBe(true);
    expect((await bot.app.get(ServicesApi).get(SYSTEM_ACTOR, bot.salon.haircutId)).active).toBe(true);
    expect((await bot.app.get(SpecialistsApi).get(SYSTEM_ACTOR, bot.salon.boris.id)).active).toBe(true);
    const rows: { user_id: number; changes: string }[] = await bot.app
      .get(DataSource)
      .query(`SELECT user_id, changes FROM audit_log WHERE action = 'bot.refused'`);
    const clientId = await bot.userIdOf(client);
    expect(
      rows.filter((r) => Number(r.user_id) === clientId && r.changes.includes('"forbidden"')),
    ).toHaveLength(4);
    expect(rows.some((r) => Number(r.user_id) === bot.salon.anna.userId)).toBe(true);
  });
});
