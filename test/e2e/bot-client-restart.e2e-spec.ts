import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookingsApi, LocationsApi, ServicesApi, SpecialistsApi, UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { HttpExceptionFilter } from '../../src/infra/http/http-exception.filter';
import { BotChat, BotProcessing } from '../support/bot-chat';
import { botSalon } from '../support/bot-salon';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TestApp } from '../support/test-app';

const TOKEN = '123456:BOT-client-restart_ABCDEFGHIJ';
const SECRET = 'bot-client-restart';

describe('the bot across a restart, its input scenes and its error path', () => {
  let fake: FakeTelegramApi;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
    dir = mkdtempSync(join(tmpdir(), 'bot-restart-'));
    env = {
      BOT_TOKEN: TOKEN,
      PUBLIC_URL: 'https://salon.example.com/',
      TG_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      SQLITE_PATH: join(dir, 'booking.db'),
      REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    };
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a restart in the middle of booking (the comment being typed) continues the flow on the next instance', async () => {
    const first = await TestApp.start(env);
    let userId: number;
    try {
      await botSalon(first);
      const chat = new BotChat(first, fake, new BotProcessing(first), SECRET, { languageCode: 'en' });
      userId = chat.userId;
      await chat.send('/start');
      await chat.press('English');
      await chat.send('Skip');
      await chat.send('📅 Book');
      await chat.press('Haircut');
      await chat.press('Anna');
      await chat.press(/^\d{1,2}$/);
      await chat.press(/^\d\d:\d\d$/);
      await chat.press('Add a comment');
      expect(chat.lastText()).toBe('Type a comment for the salon (up to 1000 characters), or /cancel.');
    } finally {
      await first.stop({ keepRedis: true });
    }

    const second = await TestApp.start(env);
    try {
      const chat = new BotChat(second, fake, new BotProcessing(second), SECRET, {
        userId: userId!,
        languageCode: 'en',
      });
      await chat.send('Short hair, please');
      expect(chat.current().text).toContain('💬 Short hair, please');
      expect(await chat.press('Confirm')).toBe('✅ Booked! See you then.');
      const client = (await second.get(UsersApi).list(SYSTEM_ACTOR, { tgId: userId! })).items[0];
      const { items } = await second.get(BookingsApi).list(SYSTEM_ACTOR, { clientId: client.id });
      expect(items).toHaveLength(1);
      expect(items[0].comment).toBe('Short hair, please');
    } finally {
      await second.stop();
    }
  });

  describe('on one app', () => {
    let t: TestApp;
    let processing: BotProcessing;
    beforeAll(async () => {
      t = await TestApp.start({
        ...env,
        SQLITE_PATH: join(dir, 'second.db'),
        REDIS_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
      });
      processing = new BotProcessing(t);
      await botSalon(t);
    });
    afterAll(() => t.stop());

    const onboarded = async (lang: 'en' | 'ru') => {
      const chat = new BotChat(t, fake, processing, SECRET, { languageCode: lang });
      await chat.send('/start');
      await chat.press(lang === 'en' ? 'English' : 'Русский');
      await chat.send(lang === 'en' ? 'Skip' : 'Пропустить');
      return chat;
    };

    it('/cancel leaves a scene: the next text is not taken as the name', async () => {
      const chat = await onboarded('en');
      await chat.send('👤 Profile');
      await chat.press('Name');
      expect(chat.lastText()).toBe('Type your name (up to 120 characters), or /cancel.');
      await chat.send('/cancel');
      expect(chat.visible().some((m) => m.text === 'Cancelled.')).toBe(true);
      await chat.send('Robert');
      expect(chat.visible().some((m) => m.text === "I didn't get that. Please use the menu below.")).toBe(
        true,
      );
      const me = (await t.get(UsersApi).list(SYSTEM_ACTOR, { tgId: chat.userId })).items[0];
      expect(me.name).toBe('Anna');
    });

    it('a name is validated with a localized message and then saved', async () => {
      const chat = await onboarded('ru');
      await chat.send('👤 Профиль');
      await chat.press('Имя');
      await chat.send('x'.repeat(121));
      expect(chat.lastText()).toBe('Имя должно быть от 1 до 120 символов. Введите его ещё раз или /cancel.');
      await chat.send('Мария');
      expect(chat.current().text).toMatch(/^Имя сохранено\.\n\n👤 Мария/);
    });

    it("a phone is taken only from the sender's own contact", async () => {
      const chat = await onboarded('en');
      await chat.send('👤 Profile');
      await chat.press('Share my phone');
      expect(chat.replyKeyboard()).toEqual(['📱 Share my phone', 'Skip']);
      await chat.shareContact('+491701112233', chat.userId + 1);
      expect(chat.lastText()).toBe(
        "Please share your own contact with the button below, not someone else's.",
      );
      await chat.shareContact('491701112233');
      expect(chat.visible().some((m) => m.text === 'Phone saved: +491701112233')).toBe(true);
      const me = (await t.get(UsersApi).list(SYSTEM_ACTOR, { tgId: chat.userId })).items[0];
      expect(me.phone).toBe('+491701112233');
    });

    it('"message is not modified" from Telegram counts as success: no error reaches the user', async () => {
      const chat = await onboarded('en');
      const home = chat.current();
      const before = chat.visible().length;
      fake.fail('editMessageText', { kind: 'bad_request', description: 'message is not modified' }, 1);
      expect(await chat.press('Book')).toBeUndefined();
      expect(chat.visible()).toHaveLength(before);
      expect(chat.current().id).toBe(home.id);
    });

    it("a failing handler takes the bot's error path (localized), not the HTTP filter", async () => {
      const chat = await onboarded('ru');
      const httpFilter = jest.spyOn(HttpExceptionFilter.prototype, 'catch');
      const services = jest
        .spyOn(t.get(ServicesApi), 'list')
        .mockRejectedValueOnce(new Error('disk on fire'));
      try {
        await chat.send('📅 Записаться');
        expect(chat.lastText()).toBe('Что-то пошло не так. Попробуйте ещё раз.');
        expect(httpFilter).not.toHaveBeenCalled();
      } finally {
        services.mockRestore();
        httpFilter.mockRestore();
      }
    });

    it('deep links open booking at a location, or with a specialist, for a user who never pressed /start', async () => {
      const [location] = (await t.get(LocationsApi).list(SYSTEM_ACTOR, {})).items;
      const chat = new BotChat(t, fake, processing, SECRET, { languageCode: 'en' });
      await chat.send(`/start book_${location.id}`);
      expect(chat.replyKeyboard()).toEqual(['📅 Book', '🗓 My bookings', '👤 Profile', '❓ Help']);
      expect(chat.current().text).toBe('Salon Mitte: choose a service.');

      const [boris] = (await t.get(SpecialistsApi).list(SYSTEM_ACTOR, {})).items.filter(
        (s) => s.name === 'Boris',
      );
      await chat.send(`/start spec_${boris.id}`);
      await chat.press('Coloring');
      expect(chat.current().text).toMatch(/^Coloring · Boris/);
    });
  });
});
