import { getBotToken } from 'nestjs-telegraf';
import type { Browser, Page } from 'playwright-core';
import type { Telegraf } from 'telegraf';
import { BookingsApi, UsersApi } from '../../src/booking/api';
import { BotSandbox } from '../../src/bot/api';
import { t as text } from '../../src/bot/i18n/i18n';
import { BookingAlarms } from '../../src/booking/bookings/booking-alarms';
import { SYSTEM_ACTOR } from '../../src/common/actor';
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
// A real browser beside the whole suite on two shared cores: each step may wait its 20 s.
jest.setTimeout(120_000);

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
  });

  it("the client books by pressing the bot's buttons; the admin's pane shows the new-booking notification", async () => {
    const chat = pane(client.tgId);
    const press = (label: string | RegExp) =>
      chat.locator('.msg.bot .inline-kb button', { hasText: label }).last().click();
    await step(page, 'first /start asks the language', async () => {
      await chat.locator('.composer input').fill('/start');
      await chat.locator('.composer input').press('Enter');
      await chat.locator('.msg.user', { hasText: '/start' }).waitFor(WAIT);
      await botMessage(client.tgId, text('onboarding.welcome', 'en', { name: 'Chris' })).waitFor(WAIT);
      await press(/English$/);
      await botMessage(client.tgId, text('onboarding.language_set', 'en')).waitFor(WAIT);
    });
    await step(page, 'shares the phone with the reply button', async () => {
      await chat
        .locator('.reply-kb')
        .getByRole('button', { name: text('profile.share_phone', 'en') })
        .click();
      await chat.locator('.msg.user .contact', { hasText: client.phone }).waitFor(WAIT);
      await chat
        .locator('.reply-kb')
        .getByRole('button', { name: text('menu.book', 'en') })
        .waitFor(WAIT);
    });
    await step(page, 'location, service, specialist, day, time', async () => {
      await chat
        .locator('.reply-kb')
        .getByRole('button', { name: text('menu.book', 'en') })
        .click();
      await botMessage(client.tgId, text('book.choose_location', 'en')).waitFor(WAIT);
      await press('Demo Salon Berlin Mitte');
      await botMessage(
        client.tgId,
        text('book.choose_service', 'en', { location: 'Demo Salon Berlin Mitte' }),
      ).waitFor(WAIT);
      await press(/^Haircut/);
      await botMessage(client.tgId, text('book.choose_specialist', 'en', { service: 'Haircut' })).waitFor(
        WAIT,
      );
      await press('Sofia Stylist');
      await botMessage(client.tgId, text('book.choose_day', 'en')).waitFor(WAIT);
      await chat
        .locator('.msg.bot .inline-kb button', { hasText: /^\d{1,2}$/ })
        .first()
        .click();
      await chat
        .locator('.msg.bot .inline-kb button', { hasText: /^\d\d:\d\d$/ })
        .first()
        .click();
      await botMessage(client.tgId, text('book.confirm_title', 'en')).waitFor(WAIT);
    });
    await step(page, 'confirms', async () => {
      await press(text('book.confirm', 'en'));
      await chat.locator('.toast', { hasText: text('book.done_confirmed', 'en') }).waitFor(WAIT);
      await botMessage(client.tgId, text('book.done_confirmed', 'en')).waitFor(WAIT);
    });
    await step(page, 'admin notified', async () => {
      await botMessage(admin.tgId, /^New booking: Chris Client, Haircut with Sofia Stylist/).waitFor(WAIT);
      await screenshot(page, 'sandbox-client-and-admin');
    });
  });

  it('the admin answers the completion card with its inline button: a toast, and the card is edited', async () => {
    const [user] = (await t.get(UsersApi).list(SYSTEM_ACTOR, { tgId: client.tgId })).items;
    const [booking] = (
      await t.get(BookingsApi).list(SYSTEM_ACTOR, { clientId: user.id, status: ['confirmed'], limit: 50 })
    ).items.filter((b) => b.createdByRole === 'client');
    const clock = jest
      .spyOn(t.get(Clock), 'now')
      .mockReturnValue(new Date(Date.parse(booking.endAt) + 60_000));
    try {
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
      expect((await t.get(BookingsApi).get(SYSTEM_ACTOR, booking.id)).status).toBe('done');
    } finally {
      clock.mockRestore();
    }
  });

  it('renders whatever a bot sends a new client: reply keyboard, contact button, removal, markup edit, toast, deletion', async () => {
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
      await maria
        .locator('.msg.bot', { hasText: text('onboarding.welcome', 'ru', { name: 'Maria' }) })
        .waitFor(WAIT);
      return Number(await maria.getAttribute('data-chat-id'));
    });
    await step(page, 'reply keyboard: one-time, removed', async () => {
      await telegram.sendMessage(chatId, 'Pick one', {
        reply_markup: { keyboard: [[{ text: 'Later' }]], one_time_keyboard: true },
      });
      await maria.locator('.reply-kb').getByRole('button', { name: 'Later' }).click();
      await maria.locator('.msg.user', { hasText: 'Later' }).waitFor(WAIT);
      await maria.locator('.msg.bot', { hasText: text('common.not_understood', 'ru') }).waitFor(WAIT);
      // One-time: hidden after the press, still there behind the keyboard toggle until the bot removes it.
      expect(await maria.locator('.reply-kb').isHidden()).toBe(true);
      expect(await maria.locator('.kb-toggle').isVisible()).toBe(true);
      await telegram.sendMessage(chatId, 'Thanks!', { reply_markup: { remove_keyboard: true } });
      await maria.locator('.msg.bot', { hasText: 'Thanks!' }).waitFor(WAIT);
      expect(await maria.locator('.kb-toggle').isHidden()).toBe(true);
    });
    await step(page, 'contact button', async () => {
      await telegram.sendMessage(chatId, 'Share your phone?', {
        reply_markup: { keyboard: [[{ text: '📱 Share phone', request_contact: true }]] },
      });
      await maria.locator('.reply-kb').getByRole('button', { name: '📱 Share phone' }).click();
      await maria.locator('.msg.user .contact', { hasText: 'Maria: +491701234567' }).waitFor(WAIT);
      const [contact] = (await t.get(BotSandbox).chatTranscript(chatId)).filter((e) => e.payload.contact);
      expect(contact.payload.contact).toMatchObject({ user_id: chatId, phone_number: '+491701234567' });
      await maria
        .locator('.msg.bot', { hasText: text('profile.phone_saved', 'ru', { phone: '+491701234567' }) })
        .waitFor(WAIT);
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
      // A button no screen of the bot knows: the bot answers it as an expired menu (a toast).
      await card.getByRole('button', { name: 'C' }).click();
      await maria.locator('.toast', { hasText: text('common.menu_expired', 'ru') }).waitFor(WAIT);
      await telegram.deleteMessage(chatId, sent.message_id);
      await card.waitFor({ state: 'detached', ...WAIT });
    });
    await screenshot(page, 'sandbox-new-client');
  });
});
