import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { BookingsApi, LocationsApi, SchedulesApi, SpecialistsApi, UsersApi } from '../../src/booking/api';
import { BookingAlarms } from '../../src/booking/bookings/booking-alarms';
import { NotificationButtons } from '../../src/bot/api';
import { Notifications } from '../../src/bot/flows/admin/notifications/notifications.routes';
import { Report } from '../../src/bot/flows/admin/report/report.routes';
import { money } from '../../src/bot/ui/format';
import { Actor, SYSTEM_ACTOR } from '../../src/common/actor';
import { AdTemplatesApi, NotificationSettingsApi } from '../../src/notifications/api';
import { BotChat, BotProcessing } from '../support/bot-chat';
import { botSuite } from '../support/bot-suite';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { newTgUserId } from '../support/telegram-updates';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

const TOKEN = '123456:BOT-admin-ops_ABCDEFGHIJKLM';
const SECRET = 'bot-admin-ops';
const DAY_MS = 24 * 3600_000;

/** A UTC instant `days` from today at hh:mm UTC. */
const at = (days: number, hh: number, mm = 0) =>
  new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + days * DAY_MS + (hh * 60 + mm) * 60_000).toISOString();

describe('the bot: the admin runs notifications, ads, broadcasts, the completion card, audit and reports', () => {
  const bot = botSuite('bot-admin-ops', { salon: true, clockShift: 0 });
  let admin: Actor;

  beforeAll(() => {
    admin = { userId: bot.salon.admin.userId, role: 'admin', clientType: 'internal' };
  });

  /** A new admin's chat after the first /start in the language. */
  async function adminChat(lang: 'en' | 'ru' = 'en', name = 'Olga'): Promise<BotChat> {
    const tgId = newTgUserId();
    await bot.app.get(UsersApi).ensureAdmin(tgId, name);
    return bot.onboarded(lang, { userId: tgId });
  }

  async function newClient(name: string, language: 'en' | 'ru' = 'en') {
    return bot.app
      .get(UsersApi)
      .create(SYSTEM_ACTOR, { name, role: 'client', tgId: newTgUserId(), language });
  }

  function book(
    clientId: number,
    startAt: string,
    specialistId = bot.salon.anna.id,
    serviceId = bot.salon.haircutId,
  ) {
    return bot.app
      .get(BookingsApi)
      .create(SYSTEM_ACTOR, { locationId: bot.salon.locationId, serviceId, specialistId, startAt, clientId });
  }

  describe('notifications', () => {
    afterEach(async () => {
      const settings = bot.app.get(NotificationSettingsApi);
      for (const s of (await settings.list(SYSTEM_ACTOR, { limit: 200 })).items)
        await settings.remove(SYSTEM_ACTOR, s.id);
    });

    it('shows the matrix as toggles with their state; a toggle decides whether the next event is sent', async () => {
      const chat = await adminChat();
      await chat.press('🔔 Notifications');
      await chat.press('Booking cancelled');
      expect(chat.current().text).toContain('✅ Clients · Telegram — ad: no ad');
      expect(chat.buttons()).toContain('✅ Clients · Telegram');
      expect(await chat.press('✅ Clients · Telegram')).toBe('Switched off');
      expect(chat.buttons()).toContain('⬜ Clients · Telegram');
      expect(chat.current().text).toContain('⬜ Clients · Telegram — ad: no ad');
      const { items } = await bot.app
        .get(NotificationSettingsApi)
        .list(SYSTEM_ACTOR, { eventType: 'booking_cancelled' });
      expect(items).toMatchObject([{ recipientRole: 'client', channel: 'telegram', enabled: false }]);

      const client = await newClient('Cora');
      const first = await book(client.id, at(3, 9));
      await bot.app.get(BookingsApi).cancel(admin, first.id, { reason: 'first' });
      // The same event still reaches the specialist: by then the client's message would have been composed too.
      await until(
        () => expect(bot.fake.textsTo(bot.salon.anna.tgId).some((x) => x.includes('first'))).toBe(true),
        10000,
      );

      expect(await chat.press('⬜ Clients · Telegram')).toBe('Switched on');
      const second = await book(client.id, at(3, 11));
      await bot.app.get(BookingsApi).cancel(admin, second.id, { reason: 'second' });
      await until(
        () => expect(bot.fake.textsTo(client.tgId!).some((x) => x.includes('second'))).toBe(true),
        10000,
      );
      expect(
        bot.fake.textsTo(client.tgId!).filter((x) => x.startsWith('Your booking was cancelled')),
      ).toHaveLength(1);
    });

    it('appends the chosen ad to a notification, in the recipient language', async () => {
      const ads = bot.app.get(AdTemplatesApi);
      const ad = await ads.create(admin, {
        name: 'Spring',
        textRu: 'Весной скидка 10%!',
        textEn: '10% off this spring!',
      });
      const chat = await adminChat('ru');
      await chat.press('🔔 Уведомления');
      await chat.press('Новая запись');
      await chat.press('📎 без рекламы');
      expect(chat.current().text).toBe(
        'Какую рекламу добавлять к «Новая запись» для получателей «Клиенты» (Telegram)?',
      );
      expect(await chat.press('Spring')).toBe('Реклама сохранена');
      expect(chat.current().text).toContain('✅ Клиенты · Telegram — реклама: Spring');
      expect(chat.buttons()).toContain('📎 Spring');

      const en = await newClient('Edith', 'en');
      const ru = await newClient('Rita', 'ru');
      await book(en.id, at(4, 9));
      await book(ru.id, at(4, 11));
      await until(() => {
        expect(bot.fake.textsTo(en.tgId!)).toEqual([
          expect.stringMatching(/^You have been booked: .*\n\n10% off this spring!$/),
        ]);
        expect(bot.fake.textsTo(ru.tgId!)).toEqual([expect.stringMatching(/\n\nВесной скидка 10%!$/)]);
      }, 10000);
      // The specialist's cell has no ad.
      expect(bot.fake.textsTo(bot.salon.anna.tgId).some((x) => x.includes('10%'))).toBe(false);
      await ads.remove(admin, ad.id);
    });

    it('a client forging an admin button is refused in their language and audited', async () => {
      const client = await bot.onboarded('ru', { userId: newTgUserId() });
      const data = Notifications.toggle.encode(1, 0, 0);
      expect(await client.pressData(data)).toBe('У вас нет прав на это действие.');
      const rows = await bot.app
        .get(DataSource)
        .query(`SELECT changes FROM audit_log WHERE action = 'bot.refused' ORDER BY id DESC LIMIT 1`);
      expect(JSON.parse(rows[0].changes)).toMatchObject({ code: 'forbidden', data });
      expect(await bot.app.get(NotificationSettingsApi).list(SYSTEM_ACTOR, {})).toMatchObject({ total: 0 });
    });
  });

  describe('ads', () => {
    it('adds a template field by field, edits, previews as a recipient sees it, and deactivates after asking', async () => {
      const chat = await adminChat();
      await chat.press('📎 Ads');
      await chat.press('New ad');
      expect(chat.lastText()).toBe("Type the ad's name (for you only, up to 120 characters).");
      await chat.send('x'.repeat(121));
      expect(chat.lastText()).toBe('The name must be 1 to 120 characters. Type it again.');
      await chat.send('Summer');
      await chat.send('Летом — вторая стрижка бесплатно');
      await chat.send('y'.repeat(1001));
      expect(chat.lastText()).toBe('The text must be 1 to 1000 characters. Type it again.');
      await chat.send('Second haircut free in summer');
      expect(chat.current().text).toBe(
        '✅ The ad is created.\n\n📎 Summer (active)\n\n🇷🇺 Летом — вторая стрижка бесплатно\n\n🇬🇧 Second haircut free in summer',
      );
      const [ad] = (await bot.app.get(AdTemplatesApi).list(admin, { limit: 200 })).items.filter(
        (a) => a.name === 'Summer',
      );
      expect(ad).toMatchObject({ textRu: 'Летом — вторая стрижка бесплатно', active: true });

      await chat.press('✏️ English');
      await chat.send('Your second haircut is free this summer');
      expect(chat.current().text).toContain('✅ Saved.');
      expect((await bot.app.get(AdTemplatesApi).get(admin, ad.id)).textEn).toBe(
        'Your second haircut is free this summer',
      );

      await chat.press('Preview in Russian');
      const preview = chat.visible().find((m) => m.text.startsWith('👁 This is how a recipient sees it:'))!;
      expect(preview.text).toBe(
        '👁 This is how a recipient sees it:\n\nВаша запись подтверждена: стрижка у Анны, вт 14 апр., 10:30.\n\nЛетом — вторая стрижка бесплатно',
      );
      expect(chat.current().text).toContain('📎 Summer (active)');

      await chat.press('Deactivate');
      expect(chat.current().text).toBe(
        'Deactivate the ad "Summer"? It will no longer be added to notifications.',
      );
      await chat.press('No');
      expect((await bot.app.get(AdTemplatesApi).get(admin, ad.id)).active).toBe(true);
      await chat.press('Deactivate');
      expect(await chat.press('Yes, deactivate')).toBe('The ad is deactivated.');
      expect(chat.current().text).toContain('📎 Summer (deactivated)');
      expect((await bot.app.get(AdTemplatesApi).get(admin, ad.id)).active).toBe(false);
    });

    it('validation messages in Russian', async () => {
      const chat = await adminChat('ru');
      await chat.press('📎 Реклама');
      await chat.press('Новый шаблон');
      await chat.send('   ');
      expect(chat.lastText()).toBe('Название должно быть от 1 до 120 символов. Введите его ещё раз.');
      await chat.send('Осень');
      await chat.send('y'.repeat(1001));
      expect(chat.lastText()).toBe('Текст должен быть от 1 до 1000 символов. Введите его ещё раз.');
    });
  });

  describe('broadcast', () => {
    it('composes, previews, asks, then one progress message edited in place reaches done for 50 clients', async () => {
      for (let i = 0; i < 50; i++) await newClient(`Bulk ${i}`);
      const users = bot.app.get(UsersApi);
      let clients = 0;
      for (let offset = 0; ; offset += 200) {
        const page = await users.list(SYSTEM_ACTOR, { role: 'client', limit: 200, offset });
        clients += page.items.filter((u) => !u.blocked && u.tgId !== null).length;
        if (page.items.length < 200) break;
      }
      const chat = await adminChat();
      await chat.press('📣 Broadcast');
      expect(chat.current().text).toBe('📣 Broadcast: type the message (up to 3500 characters).');
      await chat.send('z'.repeat(3501));
      expect(chat.lastText()).toBe('The message must be 1 to 3500 characters. Type it again.');
      await chat.send('We are open on Sunday!');
      expect(chat.current().text).toBe('📣 Broadcast\n\nWe are open on Sunday!\n\nTo: Clients');
      expect(chat.buttons().slice(0, 3)).toEqual(['✅ Clients', '⬜ Specialists', '⬜ Admins']);
      await chat.press('Preview');
      expect(chat.visible().some((m) => m.text === 'We are open on Sunday!')).toBe(true);
      await chat.press('📤 Send');
      expect(chat.current().text).toBe('Send this message to: Clients?');
      expect(await chat.press('Yes, send')).toBe('The broadcast is queued.');

      const progress = () =>
        chat.visible().filter((m) => m.text.startsWith('📣 Broadcast') && !m.inline.length);
      await until(
        () =>
          expect(progress().map((m) => m.text)).toEqual([
            `📣 Broadcast done: ${clients} messages\nSent: ${clients}\nFailed: 0\nQueued: 0`,
          ]),
        20000,
      );
      const edits = bot.fake
        .callsOf('editMessageText')
        .filter((c) => c.params.message_id === progress()[0].id);
      expect(edits.length).toBeGreaterThanOrEqual(1);
      expect(
        bot.fake.callsOf('sendMessage').filter((c) => c.params.text === 'We are open on Sunday!'),
      ).toHaveLength(clients + 1);
    });

    it('GET /api/v1/broadcasts/:id reports the counts to admins only', async () => {
      const boss = await bot.app.userWithToken('admin');
      const sent = await bot.app.request('POST', '/api/v1/broadcasts', {
        token: boss.token,
        body: { text: 'Counted', roles: ['specialist'] },
      });
      const specialists = (
        await bot.app.get(UsersApi).list(SYSTEM_ACTOR, { role: 'specialist', limit: 200 })
      ).items.filter((u) => u.tgId !== null && !u.blocked).length;
      await until(async () => {
        const res = await bot.app.request('GET', `/api/v1/broadcasts/${sent.body.id}`, { token: boss.token });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          id: sent.body.id,
          total: specialists,
          sent: specialists,
          failed: 0,
          queued: 0,
          done: true,
        });
      }, 10000);
      const client = await bot.app.userWithToken('client');
      expect(
        (await bot.app.request('GET', `/api/v1/broadcasts/${sent.body.id}`, { token: client.token })).status,
      ).toBe(403);
      expect((await bot.app.request('GET', '/api/v1/broadcasts/nope', { token: boss.token })).status).toBe(
        404,
      );
    });

    it('validation in Russian, and nothing to send without a role', async () => {
      const chat = await adminChat('ru');
      await chat.press('📣 Рассылка');
      await chat.send('   ');
      expect(chat.lastText()).toBe('Сообщение должно быть от 1 до 3500 символов. Введите его ещё раз.');
      await chat.send('Привет!');
      await chat.press('✅ Клиенты');
      expect(chat.current().text).toBe('📣 Рассылка\n\nПривет!\n\nКому: пока никому: выберите получателей');
      expect(chat.buttons()).not.toContain('📤 Отправить');
    });
  });

  describe('queues', () => {
    it('sends a one-time Bull Board login link that opens the dashboard once and not twice', async () => {
      for (const lang of ['en', 'ru'] as const) {
        const chat = await adminChat(lang);
        await chat.press(lang === 'en' ? '🧰 Queues' : '🧰 Очереди');
        expect(await chat.press('🔑')).toBe(lang === 'en' ? 'The link is below.' : 'Ссылка ниже.');
        const message = chat.visible().find((m) => m.text.startsWith('🔑'))!;
        const intro =
          lang === 'en'
            ? /^🔑 Your one-time link to the queues \(works once, until \w{3} \d{1,2} \w{3}, \d\d:\d\d \(Berlin\)\):\n/
            : /^🔑 Ваша одноразовая ссылка на очереди \(сработает один раз, до .+, \d\d:\d\d \(Berlin\)\):\n/;
        expect(message.text).toMatch(intro);
        const url = new URL(message.text.split('\n')[1]);
        expect(url.origin).toBe('https://salon.example.com');
        const path = `${url.pathname}${url.search}`;
        const opened = await bot.app.request('GET', path);
        expect(opened.status).toBe(303);
        expect(opened.headers.location).toBe('/admin/queues');
        expect((await bot.app.request('GET', path)).status).toBe(401);
        expect(chat.current().text).toMatch(lang === 'en' ? /^🧰 Queues: / : /^🧰 Очереди: /);
      }
    });
  });

  describe('the completion card', () => {
    it('records who answered and when; a second admin pressing later is told who already answered', async () => {
      const olga = await adminChat('en', 'Olga');
      const pavel = await adminChat('ru', 'Pavel');
      const client = await newClient('Dina');
      const booking = await book(client.id, at(2, 9), bot.salon.boris.id);
      bot.shift = new Date(booking.endAt).getTime() - Date.now() + 60_000;
      await bot.app.get(BookingAlarms).checkCompletions();
      const card = (chat: BotChat) => chat.visible().find((m) => m.text.includes('Dina') && m.inline.length);
      await until(() => {
        expect(card(olga)).toBeDefined();
        expect(card(pavel)).toBeDefined();
      }, 10000);
      const pavelCard = card(pavel)!;

      expect(await olga.press('Yes, done')).toBe('Marked: the visit happened.');
      const olgaCard = olga.messages().find((m) => m.text.startsWith('Did the visit happen? Dina'))!;
      expect(olgaCard.text).toMatch(
        /\n\nMarked: the visit happened\.\nAnswered by Olga, \w{3} \d{1,2} \w{3}, \d\d:\d\d \(Berlin\)$/,
      );
      expect(olgaCard.inline).toEqual([]);
      expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, booking.id)).status).toBe('done');

      const noShow = pavelCard.inline.flat()[1] as { callback_data: string };
      const toast = await pavel.pressData(noShow.callback_data, pavelCard.id, pavelCard.text);
      expect(toast).toMatch(/^Уже отвечено — Olga \(.+\(Berlin\)\): Отмечено: визит состоялся\.$/);
      expect(pavel.messages().find((m) => m.id === pavelCard.id)!.text).toMatch(
        /\n\nОтмечено: визит состоялся\.\nОтвет: Olga, /,
      );
      expect((await bot.app.get(BookingsApi).get(SYSTEM_ACTOR, booking.id)).status).toBe('done');
      expect(NotificationButtons.completion.decode(noShow.callback_data)).toEqual([booking.id, 'no_show']);
    });
  });

  describe('audit', () => {
    it('lists the latest changes with who, what and when, filtered by entity and paged', async () => {
      const ads = bot.app.get(AdTemplatesApi);
      for (let i = 0; i < 9; i++) await ads.create(admin, { name: `Audit ${i}`, textRu: 'р', textEn: 'e' });
      const chat = await adminChat();
      await chat.press('🧾 Audit');
      expect(chat.current().text).toMatch(/^🧾 Latest changes: everything\n/);
      await chat.press('Filter: everything');
      await chat.press('ads');
      const text = chat.current().text;
      expect(text).toMatch(/^🧾 Latest changes: ads\n/);
      expect(text).toMatch(
        /🕓 \w{3} \d{1,2} \w{3}, \d\d:\d\d \(Berlin\) · Olga \(admin\)\nad_template\.create · ad_template #\d+\n\{"name":"Audit 8"/,
      );
      expect(text).not.toContain('booking.');
      expect(chat.buttons()).toContain('▶️');
      await chat.press('▶️');
      expect(chat.current().text).toMatch(/^🧾 Latest changes: ads\n/);
      expect(chat.current().text).not.toContain('"Audit 8"');
    });
  });

  describe('report', () => {
    it('counts bookings, done, no-shows, cancellations and revenue per location and specialist, in each zone', async () => {
      const locations = bot.app.get(LocationsApi);
      const nord = await locations.create(SYSTEM_ACTOR, {
        name: 'Report Nord',
        address: 'A 1',
        timeZone: 'Europe/Berlin',
      });
      const tokyo = await locations.create(SYSTEM_ACTOR, {
        name: 'Report Tokyo',
        address: 'B 2',
        timeZone: 'Asia/Tokyo',
      });
      const vera = await bot.app.get(SpecialistsApi).create(SYSTEM_ACTOR, {
        user: { name: 'Vera', tgId: newTgUserId() },
        locationIds: [nord.id, tokyo.id],
        services: [{ serviceId: bot.salon.haircutId }, { serviceId: bot.salon.coloringId }],
      });
      const week = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 8 * 60, endMin: 20 * 60 }));
      await bot.app.get(SchedulesApi).replaceWeek(
        SYSTEM_ACTOR,
        vera.id,
        nord.id,
        week.map((d) => ({ ...d, startMin: 12 * 60 })),
      );
      await bot.app.get(SchedulesApi).replaceWeek(
        SYSTEM_ACTOR,
        vera.id,
        tokyo.id,
        week.map((d) => ({ ...d, endMin: 10 * 60 })),
      );
      const client = await newClient('Ria');
      const bookings = bot.app.get(BookingsApi);
      const create = (locationId: number, startAt: string, serviceId = bot.salon.haircutId) =>
        bookings.create(SYSTEM_ACTOR, {
          locationId,
          serviceId,
          specialistId: vera.id,
          startAt,
          clientId: client.id,
        });
      // Day D in Berlin: 11:00, 13:00, 15:00 UTC are 12:00-17:00 there (or 13:00-18:00 in summer).
      const doneB = await create(nord.id, at(5, 11));
      const noShowB = await create(nord.id, at(5, 13));
      const cancelledB = await create(nord.id, at(5, 15));
      // 23:30 UTC on D is 08:30 on D+1 in Tokyo.
      const doneT = await create(tokyo.id, at(5, 23, 30), bot.salon.coloringId);
      await bookings.cancel(admin, cancelledB.id, {});
      bot.shift = new Date(at(6, 12)).getTime() - Date.now();
      await bookings.markDone(admin, doneB.id);
      await bookings.markNoShow(admin, noShowB.id);
      await bookings.markDone(admin, doneT.id);
      bot.shift = 0;
      const day = at(5, 0).slice(0, 10);
      const nextDay = at(6, 0).slice(0, 10);

      const user = await bot.app.userWithToken('admin');
      const res = await bot.app.request(
        'GET',
        `/api/v1/reports/bookings?period=day&date=${day}&locationId=${nord.id}`,
        {
          token: user.token,
        },
      );
      expect(res.status).toBe(200);
      const nordFigures = { bookings: 3, done: 1, noShows: 1, cancelled: 1, revenue: 3500 };
      expect(res.body).toMatchObject({ period: 'day', firstDate: day, lastDate: day, totals: nordFigures });
      expect(res.body.locations).toEqual([
        expect.objectContaining({
          locationId: nord.id,
          timeZone: 'Europe/Berlin',
          ...nordFigures,
          specialists: [{ specialistId: vera.id, name: 'Vera', ...nordFigures }],
        }),
      ]);
      // The Tokyo booking starts on D in UTC but on D+1 in Tokyo: it counts on D+1 there.
      const tokyoDay = async (date: string) =>
        (
          await bot.app.request(
            'GET',
            `/api/v1/reports/bookings?period=day&date=${date}&locationId=${tokyo.id}`,
            {
              token: user.token,
            },
          )
        ).body.totals;
      expect(await tokyoDay(day)).toEqual({ bookings: 0, done: 0, noShows: 0, cancelled: 0, revenue: 0 });
      expect(await tokyoDay(nextDay)).toEqual({
        bookings: 1,
        done: 1,
        noShows: 0,
        cancelled: 0,
        revenue: 8000,
      });
      const month = await bot.app.request('GET', `/api/v1/reports/bookings?period=month&date=${day}`, {
        token: user.token,
      });
      expect(month.body.firstDate).toBe(`${day.slice(0, 7)}-01`);
      expect(month.body.locations.map((l: { name: string }) => l.name)).toEqual(
        expect.arrayContaining(['Salon Mitte', 'Report Nord', 'Report Tokyo']),
      );

      const client2 = await bot.app.userWithToken('client');
      expect(
        (
          await bot.app.request('GET', `/api/v1/reports/bookings?period=day&date=${day}`, {
            token: client2.token,
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await bot.app.request('GET', `/api/v1/reports/bookings?period=year&date=${day}`, {
            token: user.token,
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await bot.app.request('GET', `/api/v1/reports/bookings?period=day&date=2026-02-30`, {
            token: user.token,
          })
        ).status,
      ).toBe(400);

      for (const lang of ['en', 'ru'] as const) {
        const chat = await adminChat(lang);
        await chat.press(lang === 'en' ? '📊 Report' : '📊 Отчёт');
        await chat.pressData(Report.show.encode('day', day));
        const text = chat.current().text;
        const line =
          lang === 'en'
            ? `bookings: 3 · done: 1 · no-shows: 1 · cancelled: 1 · ${money(3500, 'EUR', lang)}`
            : `записей: 3 · состоялось: 1 · неявок: 1 · отмен: 1 · ${money(3500, 'EUR', lang)}`;
        expect(text).toContain(`🏠 Report Nord (Europe/Berlin)\n${line}\n  • Vera: ${line}`);
        expect(chat.buttons().slice(0, 3)).toEqual(
          lang === 'en' ? ['• Day', 'Week', 'Month'] : ['• День', 'Неделя', 'Месяц'],
        );
      }
    });
  });
});

describe('the bot: a broadcast progress message across a restart', () => {
  let fake: FakeTelegramApi;
  let dir: string;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    dir = mkdtempSync(join(tmpdir(), 'bot-admin-ops-'));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the next instance goes on editing the progress message until done', async () => {
    const env = {
      BOT_TOKEN: TOKEN,
      TG_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      SQLITE_PATH: join(dir, 'booking.db'),
      REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    };
    const adminTgId = newTgUserId();
    const first = await TestApp.start(env);
    try {
      await first.get(UsersApi).ensureAdmin(adminTgId, 'Olga');
      for (let i = 0; i < 60; i++)
        await first
          .get(UsersApi)
          .create(SYSTEM_ACTOR, { name: `c${i}`, role: 'client', tgId: newTgUserId() });
      const chat = new BotChat(first, fake, new BotProcessing(first), SECRET, { userId: adminTgId });
      await chat.send('/start');
      await chat.press('English');
      await chat.send('Skip');
      await chat.press('📣 Broadcast');
      await chat.send('Across a restart');
      await chat.press('📤 Send');
      await chat.press('Yes, send');
    } finally {
      await first.stop({ keepRedis: true });
    }
    const sent = () => fake.callsOf('sendMessage').filter((c) => c.params.text === 'Across a restart').length;
    // 60 messages at 30 a second: the first instance stopped before they were all sent.
    expect(sent()).toBeLessThan(60);

    const second = await TestApp.start(env);
    try {
      const chat = new BotChat(second, fake, new BotProcessing(second), SECRET, { userId: adminTgId });
      await until(
        () =>
          expect(chat.visible().map((m) => m.text)).toContain(
            '📣 Broadcast done: 60 messages\nSent: 60\nFailed: 0\nQueued: 0',
          ),
        20000,
      );
      expect(sent()).toBe(60);
    } finally {
      await second.stop();
    }
  });
});
