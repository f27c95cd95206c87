import { DataSource } from 'typeorm';
import type { Update } from 'telegraf/types';
import { BookingsApi, SettingsApi, UsersApi } from '../../src/booking/api';
import { BookingAlarms } from '../../src/booking/bookings/booking-alarms';
import { BotUpdates, TgUserContext } from '../../src/bot/api';
import { MyBookings } from '../../src/bot/ui/routes';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { BotChat } from '../support/bot-chat';
import { botSuite } from '../support/bot-suite';
import { newUpdateId } from '../support/telegram-updates';
import { until } from '../support/until';
import { sql } from '../support/test-database';

const DAY_MS = 24 * 3600_000;

describe('the bot: a client manages bookings', () => {
  const bot = botSuite('bot-client-manage', { salon: true, clockShift: 0 });
  afterEach(async () => {
    await bot.app.get(SettingsApi).update(SYSTEM_ACTOR, { cancellationCutoffMin: 120 });
  });

  async function bookHaircut(chat: BotChat, specialist = 'Anna'): Promise<number> {
    await chat.send('📅 Book');
    await chat.press('Haircut');
    await chat.press(specialist);
    await chat.press(/^\d{1,2}$/);
    await chat.press(/^\d\d:\d\d$/);
    expect(await chat.press('Confirm')).toBe('✅ Booked! See you then.');
    return (await latestBookingOf(chat)).id;
  }

  /** A booked client who has chosen to move it with the same specialist and picked the first free day. */
  async function movingToADay() {
    const chat = await bot.onboarded();
    const id = await bookHaircut(chat);
    const before = await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id);
    await chat.send('🗓 My bookings');
    await chat.press('Haircut');
    await chat.press('Reschedule');
    await chat.press('Anna (as before)');
    await chat.press(/^\d{1,2}$/);
    return { chat, id, before };
  }

  /** Another client books the haircut at the time the chat's card is about to confirm (its data ends: specialist, start quarter). */
  async function anotherTakes(chat: BotChat): Promise<void> {
    const confirm = chat
      .current()
      .inline.flat()
      .find((b) => b.text.includes('Confirm')) as { callback_data: string };
    const [spec, quarter] = confirm.callback_data.split(':').slice(-2);
    const other = await bot.onboarded();
    await bot.app.get(BookingsApi).create(SYSTEM_ACTOR, {
      locationId: bot.salon.locationId,
      serviceId: bot.salon.haircutId,
      specialistId: parseInt(spec, 36),
      startAt: new Date(parseInt(quarter, 36) * 900_000).toISOString(),
      clientId: await bot.userIdOf(other),
    });
  }

  async function latestBookingOf(chat: BotChat) {
    const { items } = await bot.app
      .get(BookingsApi)
      .list(SYSTEM_ACTOR, { clientId: await bot.userIdOf(chat), limit: 200 });
    return items.sort((a, b) => a.id - b.id)[items.length - 1];
  }

  it('lists upcoming bookings; cancel asks first, then cancels and the specialist is told', async () => {
    const chat = await bot.onboarded();
    const id = await bookHaircut(chat);
    await chat.send('🗓 My bookings');
    expect(chat.current().text).toBe('Your upcoming bookings:');
    await chat.press('Haircut');
    expect(chat.buttons()).toEqual(['🔁 Reschedule', '✖ Cancel', '⬅️ Back', '🏠 Home']);
    await chat.press('Cancel');
    expect(chat.current().text).toMatch(/^Cancel this booking\?/);
    await chat.press('No, keep it');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id)).status).toBe('confirmed');
    await chat.press('Cancel');
    expect(await chat.press('Yes, cancel')).toBe('The booking is cancelled.');
    expect(chat.current().text).toContain('Status: cancelled');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id)).status).toBe('cancelled');
    await until(
      () => expect(bot.fake.textsTo(bot.salon.anna.tgId).some((x) => /cancel|отмен/i.test(x))).toBe(true),
      10000,
    );
  });

  it('refuses to cancel after the cutoff and says until when it was possible', async () => {
    const chat = await bot.onboarded();
    const id = await bookHaircut(chat);
    await bot.app.get(SettingsApi).update(SYSTEM_ACTOR, { cancellationCutoffMin: 10080 });
    await chat.send('🗓 My bookings');
    await chat.press('Haircut');
    await chat.press('Cancel');
    const refusal = await chat.press('Yes, cancel');
    expect(refusal).toMatch(
      /^It is too late to cancel online: that was possible until \w{3} \d{1,2} \w{3}, \d\d:\d\d \(Berlin\)\. Please contact the salon\.$/,
    );
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id)).status).toBe('confirmed');
  });

  it('reschedules through the same calendar, keeping the specialist', async () => {
    const chat = await bot.onboarded();
    const id = await bookHaircut(chat);
    const before = await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id);
    await chat.send('🗓 My bookings');
    await chat.press('Haircut');
    await chat.press('Reschedule');
    expect(chat.buttons()[0]).toBe('👤 Anna (as before)');
    await chat.press('Anna (as before)');
    await chat.press(/^\d{1,2}$/);
    await chat.press(/^\d\d:\d\d$/);
    expect(chat.current().text).toMatch(/^Move your booking to:[\s\S]*\nWas: /);
    expect(await chat.press('Confirm')).toBe('✅ Your booking has been moved.');
    const after = await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id);
    expect(after.startAt).not.toBe(before.startAt);
    expect(after).toMatchObject({ status: 'confirmed', specialistId: bot.salon.anna.id });
  });

  it('"Book again" on a past booking starts with its service and specialist', async () => {
    const chat = await bot.onboarded();
    const id = await bookHaircut(chat, 'Boris');
    bot.shift = 3 * DAY_MS;
    await chat.send('🗓 My bookings');
    await chat.press('Past bookings');
    await chat.press('Haircut');
    await chat.press('Book again');
    expect(chat.current().text).toMatch(/^Haircut · Boris/);
    await chat.press(/^\d{1,2}$/);
    await chat.press(/^\d\d:\d\d$/);
    expect(await chat.press('Confirm')).toBe('✅ Booked! See you then.');
    const again = await latestBookingOf(chat);
    expect(again.id).not.toBe(id);
    expect(again).toMatchObject({ serviceId: bot.salon.haircutId, specialistId: bot.salon.boris.id });
  });

  it("the reminder's buttons work from the reminder itself: I'll come, Reschedule, Cancel", async () => {
    const chat = await bot.onboarded();
    const clientId = await bot.userIdOf(chat);
    const startAt = new Date(
      Math.ceil((Date.now() + 3 * DAY_MS) / DAY_MS) * DAY_MS + 9 * 3600_000,
    ).toISOString();
    const booking = await bot.app.get(BookingsApi).create(SYSTEM_ACTOR, {
      locationId: bot.salon.locationId,
      serviceId: bot.salon.haircutId,
      specialistId: bot.salon.anna.id,
      startAt,
      clientId,
    });
    bot.shift = new Date(startAt).getTime() - Date.now() - 23 * 3600_000;
    expect(await bot.app.get(BookingAlarms).checkReminders()).toBe(1);
    await until(() => expect(chat.visible().some((m) => m.text.startsWith('Reminder:'))).toBe(true), 10000);
    const reminder = chat.visible().find((m) => m.text.startsWith('Reminder:'))!;
    expect(reminder.inline.flat().map((b) => b.text)).toEqual(["I'll come", 'Reschedule', 'Cancel']);

    expect(await chat.press("I'll come")).toBe('Thank you, see you!');
    expect(chat.messages().find((m) => m.id === reminder.id)!.text).toMatch(/\n\n✅ You will come\.$/);

    await chat.pressData(
      (reminder.inline[1][0] as { callback_data: string }).callback_data,
      reminder.id,
      reminder.text,
    );
    expect(chat.current().text).toBe('Haircut: with whom?');

    await chat.pressData(
      (reminder.inline[1][1] as { callback_data: string }).callback_data,
      reminder.id,
      reminder.text,
    );
    expect(chat.current().text).toMatch(/^Cancel this booking\?/);
    expect(await chat.press('Yes, cancel')).toBe('The booking is cancelled.');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, booking.id)).status).toBe('cancelled');
  });

  it('a language switch changes the menus at once, and the next update is answered in the new language', async () => {
    const chat = await bot.onboarded('en');
    await chat.send('👤 Profile');
    expect(chat.current().text).toContain('🌐 English');
    await chat.press('Language');
    expect(await chat.press('Русский')).toBe('Русский');
    expect(chat.replyKeyboard()).toEqual(['📅 Записаться', '🗓 Мои записи', '👤 Профиль', '❓ Помощь']);
    expect(chat.current().text).toContain('🌐 Русский');
    await chat.send('/help');
    expect(chat.lastText()).toMatch(/^Я записываю в салон\./);
    expect((await bot.app.get(UsersApi).get(SYSTEM_ACTOR, await bot.userIdOf(chat))).language).toBe('ru');
  });

  it('refuses to reschedule after the cutoff and says until when it was possible', async () => {
    const { chat, id, before } = await movingToADay();
    await chat.press(/^\d\d:\d\d$/);
    await bot.app.get(SettingsApi).update(SYSTEM_ACTOR, { cancellationCutoffMin: 10080 });
    expect(await chat.press('Confirm')).toMatch(
      /^It is too late to reschedule online: that was possible until \w{3} \d{1,2} \w{3}, \d\d:\d\d \(Berlin\)\. Please contact the salon\.$/,
    );
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id)).startAt).toBe(before.startAt);
  });

  it('a time taken while moving shows the fresh times and keeps the booking where it was', async () => {
    const { chat, id, before } = await movingToADay();
    const firstTime = chat.buttons().find((b) => /^\d\d:\d\d$/.test(b))!;
    await chat.press(firstTime);
    expect(chat.current().text).toMatch(/^Move your booking to:[\s\S]*\nWas: /);
    await anotherTakes(chat);
    expect(await chat.press('Confirm')).toBe('That time was just taken. Here are the free times now.');
    expect(chat.current().text).toMatch(/^That time was just taken\. Here are the free times now\./);
    expect(chat.buttons()).not.toContain(firstTime);
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id)).startAt).toBe(before.startAt);
  });

  it('a slot taken between the times screen and the confirmation shows the fresh times', async () => {
    const chat = await bot.onboarded();
    await chat.send('📅 Book');
    await chat.press('Haircut');
    await chat.press('Anna');
    await chat.press(/^\d{1,2}$/);
    const firstTime = chat.buttons().find((b) => /^\d\d:\d\d$/.test(b))!;
    await chat.press(firstTime);
    // Someone else takes that very time first.
    await anotherTakes(chat);
    expect(await chat.press('Confirm')).toBe('That time was just taken. Here are the free times now.');
    expect(chat.current().text).toMatch(/^That time was just taken\. Here are the free times now\./);
    expect(chat.buttons()).not.toContain(firstTime);
  });

  it('a stale button says the menu expired and shows the current one; nothing else happens', async () => {
    const chat = await bot.onboarded();
    await chat.send('📅 Book');
    const old = chat.current();
    await chat.send('🗓 My bookings');
    const current = chat.current();
    expect(chat.messages().find((m) => m.id === old.id)!.deleted).toBe(true);
    const haircut = old.inline.flat().find((b) => b.text.startsWith('Haircut'))!;
    expect(await chat.pressData((haircut as { callback_data: string }).callback_data, old.id, old.text)).toBe(
      'This menu has expired. Here is the current one.',
    );
    expect(chat.current().text).toBe(current.text);
    expect(chat.current().id).not.toBe(current.id);
  });

  it("a forged button for another client's booking is refused, changes nothing and is audited", async () => {
    const victim = await bot.onboarded();
    const id = await bookHaircut(victim);
    const attacker = await bot.onboarded('ru');
    await attacker.send('🗓 Мои записи');
    const answer = await attacker.pressData(MyBookings.cancel.encode(id));
    expect(answer).toBe('Не найдено: возможно, удалено или принадлежит не вам.');
    expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, id)).status).toBe('confirmed');
    const rows = await sql(
      bot.app.get(DataSource),
      `SELECT user_id, action, changes FROM audit_log WHERE action = 'bot.refused'`,
    );
    const attackerId = await bot.userIdOf(attacker);
    expect(
      rows.some(
        (r: { user_id: number; changes: string }) =>
          Number(r.user_id) === attackerId && r.changes.includes('"not_found"'),
      ),
    ).toBe(true);
    // Data no route knows is a stale menu, not a crash.
    expect(await attacker.pressData('zz:1:2')).toBe('Это меню устарело. Вот актуальное.');
  });

  it('a replayed update (the journal replays what was in flight at a crash) books once', async () => {
    const chat = await bot.onboarded();
    await chat.send('📅 Book');
    await chat.press('Haircut');
    await chat.press('Anna');
    await chat.press(/^\d{1,2}$/);
    await chat.press(/^\d\d:\d\d$/);
    const card = chat.current();
    const confirm = card.inline.flat().find((b) => b.text.includes('Confirm')) as { callback_data: string };
    const handled: { update: Update; ctx: TgUserContext }[] = [];
    const updates = bot.app.get(BotUpdates);
    const handle = updates.handle as jest.Mock;
    handle.mock.calls.length = 0;
    const updateId = newUpdateId();
    await chat.pressData(confirm.callback_data, card.id, card.text, updateId);
    const [update, ctx] = handle.mock.calls.find(([u]) => u.update_id === updateId)!;
    handled.push({ update, ctx });
    const before = (
      await bot.app.get(BookingsApi).list(SYSTEM_ACTOR, { clientId: await bot.userIdOf(chat), limit: 200 })
    ).total;
    // The same update once more, as a replay after a crash would hand it to the bot.
    await updates.handle(update, ctx);
    const after = (
      await bot.app.get(BookingsApi).list(SYSTEM_ACTOR, { clientId: await bot.userIdOf(chat), limit: 200 })
    ).total;
    expect(before).toBe(1);
    expect(after).toBe(1);
    expect(chat.current().text).toMatch(/^✅ Booked!/);
  });
});
