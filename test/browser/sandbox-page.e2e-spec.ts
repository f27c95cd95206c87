import { getBotToken } from 'nestjs-telegraf';
import type { Browser, Page } from 'playwright-core';
import type { Telegraf } from 'telegraf';
import { UsersApi } from '../../src/booking/api';
import { BotSandbox } from '../../src/bot/api';
import { BookingAlarms } from '../../src/booking/bookings/booking-alarms';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { SessionsApi } from '../../src/gateway/api';
import { demoPersona } from '../../src/gateway/sandbox/demo-personas';
import { Clock } from '../../src/infra/clock/clock';
import { TestApp } from '../support/test-app';
import { findChromium, launch, screenshot, step } from './chromium';

const executable = findChromium();
if (!executable) {
  console.warn(
    '\n\n*** SKIPPED: the sandbox browser test needs Chromium (apt-get install -y chromium, as .ci/run does, or set CHROMIUM_PATH) ***\n\n',
  );
}

const admin = demoPersona('admin');
const client = demoPersona('client');
const WAIT = { timeout: 20000 };

(executable ? describe : describe.skip)('the sandbox page in a real browser (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await TestApp.start();
    browser = await launch(executable!);
    page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    await page.goto(`http://127.0.0.1:${await t.port()}/sandbox`);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const pane = (tgId: number) => page.locator(`.pane[data-chat-id="${tgId}"]`);
  const botMessage = (tgId: number, text: string | RegExp) =>
    pane(tgId).locator('.msg.bot', { hasText: text });

  it('an empty sandbox offers the demo salon; one click creates it', async () => {
    await step(page, 'demo salon', async () => {
      await page.locator('#demo-banner').waitFor({ state: 'visible', ...WAIT });
      await page.locator('#feed-status.live').waitFor(WAIT);
      await page.getByRole('button', { name: 'Create the demo salon' }).click();
      await page.locator('#demo-banner').waitFor({ state: 'hidden', timeout: 90000 });
    });
  }, 120000);

  it('the client and the admin chats side by side: /start is answered live', async () => {
    await step(page, 'client /start', async () => {
      const input = pane(client.tgId).locator('.composer input');
      await input.fill('/start');
      await input.press('Enter');
      await pane(client.tgId).locator('.msg.user', { hasText: '/start' }).waitFor(WAIT);
      await botMessage(client.tgId, 'Hello, Chris! Your role: client.').waitFor(WAIT);
    });
    await step(page, 'admin /start', async () => {
      await pane(admin.tgId).locator('.composer input').fill('/start');
      await pane(admin.tgId).getByRole('button', { name: 'Send' }).click();
      await botMessage(admin.tgId, 'Hello, Alice! Your role: administrator.').waitFor(WAIT);
    });
  });

  it("the client books; the admin's pane shows the new-booking notification; the admin answers the completion card with a button", async () => {
    const clock = jest
      .spyOn(t.get(Clock), 'now')
      .mockReturnValue(new Date(Date.now() - 7 * 24 * 3600 * 1000));
    let bookingId = 0;
    try {
      await step(page, 'client books', async () => {
        const [user] = (await t.get(UsersApi).list(SYSTEM_ACTOR, { tgId: client.tgId })).items;
        const { token } = await t.get(SessionsApi).issue(user.id, 'public');
        const get = async (path: string) => (await t.request('GET', path, { token })).body;
        const [location] = (await get('/api/v1/locations')).items.filter(
          (l: { timeZone: string }) => l.timeZone === 'Europe/Berlin',
        );
        const haircut = (await get('/api/v1/services')).items.find(
          (s: { name: string }) => s.name === 'Haircut',
        );
        let start: { startAt: string; specialistId: number } | undefined;
        for (let day = 1; !start && day < 8; day++) {
          const date = new Date(Date.now() - (7 - day) * 24 * 3600 * 1000).toISOString().slice(0, 10);
          start = (
            await get(`/api/v1/slots/starts?locationId=${location.id}&serviceId=${haircut.id}&date=${date}`)
          ).starts.pop();
        }
        const booked = await t.request('POST', '/api/v1/bookings', {
          token,
          body: {
            locationId: location.id,
            serviceId: haircut.id,
            specialistId: start!.specialistId,
            startAt: start!.startAt,
          },
        });
        expect(booked.status).toBe(201);
        bookingId = booked.body.id;
      });
      await step(page, 'admin notified', async () => {
        await botMessage(admin.tgId, /^New booking: Chris Client, Haircut with Sofia Stylist/).waitFor(WAIT);
        await screenshot(page, 'sandbox-client-and-admin');
      });
    } finally {
      clock.mockRestore();
    }
    await step(page, 'completion card', async () => {
      expect(await t.get(BookingAlarms).checkCompletions()).toBeGreaterThanOrEqual(1);
      const card = botMessage(admin.tgId, /^Did the visit happen\? Chris Client, Haircut/);
      await card.waitFor(WAIT);
      await card.getByRole('button', { name: 'Yes, done' }).click();
      await pane(admin.tgId).locator('.toast', { hasText: 'Marked: the visit happened.' }).waitFor(WAIT);
      await card.locator('.text', { hasText: /Marked: the visit happened\.$/ }).waitFor(WAIT);
      await card.locator('.meta', { hasText: 'edited' }).waitFor(WAIT);
      expect(await card.locator('.inline-kb').count()).toBe(0);
    });
    const booking = await t.request('GET', `/api/v1/bookings/${bookingId}`, {
      token: (await t.userWithToken('admin')).token,
    });
    expect(booking.body.status).toBe('done');
  });

  it('renders whatever a bot sends a new client: reply keyboard, contact button, removal, markup edit, deletion, alert', async () => {
    const telegram = t.app.get<Telegraf>(getBotToken()).telegram;
    const maria = page.locator('.pane', { has: page.locator('.name', { hasText: 'Maria' }) });
    const chatId = await step(page, 'new client', async () => {
      await page.getByRole('button', { name: 'New client…' }).click();
      await page.locator('#new-client input[name="name"]').fill('Maria');
      await page.locator('#new-client select[name="language"]').selectOption('ru');
      await page.locator('#new-client input[name="phone"]').fill('+491701234567');
      await page.getByRole('button', { name: 'Start chatting' }).click();
      await maria.locator('.composer input').fill('/start');
      await maria.locator('.composer input').press('Enter');
      await maria.locator('.msg.bot', { hasText: 'Здравствуйте, Maria!' }).waitFor(WAIT);
      return Number(await maria.getAttribute('data-chat-id'));
    });
    await step(page, 'reply keyboard and contact', async () => {
      await telegram.sendMessage(chatId, 'Share your phone?', {
        reply_markup: {
          keyboard: [[{ text: '📱 Share phone', request_contact: true }], [{ text: 'Later' }]],
          one_time_keyboard: true,
        },
      });
      await maria.locator('.reply-kb').getByRole('button', { name: '📱 Share phone' }).click();
      await maria.locator('.msg.user .contact', { hasText: 'Maria: +491701234567' }).waitFor(WAIT);
      const [contact] = (await t.get(BotSandbox).chatTranscript(chatId)).filter((e) => e.payload.contact);
      expect(contact.payload.contact).toMatchObject({ user_id: chatId, phone_number: '+491701234567' });
      // One-time: hidden after the press, still there behind the keyboard toggle until the bot removes it.
      expect(await maria.locator('.reply-kb').isHidden()).toBe(true);
      expect(await maria.locator('.kb-toggle').isVisible()).toBe(true);
      await telegram.sendMessage(chatId, 'Thanks!', { reply_markup: { remove_keyboard: true } });
      await maria.locator('.msg.bot', { hasText: 'Thanks!' }).waitFor(WAIT);
      expect(await maria.locator('.kb-toggle').isHidden()).toBe(true);
    });
    await step(page, 'markup edit, deletion, alert', async () => {
      const sent = await telegram.sendMessage(chatId, '<b>Pick</b> one &amp; only one', {
        parse_mode: 'HTML',
        reply_markup: {
          inline_keyboard: [
            [
              { text: 'A', callback_data: 'a' },
              { text: 'B', callback_data: 'b' },
            ],
          ],
        },
      });
      const card = maria.locator(`.msg.bot[data-message-id="${sent.message_id}"]`);
      await card.locator('b', { hasText: 'Pick' }).waitFor(WAIT);
      expect(await card.locator('.text').innerText()).toBe('Pick one & only one');
      await telegram.editMessageReplyMarkup(chatId, sent.message_id, undefined, {
        inline_keyboard: [[{ text: 'C', callback_data: 'c' }]],
      });
      await card.getByRole('button', { name: 'C' }).waitFor(WAIT);
      expect(await card.getByRole('button').count()).toBe(1);
      const pressed = page.waitForResponse((r) => r.url().endsWith('/sandbox/api/callbacks'));
      await card.getByRole('button', { name: 'C' }).click();
      const { callbackQueryId } = await (await pressed).json();
      await telegram.answerCbQuery(callbackQueryId, 'Not now', { show_alert: true });
      await maria.locator('.toast.alert', { hasText: 'Not now' }).waitFor(WAIT);
      await telegram.deleteMessage(chatId, sent.message_id);
      await card.waitFor({ state: 'detached', ...WAIT });
    });
    await screenshot(page, 'sandbox-new-client');
  });
});
