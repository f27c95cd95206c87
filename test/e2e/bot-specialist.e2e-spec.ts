import { DateTime } from 'luxon';
import { BookingsApi, SchedulesApi } from '../../src/booking/api';
import { MyDay } from '../../src/bot/flows/specialist/my-day/my-day.routes';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { tokenFor } from '../support/booking-fixtures';
import { BotChat } from '../support/bot-chat';
import { botSuite } from '../support/bot-suite';
import { botRefusals } from '../support/catalog';
import { until } from '../support/until';

const ZONE = 'Europe/Berlin';

describe('the bot: a specialist works through a day', () => {
  const bot = botSuite('bot-specialist', { salon: true, clockShift: 0 });

  /** A booking the client makes with the specialist, days ahead at a Berlin wall-clock time. */
  async function book(client: BotChat, specialistId: number, daysAhead: number, hour: number) {
    const clientId = await bot.userIdOf(client);
    const startAt = DateTime.now().setZone(ZONE).startOf('day').plus({ days: daysAhead, hours: hour });
    return bot.app.get(BookingsApi).create(
      { userId: clientId, role: 'client', clientType: 'internal' },
      {
        locationId: bot.salon.locationId,
        serviceId: bot.salon.haircutId,
        specialistId,
        startAt: startAt.toUTC().toISO()!,
      },
    );
  }

  /** The app's clock at a Berlin wall-clock time, days ahead. */
  function clockAt(daysAhead: number, hour: number, minute = 0): void {
    const at = DateTime.now()
      .setZone(ZONE)
      .startOf('day')
      .plus({ days: daysAhead, hours: hour, minutes: minute });
    bot.shift = at.toMillis() - Date.now();
  }

  it('shows the day by period with client and phone, marks Done / No-show once started, cancels with a reason the client receives', async () => {
    const vera = await bot.onboarded('en', { firstName: 'Vera' });
    await vera.shareContact('+491701112233');
    const ivan = await bot.onboarded('en', { firstName: 'Ivan' });
    const lena = await bot.onboarded('ru', { firstName: 'Лена' });
    const first = await book(vera, bot.salon.anna.id, 2, 10);
    const second = await book(ivan, bot.salon.anna.id, 2, 11);
    const third = await book(lena, bot.salon.anna.id, 2, 15);

    const anna = await bot.onboarded('en', { userId: bot.salon.anna.tgId });
    // Her own sections first, then the client's: she may book elsewhere too.
    expect(anna.replyKeyboard()?.slice(0, 4)).toEqual([
      '📋 My day',
      '🕘 My hours',
      '📅 Book',
      '🗓 My bookings',
    ]);

    clockAt(1, 8);
    await anna.send('📋 My day');
    expect(anna.current().text).toBe('📋 Your bookings: Today\n\nNo bookings today.');
    await anna.press('Tomorrow');
    expect(anna.current().text).toBe(
      [
        '📋 Your bookings: Tomorrow',
        '',
        '✅ 10:00 Haircut · Vera, +491701112233 (confirmed)',
        '✅ 11:00 Haircut · Ivan (confirmed)',
        '✅ 15:00 Haircut · Лена (confirmed)',
      ].join('\n'),
    );
    expect(anna.buttons()).toEqual([
      'Today',
      '• Tomorrow',
      '7 days',
      '10:00 · Haircut · Vera',
      '11:00 · Haircut · Ivan',
      '15:00 · Haircut · Лена',
      '🏠 Home',
    ]);
    await anna.press('10:00 · Haircut');
    expect(anna.current().text).toContain('👤 Vera\n📱 +491701112233');
    // Not started yet: no Done / No-show.
    expect(anna.buttons()).toEqual(['✖ Cancel', '⬅️ Back', '🏠 Home']);

    clockAt(2, 11, 30);
    await anna.send('📋 My day');
    await anna.press('10:00 · Haircut');
    expect(anna.buttons()).toEqual(['✅ Done', '🚫 No-show', '✖ Cancel', '⬅️ Back', '🏠 Home']);
    expect(await anna.press('Done')).toBe('Marked: the visit took place.');
    expect(anna.current().text).toContain('Status: visited');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, first.id)).status).toBe('done');
    await anna.press('Back');
    await anna.press('11:00 · Haircut');
    expect(await anna.press('No-show')).toBe('Marked: the client did not come.');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, second.id)).status).toBe('no_show');
    await anna.press('Back');
    expect(anna.current().text).toContain('🚫 11:00 Haircut · Ivan (missed)');

    await anna.press('15:00 · Haircut');
    expect(anna.buttons()).toEqual(['✖ Cancel', '⬅️ Back', '🏠 Home']);
    await anna.press('Cancel');
    expect(anna.current().text).toMatch(/^Cancel this booking\? The client will be told, with your reason\./);
    await anna.press('No, keep it');
    expect(anna.current().text).toContain('Status: confirmed');
    await anna.press('Cancel');
    await anna.press('Yes, cancel');
    expect(anna.current().text).toMatch(
      /^Cancelling the booking of Лена on .+ 15:00 \(Berlin\)\.\nType the reason/,
    );
    await anna.send('x'.repeat(501));
    expect(anna.lastText()).toBe(
      'The reason must be 1 to 500 characters long. Please type it again, or /cancel.',
    );
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, third.id)).status).toBe('confirmed');
    await anna.send('I am ill, sorry');
    expect(anna.current().text).toMatch(/^The booking is cancelled; the client has been told the reason\./);
    expect(anna.current().text).toContain('Status: cancelled\nReason: I am ill, sorry');
    expect(await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, third.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: 'I am ill, sorry',
    });
    await until(
      () =>
        expect(bot.fake.textsTo(lena.userId)).toContainEqual(
          expect.stringMatching(/^Ваша запись отменена: Haircut, мастер Anna, .*\nПричина: I am ill, sorry$/),
        ),
      10000,
    );
  });

  it('speaks Russian: the day, the card and the reason prompt and its validation', async () => {
    const client = await bot.onboarded('en', { firstName: 'Mark' });
    const booking = await book(client, bot.salon.boris.id, 3, 12);
    const boris = await bot.onboarded('ru', { userId: bot.salon.boris.tgId });
    expect(boris.replyKeyboard()?.slice(0, 2)).toEqual(['📋 Мой день', '🕘 Мои часы']);
    clockAt(3, 9);
    await boris.send('📋 Мой день');
    expect(boris.current().text).toBe('📋 Ваши записи: Сегодня\n\n✅ 12:00 Haircut · Mark (подтверждена)');
    await boris.press('7 дней');
    expect(boris.current().text).toMatch(/^📋 Ваши записи: 7 дней\n\n✅ \S+ \d+ \S+ 12:00 Haircut · Mark/);
    await boris.press('12:00 · Haircut');
    expect(boris.current().text).toContain('👤 Mark\n📱 нет телефона');
    await boris.press('Отменить');
    expect(boris.current().text).toMatch(
      /^Отменить эту запись\? Клиент получит уведомление с вашей причиной\./,
    );
    await boris.press('Да, отменить');
    expect(boris.current().text).toMatch(/^Отмена записи: Mark, .+\nНапишите причину/);
    await boris.send('   ');
    expect(boris.lastText()).toBe(
      'Причина должна быть длиной от 1 до 500 символов. Напишите её ещё раз или /cancel.',
    );
    // /cancel leaves the prompt: what is typed next cancels nothing.
    await boris.send('/cancel');
    await boris.send('Болею');
    expect(boris.lastText()).toBe('Главное меню. Что вы хотите сделать?');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, booking.id)).status).toBe('confirmed');
  });

  it('a specialist who books as a client keeps the client menu: books, sees and cancels their own visit', async () => {
    const boris = bot.chat({ userId: bot.salon.boris.tgId });
    await boris.send('/menu');
    await boris.send('📅 Записаться');
    await boris.press('Haircut');
    await boris.press('Anna');
    await boris.press(/^\d{1,2}$/);
    await boris.press(/^\d\d:\d\d$/);
    expect(await boris.press('Подтвердить')).toMatch(/^✅/);
    const { items } = await bot.app
      .get(BookingsApi)
      .list(SYSTEM_ACTOR, { clientId: bot.salon.boris.userId, limit: 200 });
    expect(items).toEqual([
      expect.objectContaining({ specialistId: bot.salon.anna.id, status: 'confirmed' }),
    ]);
    await boris.send('🗓 Мои записи');
    expect(boris.current().text).toBe('Ваши предстоящие записи:');
    await boris.press('Haircut');
    await boris.press('Отменить');
    await boris.press('Да, отменить');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, items[0].id)).status).toBe('cancelled');
    // His own day is untouched by his visit elsewhere.
    await boris.send('📋 Мой день');
    expect(boris.current().text).not.toContain('Boris');
    // Nobody books a visit with themselves.
    await expect(
      bot.app.get(BookingsApi).create(
        { userId: bot.salon.boris.userId, role: 'client', clientType: 'internal' },
        {
          locationId: bot.salon.locationId,
          serviceId: bot.salon.haircutId,
          specialistId: bot.salon.boris.id,
          startAt: items[0].startAt,
        },
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('My hours shows the week per location and the coming exceptions, read only', async () => {
    const schedules = bot.app.get(SchedulesApi);
    const date = DateTime.now().setZone(ZONE).plus({ days: 5 }).toISODate()!;
    const closed = DateTime.now().setZone(ZONE).plus({ days: 6 }).toISODate()!;
    await schedules.createException(SYSTEM_ACTOR, {
      locationId: bot.salon.locationId,
      specialistId: bot.salon.anna.id,
      date,
      kind: 'custom_hours',
      startMin: 600,
      endMin: 840,
    });
    await schedules.createException(SYSTEM_ACTOR, {
      locationId: bot.salon.locationId,
      date: closed,
      kind: 'day_off',
      reason: 'Holiday',
    });
    const anna = bot.chat({ userId: bot.salon.anna.tgId });
    await anna.send('🕘 My hours');
    const text = anna.current().text;
    expect(text).toMatch(/^🕘 Your working hours\n\n📍 Salon Mitte\nMo {2}09:00–18:00\nTu {2}09:00–18:00\n/);
    expect(text).toContain('Su  09:00–18:00\n\nComing exceptions:\n');
    expect(text).toMatch(/: hours 10:00–14:00, Salon Mitte\n/);
    expect(text).toMatch(/: the location is closed, Salon Mitte \(Holiday\)\n/);
    expect(text).toMatch(/The salon's admin changes these hours\.$/);
    expect(anna.buttons()).toEqual(['🏠 Home']);
  });

  it('refuses a client who forges a specialist button, localized, and audits it', async () => {
    const client = await bot.onboarded('ru', { firstName: 'Fake' });
    const victim = await book(client, bot.salon.anna.id, 4, 16);
    expect(await client.pressData(MyDay.card.encode(victim.id, 'today'))).toBe(
      'У вас нет прав на это действие.',
    );
    expect(await client.pressData(MyDay.cancelReason.encode(victim.id, 'today'))).toBe(
      'У вас нет прав на это действие.',
    );
    expect(await botRefusals(bot.app, await bot.userIdOf(client))).toEqual([
      expect.objectContaining({
        changes: expect.objectContaining({ code: 'forbidden', data: MyDay.card.encode(victim.id, 'today') }),
      }),
      expect.objectContaining({ changes: expect.objectContaining({ code: 'forbidden' }) }),
    ]);
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, victim.id)).status).toBe('confirmed');
  });

  it('a specialist reads the clients booked with them over REST, and nobody else', async () => {
    const client = await bot.onboarded('en', { firstName: 'Olaf' });
    const stranger = await bot.onboarded('en', { firstName: 'Stranger' });
    await book(client, bot.salon.anna.id, 5, 10);
    const token = await tokenFor(bot.app, bot.salon.anna.userId);
    const seen = await bot.app.request('GET', `/api/v1/users/${await bot.userIdOf(client)}`, { token });
    expect(seen.status).toBe(200);
    expect(seen.body.name).toBe('Olaf');
    const other = await bot.app.request('GET', `/api/v1/users/${await bot.userIdOf(stranger)}`, { token });
    expect(other.status).toBe(404);
  });
});
