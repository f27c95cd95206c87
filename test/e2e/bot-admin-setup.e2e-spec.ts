import { DateTime } from 'luxon';
import {
  BookingsApi,
  LocationsApi,
  SchedulesApi,
  ServicesApi,
  SpecialistsApi,
  UsersApi,
} from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { botSuite } from '../support/bot-suite';
import { newTgUserId } from '../support/telegram-updates';

describe('the bot: an admin sets up a salon from zero, then a client books it', () => {
  const bot = botSuite('bot-admin-setup', {
    // The admin's whole setup is one long conversation.
    env: { TG_RATE_LIMIT: '1000' },
  });

  const inDays = (days: number, zone: string) => DateTime.now().setZone(zone).plus({ days }).toISODate()!;

  // A whole salon set up through the bot in one test: 38 s on PostgreSQL at this 2-core machine's usual load, over jest's default 30 s.
  it('locations, services, specialists (forwarded, contact), their weeks, a day off, a closure; then a booking', async () => {
    const adminTgId = newTgUserId();
    await bot.app.get(UsersApi).ensureAdmin(adminTgId, 'Olga');
    const admin = await bot.onboarded('en', { userId: adminTgId, firstName: 'Olga' });
    expect(admin.buttons()).toEqual(
      expect.arrayContaining([
        '📍 Locations',
        '💇 Services',
        '👩‍🎨 Specialists',
        '🕘 Working hours',
        '📆 Days off and closures',
      ]),
    );

    // Two locations in different time zones: one from the buttons, one typed (any case).
    await admin.press('Locations');
    expect(admin.current().text).toBe('There are no locations yet. Add the first one.');
    await admin.press('Add a location');
    expect(admin.current().text).toBe("Type the location's name, or /cancel.");
    await admin.send('Salon Mitte');
    await admin.send('Torstr. 1, Berlin');
    await admin.press('Europe/Berlin');
    expect(admin.current().text).toBe(
      'Location added.\n\n📍 Salon Mitte\nAddress: Torstr. 1, Berlin\nTime zone: Europe/Berlin\nStatus: active',
    );
    await admin.press('Back');
    await admin.press('Add a location');
    await admin.send('Salon Ural');
    await admin.send('-');
    await admin.send('asia/yekaterinburg');
    expect(admin.current().text).toContain('📍 Salon Ural\nAddress: —\nTime zone: Asia/Yekaterinburg');
    const locations = (await bot.app.get(LocationsApi).list(SYSTEM_ACTOR, {})).items;
    expect(locations.map((l) => [l.name, l.timeZone])).toEqual([
      ['Salon Mitte', 'Europe/Berlin'],
      ['Salon Ural', 'Asia/Yekaterinburg'],
    ]);

    // Three services: duration from the buttons, price typed as money.
    await admin.press('Home');
    await admin.press('Services');
    for (const [name, duration, price] of [
      ['Haircut', '1 h', '35'],
      ['Coloring', '1 h 30 min', '80.50'],
      ['Manicure', '45 min', '25,00'],
    ]) {
      await admin.press('Add a service');
      await admin.send(name);
      expect(admin.current().text).toBe('Choose the duration (or type the minutes, a multiple of 15).');
      await admin.press(new RegExp(`^${duration}$`));
      await admin.send(price);
      expect(admin.current().text).toContain(`Service added.\n\n💇 ${name}\nDuration: ${duration}\n`);
      await admin.press('Back');
    }
    const services = (await bot.app.get(ServicesApi).list(SYSTEM_ACTOR, {})).items;
    expect(services.map((s) => [s.name, s.durationMin, s.price])).toEqual([
      ['Haircut', 60, 3500],
      ['Coloring', 90, 8050],
      ['Manicure', 45, 2500],
    ]);

    // Anna, who has never written to the bot, by a message forwarded from her: she gets a link.
    const annaTgId = newTgUserId();
    await admin.press('Home');
    await admin.press('Specialists');
    await admin.press('Add a specialist');
    await admin.forward('Hi, it is Anna', {
      type: 'user',
      sender_user: { id: annaTgId, is_bot: false, first_name: 'Anna', last_name: 'Petrova' },
    });
    expect(admin.current().text).toContain(
      'Specialist added. They have not started the bot yet: send them this link so that they see their bookings: https://t.me/fake_bot?start=staff',
    );
    expect(admin.current().text).toContain('👩‍🎨 Anna Petrova');
    await admin.press('📍 Locations');
    await admin.press('Salon Mitte');
    expect(admin.buttons()).toContain('✅ Salon Mitte');
    await admin.press('Back');
    await admin.press('💇 Services');
    await admin.press('Haircut');
    await admin.press('Coloring');
    // Her own haircut: 45 minutes at 30.00.
    await admin.press(/^⚙️ 1 h ·/);
    await admin.press(/^45 min$/);
    await admin.press('Own price');
    await admin.send('30');
    expect(admin.current().text).toContain(
      "Anna Petrova · Haircut\nDuration: 45 min (the service's: 1 h)\nPrice: €30.00",
    );

    // Boris has started the bot; the admin shares his contact.
    const boris = await bot.onboarded('en', { firstName: 'Boris' });
    await admin.press('Home');
    await admin.press('Specialists');
    await admin.press('Add a specialist');
    await admin.shareContact('+491701112233', boris.userId);
    expect(admin.current().text).toContain('Specialist added. Now choose their locations and services.');
    await admin.press('📍 Locations');
    await admin.press('Salon Mitte');
    await admin.press('Salon Ural');
    await admin.press('Back');
    await admin.press('💇 Services');
    await admin.press('Haircut');
    await admin.press('Manicure');
    const specialists = (await bot.app.get(SpecialistsApi).list(SYSTEM_ACTOR, {})).items;
    const anna = specialists.find((s) => s.name === 'Anna Petrova')!;
    const borisProfile = specialists.find((s) => s.name === 'Boris')!;
    expect(anna.services.map((s) => [s.name, s.durationMin, s.price])).toEqual([
      ['Haircut', 45, 3000],
      ['Coloring', 90, 8050],
    ]);
    expect(borisProfile.locations.map((l) => l.name)).toEqual(['Salon Mitte', 'Salon Ural']);
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, borisProfile.userId)).role).toBe('specialist');

    // Anna's week: Monday with a break, copied to every other day.
    await admin.press('Home');
    await admin.press('Working hours');
    await admin.press('Anna Petrova');
    expect(admin.current().text).toContain('🕘 Anna Petrova · Salon Mitte (Europe/Berlin)\n\nMo  —\nTu  —');
    await admin.press(/^Mo$/);
    await admin.press('Add hours');
    await admin.send('09:00-13:00, 14:00-18:00');
    expect(admin.current().text).toContain('Mo: 09:00–13:00, 14:00–18:00');
    await admin.press('Copy to other days');
    for (const day of ['Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']) await admin.press(new RegExp(`^⬜️ ${day}$`));
    await admin.press('📋 Copy');
    expect(admin.current().text).toContain('Copied to: Tu, We, Th, Fr, Sa, Su.');
    expect(admin.current().text).toContain('Su  09:00–13:00, 14:00–18:00');
    // Boris at Salon Ural: 10:00-19:00 every day.
    await admin.press('Home');
    await admin.press('Working hours');
    await admin.press('Boris');
    await admin.press('Salon Ural');
    await admin.press(/^Mo$/);
    await admin.press('Add hours');
    await admin.send('10-19');
    await admin.press('Copy to other days');
    for (const day of ['Tu', 'We', 'Th', 'Fr', 'Sa', 'Su']) await admin.press(new RegExp(`^⬜️ ${day}$`));
    await admin.press('📋 Copy');
    expect(admin.current().text).toContain('Mo  10:00–19:00');
    // Boris cannot be at Salon Mitte while he works at Salon Ural.
    await admin.press('Home');
    await admin.press('Working hours');
    await admin.press('Boris');
    await admin.press('Salon Mitte');
    await admin.press(/^Mo$/);
    await admin.press('Add hours');
    await admin.send('09:00-12:00');
    expect(admin.lastText()).toBe(
      "Mo: 09:00–12:00 overlaps Boris's hours at Salon Ural (10:00–19:00). A person works in one place at a time: change one of them.",
    );
    await admin.send('/cancel');
    const annaWeek = await bot.app.get(SchedulesApi).getWeek(SYSTEM_ACTOR, anna.id, anna.locations[0].id);
    expect(annaWeek).toHaveLength(14);

    // Anna's day off in three days, Salon Ural closed in four.
    const dayOff = inDays(3, 'Europe/Berlin');
    const closed = inDays(4, 'Asia/Yekaterinburg');
    await admin.press('Days off and closures');
    await admin.press("A specialist's day off");
    await admin.press('Anna Petrova');
    await admin.send(dayOff);
    await admin.press('Day off');
    expect(admin.current().text).toContain('No bookings collide with it.');
    await admin.press(/^💾 Save$/);
    await admin.press('Back');
    await admin.press('Close a location');
    await admin.press('Salon Ural');
    await admin.send(closed);
    await admin.press(/^💾 Save$/);
    await admin.press('Back');
    expect(admin.buttons()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Anna Petrova · Salon Mitte · .*: day off$/)]),
    );
    expect(admin.buttons()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Salon Ural · .*: closed$/)]),
    );
    const exceptions = (await bot.app.get(SchedulesApi).listExceptions(SYSTEM_ACTOR, {})).items;
    expect(exceptions.map((e) => [e.specialistId, e.date, e.kind])).toEqual([
      [anna.id, dayOff, 'day_off'],
      [null, closed, 'day_off'],
    ]);

    // A client books Anna's haircut at Salon Mitte: her own duration and price.
    const client = await bot.onboarded('en', { firstName: 'Ivan' });
    await client.send('📅 Book');
    await client.press('Salon Mitte');
    await client.press('Haircut');
    await client.press('Anna Petrova');
    await client.press(/^\d{1,2}$/);
    await client.press(/^\d\d:\d\d$/);
    expect(await client.press('Confirm')).toBe('✅ Booked! See you then.');
    const clientId = (await bot.app.get(UsersApi).list(SYSTEM_ACTOR, { tgId: client.userId })).items[0].id;
    const [booking] = (await bot.app.get(BookingsApi).list(SYSTEM_ACTOR, { clientId })).items;
    expect(booking).toMatchObject({ specialistId: anna.id, price: 3000 });
    expect(new Date(booking.endAt).getTime() - new Date(booking.startAt).getTime()).toBe(45 * 60_000);
    expect(DateTime.fromISO(booking.startAt, { zone: 'Europe/Berlin' }).toISODate()).not.toBe(dayOff);
  }, 90_000);
});
