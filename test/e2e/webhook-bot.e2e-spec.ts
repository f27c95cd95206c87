import { BotMessenger, BotSandbox } from '../../src/bot/api';
import { TelegramGateway } from '../../src/gateway/api';
import { RedisService } from '../../src/infra/redis/redis.service';
import { FakeTelegramApi } from '../support/fake-telegram-api';
import { TestApp } from '../support/test-app';
import { messageUpdate, newTgUserId } from '../support/telegram-updates';
import { until } from '../support/until';
import { journalLength } from '../../src/gateway/webhook/update-journal';

const TOKEN = '123456:TEST-token_ABCDEFGHIJKLMNOP';
const SECRET = 'bot-e2e-secret';

describe('the real bot behind the gateway', () => {
  let fake: FakeTelegramApi;

  beforeAll(async () => {
    fake = await FakeTelegramApi.start();
  });
  afterAll(() => fake.stop());

  describe('webhook mode (BOT_TOKEN + PUBLIC_URL)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({
        BOT_TOKEN: TOKEN,
        PUBLIC_URL: 'https://salon.example.com/',
        TG_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TG_RATE_LIMIT: '3',
      });
    });
    afterAll(() => t.stop());

    const post = (update: unknown) =>
      t.request('POST', '/tg/webhook', {
        headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' },
        payload: JSON.stringify(update),
      });

    it('registers the webhook with the secret and the allowed updates at start', async () => {
      const call = await fake.waitFor((c) => c.method === 'setWebhook');
      expect(call.token).toBe(TOKEN);
      expect(call.params).toMatchObject({
        url: 'https://salon.example.com/tg/webhook',
        secret_token: SECRET,
        allowed_updates: expect.arrayContaining(['message', 'callback_query']),
      });
    });

    it.each([
      ['ru', 'Здравствуйте, Anna! Выберите язык:'],
      ['en', 'Hello, Anna! Please choose your language:'],
    ])('/start reaches the Bot API with the language question in %s', async (languageCode, greeting) => {
      const userId = newTgUserId();
      expect(
        (await post(messageUpdate({ userId, text: '/start', languageCode, firstName: 'Anna' }))).status,
      ).toBe(200);
      const sent = await fake.waitFor(
        (c) => c.method === 'sendMessage' && Number(c.params.chat_id) === userId,
      );
      expect(sent.params.text).toBe(greeting);
    });

    it('tells a flooding user once, in their language, to wait', async () => {
      const userId = newTgUserId();
      const updates = Array.from({ length: 8 }, () =>
        messageUpdate({ userId, text: '/start', languageCode: 'en' }),
      );
      for (const u of updates) expect((await post(u)).status).toBe(200);
      // Someone else's /start in the same chat is handled after every update of the flood.
      const sentinel = messageUpdate({
        userId: newTgUserId(),
        chatId: userId,
        text: '/start',
        firstName: 'Zed',
      });
      expect((await post(sentinel)).status).toBe(200);
      await until(() => fake.textsTo(userId).some((x) => x.includes('Zed')), 5000, 'the sentinel answered');
      const texts = fake.textsTo(userId).filter((x) => !x.includes('Zed'));
      expect(texts.filter((x) => x.startsWith('Hello'))).toHaveLength(3);
      expect(texts.filter((x) => x.startsWith('Too many requests'))).toEqual([
        expect.stringMatching(/wait \d+ s/),
      ]);
    });

    it('a Bot API failure (blocked by the user) is logged, the journal still drains', async () => {
      fake.fail('sendMessage', { kind: 'blocked' }, 1);
      const userId = newTgUserId();
      await post(messageUpdate({ userId, text: '/start' }));
      await fake.waitFor((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === userId);
      await until(
        async () => (await journalLength(t.get(RedisService).client)) === 0,
        3000,
        'journal drained',
      );
      fake.clearFailures();
    });

    it('BotMessenger.sendText sends a plain message', async () => {
      const chatId = newTgUserId();
      await t.get(BotMessenger).sendText(chatId, 'Your code: 123456');
      expect(fake.textsTo(chatId)).toEqual(['Your code: 123456']);
      fake.fail('sendMessage', { kind: 'blocked' }, 1);
      await expect(t.get(BotMessenger).sendText(chatId, 'again')).rejects.toThrow(/blocked/);
    });
  });

  it('long polling (BOT_TOKEN, no PUBLIC_URL) feeds the same pipeline and shuts down cleanly', async () => {
    const t = await TestApp.start({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot });
    try {
      await fake.waitFor((c) => c.method === 'deleteWebhook');
      const userId = newTgUserId();
      const update = messageUpdate({ userId, text: '/start', languageCode: 'en', firstName: 'Pol' });
      fake.pushUpdate(update);
      const sent = await fake.waitFor(
        (c) => c.method === 'sendMessage' && Number(c.params.chat_id) === userId,
      );
      expect(sent.params.text).toBe('Hello, Pol! Please choose your language:');
      // Telegram would send it again if the offset were not advanced; dedupe would absorb it anyway.
      await fake.waitFor(
        (c) => c.method === 'getUpdates' && Number(c.params.offset) === update.update_id + 1,
      );
    } finally {
      await t.stop();
    }
  });

  it('sandbox (no BOT_TOKEN): /start is answered into the recorder, nothing reaches a Bot API', async () => {
    const t = await TestApp.start({ TELEGRAM_API_ROOT: fake.apiRoot, TG_WEBHOOK_SECRET: SECRET });
    try {
      fake.reset();
      const userId = newTgUserId();
      expect(
        await t
          .get(TelegramGateway)
          .accept(messageUpdate({ userId, text: '/start', languageCode: 'en', firstName: 'Sam' }), 'sandbox'),
      ).toBe('accepted');
      const sandbox = t.get(BotSandbox);
      expect(sandbox.active).toBe(true);
      await until(async () => (await sandbox.recentCalls()).length > 0, 3000, 'recorded call');
      const [call] = await sandbox.recentCalls();
      expect(call).toMatchObject({
        method: 'sendMessage',
        payload: { chat_id: userId, text: 'Hello, Sam! Please choose your language:' },
      });
      expect(call.traceId).toMatch(/^\d+$/);
      expect(fake.calls).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });
});
