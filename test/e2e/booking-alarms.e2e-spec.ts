import { NotificationButtons } from '../../src/bot/api';
import type { Update } from 'telegraf/types';
import { BookingsApi, UsersApi } from '../../src/booking/api';
import { BookingAlarms } from '../../src/booking/bookings/booking-alarms';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { OutboxRelay } from '../../src/notifications/delivery/outbox-relay';
import { bookOver, clientWithToken, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { FakeTelegramApi, RecordedCall } from '../support/fake-telegram-api';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';
import { newUpdateId } from '../support/telegram-updates';

const TOKEN = '123456:TEST-token_ABCDEFGHIJKLMNOP';
const SECRET = 'completion-secret';
const BOOKED_AT = new Date('2026-03-20T09:00:00Z');
const AT_10 = '2026-03-23T09:00:00.000Z'; // 60 min: over at 10:00Z
const AFTER = new Date('2026-03-23T10:05:00Z');

describe('completion checker: the admin is asked once whether a visit happened, and answers with a button', () => {
  let fake: FakeTelegramApi;
  let t: TestApp;
  let now = BOOKED_AT;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    t = await TestApp.start({
      BOT_TOKEN: TOKEN,
      PUBLIC_URL: 'https://salon.example.com/',
      TG_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    jest.spyOn(t.get(Clock), 'now').mockImplementation(() => now);
    await setBusinessSettings(t, {
      autoConfirm: true,
      cancellationCutoffMin: 120,
      minNoticeMin: 60,
      horizonDays: 60,
    });
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });

  const question = (chatId: number) => (c: RecordedCall) =>
    c.method === 'sendMessage' && Number(c.params.chat_id) === chatId && c.params.reply_markup !== undefined;

  const press = (adminTgId: number, call: RecordedCall, data: string) =>
    t.request('POST', '/tg/webhook', {
      headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
      payload: JSON.stringify({
        update_id: newUpdateId(),
        callback_query: {
          id: String(newUpdateId()),
          from: { id: adminTgId, is_bot: false, first_name: 'Olga', language_code: 'en' },
          chat_instance: '1',
          data,
          message: {
            message_id: 77,
            date: Math.floor(Date.now() / 1000),
            chat: { id: adminTgId, type: 'private' },
            text: call.params.text,
          },
        },
      } as unknown as Update),
    });

  it('asks once per booking after its end, and "Yes" marks it done and edits the question', async () => {
    now = BOOKED_AT;
    const admin = await t.userWithToken('admin', 'Olga Admin');
    await t.get(UsersApi).update(SYSTEM_ACTOR, admin.id, { language: 'en' });
    const adminTg = (await t.get(UsersApi).get(SYSTEM_ACTOR, admin.id)).tgId!;
    const salon = await seedSalon(t, { specialists: 1 });
    const client = await clientWithToken(t);
    const booked = await bookOver(t, salon, client.token, AT_10);
    expect(booked.status).toBe(201);
    const alarms = t.get(BookingAlarms);

    expect(await alarms.checkCompletions()).toBe(0); // not over yet
    now = AFTER;
    expect(await alarms.checkCompletions()).toBe(1);
    expect(await alarms.checkCompletions()).toBe(0); // bkdone:sent:{id} holds it for 24 h
    await t.get(OutboxRelay).relay();

    const asked = await fake.waitFor(question(adminTg));
    expect(asked.params.text).toMatch(
      /^Did the visit happen\? client \w+, Cut 60 with specialist \w+, Mon 23 March at 10:00, Salon \w+\.$/,
    );
    expect(asked.params.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Yes, done', callback_data: NotificationButtons.completion.encode(booked.body.id, 'done') },
          {
            text: 'No, a no-show',
            callback_data: NotificationButtons.completion.encode(booked.body.id, 'no_show'),
          },
        ],
      ],
    });

    expect(
      (await press(adminTg, asked, NotificationButtons.completion.encode(booked.body.id, 'done'))).status,
    ).toBe(200);
    const edited = await fake.waitFor(
      (c) => c.method === 'editMessageText' && Number(c.params.chat_id) === adminTg,
    );
    expect(
      edited.params.text.startsWith(`${asked.params.text}\n\nMarked: the visit happened.\nAnswered by `),
    ).toBe(true);
    expect(fake.callsOf('answerCallbackQuery').at(-1)?.params.text).toBe('Marked: the visit happened.');
    expect((await t.get(BookingsApi).get(SYSTEM_ACTOR, booked.body.id)).status).toBe('done');

    // A second press (another admin's, or a double tap) changes nothing and says why.
    fake.reset();
    await press(adminTg, asked, NotificationButtons.completion.encode(booked.body.id, 'no_show'));
    await until(() => expect(fake.callsOf('answerCallbackQuery')).toHaveLength(1));
    const [refused] = fake.callsOf('answerCallbackQuery');
    expect(refused.params.text).toMatch(/^Already answered by .+: Marked: the visit happened\.$/);
    expect((await t.get(BookingsApi).get(SYSTEM_ACTOR, booked.body.id)).status).toBe('done');
  });

  it('a client pressing a forged button cannot mark a booking', async () => {
    now = BOOKED_AT;
    const salon = await seedSalon(t, { specialists: 1 });
    const client = await clientWithToken(t);
    const booked = await bookOver(t, salon, client.token, AT_10);
    now = AFTER;
    const clientTg = (await t.get(UsersApi).get(SYSTEM_ACTOR, client.id)).tgId!;
    fake.reset();

    await press(
      clientTg,
      { params: { text: 'forged' } } as unknown as RecordedCall,
      NotificationButtons.completion.encode(booked.body.id, 'done'),
    );

    await until(() => expect(fake.callsOf('answerCallbackQuery')).toHaveLength(1));
    const [refused] = fake.callsOf('answerCallbackQuery');
    expect(refused.params.text).toMatch(/^(Не найдено|У вас нет прав)/);
    expect((await t.get(BookingsApi).get(SYSTEM_ACTOR, booked.body.id)).status).toBe('confirmed');
  });

  it('reminds the client once, 24 h ahead, but not of a visit booked inside those 24 h', async () => {
    now = BOOKED_AT;
    const salon = await seedSalon(t, { specialists: 1 });
    const early = await clientWithToken(t);
    const late = await clientWithToken(t);
    const book = (token: string, startAt: string) => bookOver(t, salon, token, startAt);
    expect((await book(early.token, AT_10)).status).toBe(201);
    const alarms = t.get(BookingAlarms);

    now = new Date('2026-03-22T08:00:00Z'); // 25 h before
    expect(await alarms.checkReminders()).toBe(0);
    now = new Date('2026-03-22T09:30:00Z'); // 23.5 h before; the late client books 22.5 h ahead
    expect((await book(late.token, '2026-03-23T08:00:00.000Z')).status).toBe(201);
    // This one, and the one of the forged-button test (same slot, still confirmed).
    expect(await alarms.checkReminders()).toBe(2);
    expect(await alarms.checkReminders()).toBe(0);
    await t.get(OutboxRelay).relay();

    const earlyTg = (await t.get(UsersApi).get(SYSTEM_ACTOR, early.id)).tgId!;
    const reminder = await fake.waitFor(
      (c) =>
        c.method === 'sendMessage' &&
        Number(c.params.chat_id) === earlyTg &&
        /^Напоминаем/.test(String(c.params.text)),
    );
    expect(reminder.params.text).toMatch(
      /^Напоминаем о записи: Cut 60, мастер specialist \w+, пн, 23 марта в 10:00, Salon \w+\.$/,
    );
    const lateTg = (await t.get(UsersApi).get(SYSTEM_ACTOR, late.id)).tgId!;
    expect(fake.textsTo(earlyTg).filter((text) => text.startsWith('Напоминаем'))).toHaveLength(1);
    expect(fake.textsTo(lateTg).filter((text) => text.startsWith('Напоминаем'))).toEqual([]);
  });
});
