import { DataSource } from 'typeorm';
import { BookingsApi, LocationsApi, SettingsApi, UsersApi } from '../../src/booking/api';
import { AdminBookings } from '../../src/bot/flows/admin/bookings/bookings.routes';
import { Clients } from '../../src/bot/flows/admin/clients/clients.routes';
import { MyBookings } from '../../src/bot/ui/routes';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { BotChat } from '../support/bot-chat';
import { botSuite } from '../support/bot-suite';
import { newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';

const DAY_MS = 24 * 3600_000;
/** The app's day starts tomorrow at 06:00 UTC (07:00 or 08:00 in Berlin), before the salon opens at 09:00. */
const MORNING = Math.ceil(Date.now() / DAY_MS) * DAY_MS + 6 * 3600_000;

describe('the bot: the admin runs the day', () => {
  const started = Date.now();
  const bot = botSuite('bot-admin-day', {
    salon: true,
    clockShift: MORNING - started,
    // The admin's chat presses faster than a person: the per-user limit is not what this file tests.
    env: { TG_RATE_LIMIT: '1000' },
  });
  let admin: BotChat;

  beforeAll(async () => {
    admin = await bot.onboarded('en', { userId: bot.salon.admin.tgId, firstName: 'Olga' });
  });
  afterEach(async () => {
    await bot.app.get(SettingsApi).update(SYSTEM_ACTOR, { autoConfirm: true });
  });

  const uniqueName = (base: string) => `${base}${Math.random().toString(36).slice(2, 7)}`;

  async function bookingsOf(clientId: number) {
    const { items } = await bot.app.get(BookingsApi).list(SYSTEM_ACTOR, { clientId, limit: 200 });
    return items.sort((a, b) => a.id - b.id);
  }

  /** The client books a haircut in the bot: the first free day (today) and its first free time. */
  async function clientBooks(chat: BotChat, specialist = 'Anna'): Promise<number> {
    await chat.send('📅 Book');
    await chat.press('Haircut');
    await chat.press(specialist);
    await chat.press(/^\d{1,2}$/);
    await chat.press(/^\d\d:\d\d$/);
    await chat.press('Confirm');
    const all = await bookingsOf(await bot.userIdOf(chat));
    return all[all.length - 1].id;
  }

  /** Opens a booking's card from the Bookings day list by its client's name. */
  async function openFromDay(clientName: string): Promise<void> {
    await admin.send('📅 Bookings');
    await admin.press(clientName);
    expect(admin.current().text).toMatch(/^Booking #\d+ · /);
  }

  it('Today shows the bookings made in the bot and over REST by specialist, pending and free time; a tap opens one', async () => {
    const client = await bot.onboarded('en', { firstName: uniqueName('Mia') });
    const inBot = await clientBooks(client, 'Anna');
    const { token } = await bot.app.userWithToken('admin');
    const overRest = await bot.app.request('POST', '/api/v1/bookings', {
      token,
      body: {
        locationId: bot.salon.locationId,
        serviceId: bot.salon.coloringId,
        specialistId: bot.salon.boris.id,
        // 12:00 or 13:00 in Berlin (UTC+1 in winter, UTC+2 in summer): within opening hours either way.
        startAt: new Date(MORNING + 6 * 3600_000).toISOString(),
        client: { name: 'Rita Rest', phone: '+491701112233' },
      },
    });
    expect(overRest.status).toBe(201);

    await admin.send('📊 Today');
    const today = admin.current().text;
    expect(today).toMatch(/^📊 Today at Salon Mitte, \w{3} \d{1,2} \w{3}\n/);
    expect(today).toContain('Bookings: 2 · waiting for confirmation: 0');
    expect(today).toContain('💇 Anna: 1 booked · ');
    expect(today).toContain('💇 Boris: 1 booked · ');
    // Anna: 09:00-18:00 less a one-hour haircut; Boris: less a 90-minute coloring.
    expect(today).toContain('💇 Anna: 1 booked · 8 h free');
    expect(today).toContain('💇 Boris: 1 booked · 7 h 30 min free');
    expect(today).toContain('Free time left: 15 h 30 min');
    expect(admin.buttons().filter((b) => /^🟢 \d\d:\d\d · /.test(b))).toHaveLength(2);
    expect(admin.buttons()).toContain('📅 The whole day');

    await admin.press('Rita Rest');
    expect(admin.current().text).toMatch(
      new RegExp(`^Booking #${overRest.body.id} · confirmed\\n👤 Rita Rest · \\+491701112233\\nColoring`),
    );
    await admin.press('Back');
    expect(admin.current().text).toMatch(/^📊 Today at Salon Mitte/);
    await admin.press(client.firstName);
    expect(admin.current().text).toMatch(
      new RegExp(`^Booking #${inBot} · confirmed\\n👤 ${client.firstName}`),
    );
  });

  it('books for an existing client found by name; the client is told in the bot', async () => {
    const client = await bot.onboarded('en', { firstName: uniqueName('Zoe') });
    await admin.send('📅 Bookings');
    await admin.press('Book for a client');
    expect(admin.current().text).toMatch(/^Who is the booking for\?/);
    await admin.send(client.firstName.slice(0, 6));
    expect(admin.current().text).toMatch(/^Clients matching “Zoe\w+”: 1\./);
    await admin.press(client.firstName);
    expect(admin.current().text).toMatch(new RegExp(`^👤 For: ${client.firstName}\\n\\n`));
    await admin.press('Haircut');
    await admin.press('Boris');
    await admin.press(/^\d{1,2}$/);
    await admin.press(/^\d\d:\d\d$/);
    expect(admin.current().text).toContain('Book this for the client?');
    expect(await admin.press('Confirm')).toBe('Booked. The client is told when they use the bot.');
    const [booking] = await bookingsOf(await bot.userIdOf(client));
    expect(booking).toMatchObject({ specialistId: bot.salon.boris.id, createdByRole: 'admin' });
    expect(admin.current().text).toMatch(new RegExp(`Booking #${booking.id} · `));
    await until(
      () =>
        expect(client.visible().some((m) => /^You have been booked: Haircut with Boris/.test(m.text))).toBe(
          true,
        ),
      10000,
    );
  });

  it('books for a new client by name and phone, checking what is typed', async () => {
    await admin.send('📅 Bookings');
    await admin.press('Book for a client');
    await admin.press('New client');
    expect(admin.current().text).toBe('New client: type their name (up to 120 characters).');
    await admin.send('x'.repeat(121));
    expect(admin.lastText()).toBe(
      'A name must be 1 to 120 characters long. Please type it again, or /cancel.',
    );
    const name = uniqueName('Petra');
    await admin.send(name);
    expect(admin.current().text).toBe(
      `${name}: type their phone number in international format, e.g. +491701234567.`,
    );
    await admin.send('call me');
    expect(admin.lastText()).toBe(
      'That is not a phone number in international format, e.g. +491701234567. Please type it again, or /cancel.',
    );
    const phone = `+49170${Math.floor(1e6 + Math.random() * 8e6)}`;
    await admin.send(`${phone.slice(0, 6)} ${phone.slice(6)}`);
    expect(admin.current().text).toMatch(new RegExp(`^👤 For: ${name}\\n\\n`));
    await admin.press('Haircut');
    await admin.press('Any specialist');
    await admin.press(/^\d{1,2}$/);
    await admin.press(/^\d\d:\d\d$/);
    expect(await admin.press('Confirm')).toBe('Booked. The client is told when they use the bot.');
    const [created] = (await bot.app.get(UsersApi).list(SYSTEM_ACTOR, { search: phone })).items;
    expect(created).toMatchObject({ name, phone, role: 'client', tgId: null });
    expect(await bookingsOf(created.id)).toHaveLength(1);
  });

  it('with auto-confirm off: Pending lists what waits; confirm and decline each, the client told either way', async () => {
    await bot.app.get(SettingsApi).update(SYSTEM_ACTOR, { autoConfirm: false });
    const client = await bot.onboarded('en', { firstName: uniqueName('Ida') });
    const other = await bot.onboarded('en', { firstName: uniqueName('Eva') });
    const first = await clientBooks(client, 'Anna');
    const second = await clientBooks(other, 'Boris');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, first)).status).toBe('pending');

    await admin.send('📊 Today');
    expect(admin.current().text).toMatch(/\nBookings: \d+ · waiting for confirmation: 2\n/);
    await admin.press('Waiting for confirmation (2)');
    expect(admin.current().text).toBe('Waiting for confirmation: 2. Open one to confirm or decline it.');
    await admin.send('⏳ Pending');
    expect(admin.current().text).toBe('Waiting for confirmation: 2. Open one to confirm or decline it.');
    await admin.press(new RegExp(`Anna · ${client.firstName}`));
    expect(admin.buttons()).toEqual(['✅ Confirm', '🔁 Reschedule', '✖ Decline', '⬅️ Back', '🏠 Home']);
    expect(await admin.press('Confirm')).toBe('Confirmed. The client is told.');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, first)).status).toBe('confirmed');
    await until(
      // The "received" notice of the booking may reach the chat after this one (see the README's delivery notes).
      () =>
        expect(
          client.visible().some((m) => /^Your booking is confirmed: Haircut with Anna/.test(m.text)),
        ).toBe(true),
      10000,
    );

    await admin.press('Back');
    expect(admin.buttons().some((b) => b.includes(`Anna · ${client.firstName}`))).toBe(false);
    await admin.press(new RegExp(`Boris · ${other.firstName}`));
    await admin.press('Decline');
    expect(admin.current().text).toMatch(
      /^Decline this booking\? The client will be told\.[\s\S]*To tell the client why, type the reason \(up to 500 characters\)\.$/,
    );
    await admin.send('Boris is ill today');
    expect(admin.current().text).toMatch(
      /^Decline this booking\? The client will be told, with the reason: Boris is ill today/,
    );
    expect(await admin.press('Yes, with this reason')).toBe('Declined. The client is told.');
    expect(await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, second)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Boris is ill today',
    });
    await until(
      () =>
        expect(other.lastText()).toMatch(/^Your booking was cancelled: [\s\S]*\nReason: Boris is ill today$/),
      10000,
    );
  });

  it('moves a booking through the same calendar and cancels it with a reason; the client receives each message', async () => {
    const client = await bot.onboarded('en', { firstName: uniqueName('Lea') });
    const id = await clientBooks(client, 'Anna');
    const before = await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id);
    await openFromDay(client.firstName);
    await admin.press('Reschedule');
    expect(admin.buttons()[0]).toBe('✨ Any specialist');
    await admin.press('Anna (as before)');
    await admin.press(/^\d{1,2}$/);
    await admin.press(/^\d\d:\d\d$/);
    expect(admin.current().text).toMatch(/^Move your booking to:[\s\S]*\nWas: /);
    expect(await admin.press('Confirm')).toBe('Moved. The client is told.');
    const moved = await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id);
    expect(moved.startAt).not.toBe(before.startAt);
    await until(
      () =>
        expect(client.visible().some((m) => /^Your booking was moved: Haircut with Anna/.test(m.text))).toBe(
          true,
        ),
      10000,
    );

    await admin.press('Cancel');
    await admin.send('x'.repeat(501));
    expect(admin.lastText()).toBe(
      'A reason must be 1 to 500 characters long. Please type it again, or /cancel.',
    );
    await admin.send('The salon is closed for a private event');
    expect(await admin.press('Yes, with this reason')).toBe('Cancelled. The client is told.');
    expect(admin.current().text).toMatch(/^Cancelled\. The client is told\.\n\nBooking #\d+ · cancelled/);
    expect(admin.current().text).toContain('Reason: The salon is closed for a private event');
    expect(admin.buttons()).toEqual(['⬅️ Back', '🏠 Home']);
    await until(
      () =>
        expect(
          client.visible().some((m) => /\nReason: The salon is closed for a private event$/.test(m.text)),
        ).toBe(true),
      10000,
    );
  });

  it('marks a started booking done or a no-show from its card', async () => {
    const client = await bot.onboarded('en', { firstName: uniqueName('Ava') });
    const clientId = await bot.userIdOf(client);
    const booking = await bot.app.get(BookingsApi).create(SYSTEM_ACTOR, {
      locationId: bot.salon.locationId,
      serviceId: bot.salon.haircutId,
      specialistId: bot.salon.anna.id,
      startAt: new Date(MORNING + 9 * 3600_000).toISOString(),
      clientId,
    });
    await openFromDay(client.firstName);
    expect(admin.buttons()).not.toContain('❌ No-show');
    jest.spyOn(bot.app.get(Clock), 'now').mockImplementation(() => new Date(MORNING + 9.5 * 3600_000));
    try {
      await admin.press('Back');
      await admin.press(client.firstName);
      expect(admin.buttons()).toEqual(['✔️ Done', '❌ No-show', '⬅️ Back', '🏠 Home']);
      expect(await admin.press('No-show')).toBe('Marked: the client did not come.');
      expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, booking.id)).status).toBe('no_show');
    } finally {
      jest
        .spyOn(bot.app.get(Clock), 'now')
        .mockImplementation(() => new Date(MORNING + Date.now() - started));
    }
  });

  it('finds a client by phone, shows their card with no-shows, blocks them: their bot refuses, once per window', async () => {
    const client = await bot.onboarded('en', { firstName: uniqueName('Kim') });
    const clientId = await bot.userIdOf(client);
    const phone = `+49171${Math.floor(1e6 + Math.random() * 8e6)}`;
    await bot.app.get(UsersApi).update(SYSTEM_ACTOR, clientId, { phone });
    await clientBooks(client, 'Boris');

    await admin.send('/menu');
    await admin.press('Clients');
    expect(admin.current().text).toMatch(/^Clients: \d+\.\nType a name or phone to search\.$/);
    await admin.send(phone.slice(0, 10));
    expect(admin.current().text).toMatch(/^Clients matching “\+49171\d+”: \d+\./);
    await admin.press(client.firstName);
    const card = admin.current().text;
    expect(card).toContain(`👤 ${client.firstName}\n📱 ${phone}\n🌐 English · uses the bot`);
    expect(card).toContain('Bookings: 1 · no-shows: 0');
    expect(card).toMatch(/Upcoming:\n🟢 \w{3} \d{1,2} \w{3}, \d\d:\d\d \(Berlin\) · Haircut · Boris/);
    expect(admin.buttons()).toContain('🚫 Block');

    await admin.press('Block');
    expect(admin.current().text).toMatch(/^Block Kim\w+\? They will not be able to use the bot/);
    expect(await admin.press('Yes, block')).toBe('Blocked.');
    expect(admin.current().text).toContain('🚫 Blocked: the bot refuses them.');
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, clientId)).blocked).toBe(true);

    const before = bot.fake.textsTo(client.userId).length;
    await client.send('/start');
    await client.send('/book');
    const after = bot.fake.textsTo(client.userId).slice(before);
    const notice =
      'Your account is blocked by the salon, so the bot cannot serve you. Please contact the salon.';
    expect(after).toEqual([notice]);
    // A press on an older menu is answered (its spinner stops) with the same words.
    expect(await client.pressData(MyBookings.list.encode('upcoming', 0))).toBe(notice);

    await admin.press('Unblock');
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, clientId)).blocked).toBe(false);
    await client.send('/book');
    expect(client.current().text).toBe('Salon Mitte: choose a service.');
  });

  it('speaks Russian to a Russian admin, validation messages included', async () => {
    const tgId = newTgUserId();
    await bot.app.get(UsersApi).ensureAdmin(tgId, 'Ivan');
    const ru = await bot.onboarded('ru', { userId: tgId, firstName: 'Ivan' });
    expect(ru.replyKeyboard()).toEqual(expect.arrayContaining(['📊 Сегодня', '📅 Записи', '⏳ Ожидают']));
    await ru.send('📊 Сегодня');
    expect(ru.current().text).toMatch(/^📊 Сегодня в «Salon Mitte», /);
    expect(ru.current().text).toContain('Свободного времени осталось: ');
    await ru.send('📅 Записи');
    await ru.press('Записать клиента');
    await ru.press('Новый клиент');
    await ru.send('x'.repeat(121));
    expect(ru.lastText()).toBe(
      'Имя должно быть длиной от 1 до 120 символов. Напишите его ещё раз или нажмите /cancel.',
    );
    await ru.send('Ирина');
    await ru.send('позвоните мне');
    expect(ru.lastText()).toBe(
      'Это не номер телефона в международном формате, например +79161234567. Напишите его ещё раз или нажмите /cancel.',
    );
    await ru.send('/cancel');

    await ru.send('📅 Записи');
    await ru.press(/^🟢 /);
    await ru.press('Отменить');
    await ru.send('x'.repeat(501));
    expect(ru.lastText()).toBe(
      'Причина должна быть длиной от 1 до 500 символов. Напишите её ещё раз или нажмите /cancel.',
    );
    await ru.send('⏳ Ожидают');
    expect(ru.current().text).toMatch(/^Подтверждения ничего не ждёт\.|^Ждут подтверждения: /);
    expect(ru.current().text).toContain('Автоподтверждение включено: новые записи подтверждаются сразу.');
  });

  it.each([
    ['en', 'You are not allowed to do that.'],
    ['ru', 'У вас нет прав на это действие.'],
  ] as const)('refuses forged admin buttons from a client (%s) and audits them', async (lang, refusal) => {
    const client = await bot.onboarded(lang);
    const { id } = await bot.app.get(BookingsApi).create(SYSTEM_ACTOR, {
      locationId: bot.salon.locationId,
      serviceId: bot.salon.haircutId,
      specialistId: bot.salon.boris.id,
      startAt: new Date(MORNING + (lang === 'en' ? 8 : 9) * 3600_000).toISOString(),
      clientId: await bot.userIdOf(client),
    });
    for (const data of [AdminBookings.cancel.encode(id, 'day'), Clients.block.encode(id, 'on')]) {
      expect(await client.pressData(data)).toBe(refusal);
    }
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id)).status).not.toBe('cancelled');
    const rows = await bot.app
      .get(DataSource)
      .query(`SELECT user_id, changes FROM audit_log WHERE action = 'bot.refused'`);
    const clientId = await bot.userIdOf(client);
    expect(
      rows.filter(
        (r: { user_id: number; changes: string }) =>
          Number(r.user_id) === clientId && r.changes.includes('"forbidden"'),
      ),
    ).toHaveLength(2);
  });

  // Last: a second location changes the first screens of every test above.
  it('with two locations, Today and Bookings ask which one and switch between them', async () => {
    await bot.app
      .get(LocationsApi)
      .create(SYSTEM_ACTOR, { name: 'Salon Ost', address: 'Karl-Marx-Allee 5', timeZone: 'Europe/London' });
    await admin.send('📊 Today');
    expect(admin.current().text).toBe('Today: which location?');
    expect(admin.buttons().slice(0, 2)).toEqual(['Salon Mitte', 'Salon Ost']);
    await admin.press('Salon Ost');
    expect(admin.current().text).toMatch(
      /^📊 Today at Salon Ost, \w{3} \d{1,2} \w{3}\nBookings: 0 · waiting for confirmation: 0\nFree time left: 0 min\n\nNo bookings today yet\.$/,
    );
    await admin.press('Back');
    await admin.press('Salon Mitte');
    expect(admin.current().text).toMatch(/^📊 Today at Salon Mitte[\s\S]*💇 Anna: \d+ booked/);

    await admin.send('📅 Bookings');
    expect(admin.current().text).toMatch(/^📅 Salon Mitte, /);
    await admin.press('📍 Location');
    await admin.press('Salon Ost');
    expect(admin.current().text).toMatch(
      /^📅 Salon Ost, \w{3} \d{1,2} \w{3} · all specialists\nNo bookings on this day\.$/,
    );
    await admin.press('»');
    expect(admin.current().text).toMatch(/^📅 Salon Ost, /);
  });
});
