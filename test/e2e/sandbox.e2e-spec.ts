import { request as httpRequest, IncomingMessage } from 'node:http';
import { UsersApi } from '../../src/booking/api';
import { BotMessenger, BotSandbox, RecordedBotCall } from '../../src/bot/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { bookOver, clientWithToken, seedSalon, setBusinessSettings } from '../support/booking-fixtures';
import { newTgUserId } from '../support/telegram-updates';
import { TestApp } from '../support/test-app';
import { until } from '../support/until';

const TOKEN = '123456:TEST-token_ABCDEFGHIJKLMNOP';

describe('the sandbox chat page (no BOT_TOKEN)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  const user = (languageCode = 'en') => ({ id: newTgUserId(), firstName: 'Sam', languageCode });
  const transcript = async (chatId: number): Promise<RecordedBotCall[]> =>
    (await t.request('GET', `/sandbox/api/chats/${chatId}/transcript`)).body;

  it('serves the page and its script and styles, with no CDN or external font', async () => {
    const page = await t.request('GET', '/sandbox');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<script src="/sandbox/sandbox.js">');
    for (const [path, type] of [
      ['/sandbox/sandbox.js', /^text\/javascript/],
      ['/sandbox/sandbox.css', /^text\/css/],
    ] as const) {
      const res = await t.request('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(type);
      expect(res.body).not.toMatch(/https?:\/\/(?!localhost)/);
    }
    expect(page.body).not.toMatch(/https?:\/\//);
  });

  it('answers 404 to a client that is not on this machine', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/sandbox/api/personas',
      remoteAddress: '203.0.113.7',
    });
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'not_found',
      message: 'Cannot GET /sandbox/api/personas',
    });
  });

  it('lists the demo personas, none created yet', async () => {
    const res = await t.request('GET', '/sandbox/api/personas');
    expect(res.status).toBe(200);
    expect(res.body.map((p: { role: string; exists: boolean }) => [p.role, p.exists])).toEqual([
      ['admin', false],
      ['specialist', false],
      ['client', false],
    ]);
  });

  it('/start typed on the page goes through the gateway; the chat shows it and the answer, in order', async () => {
    const sam = user();
    const sent = await t.request('POST', '/sandbox/api/messages', { body: { user: sam, text: '/start' } });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ messageId: expect.any(Number), outcome: 'accepted' });
    await until(async () => expect((await transcript(sam.id)).length).toBe(2));
    const [mine, answer] = await transcript(sam.id);
    expect(mine).toMatchObject({
      from: 'user',
      method: 'message',
      seq: sent.body.messageId,
      payload: {
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
        from: { id: sam.id },
      },
    });
    expect(answer).toMatchObject({
      from: 'bot',
      method: 'sendMessage',
      chatId: sam.id,
      payload: { text: 'Hello, Sam! Please choose your language:' },
    });
    expect(answer.seq).toBeGreaterThan(mine.seq!);
  });

  it("a contact shared from a reply button is the sender's own", async () => {
    const sam = user();
    const sent = await t.request('POST', '/sandbox/api/contacts', {
      body: { user: sam, phone: '+49 170 1234567' },
    });
    expect(sent.status).toBe(201);
    const [entry] = await transcript(sam.id);
    expect(entry.payload).toMatchObject({
      contact: { phone_number: '+491701234567', user_id: sam.id, first_name: 'Sam' },
    });
  });

  it.each([
    ['/sandbox/api/messages', { text: '/start' }, 'user'],
    ['/sandbox/api/messages', { user: { id: -1, firstName: 'x' }, text: 'hi' }, 'id'],
    ['/sandbox/api/messages', { user: { id: 5, firstName: 'x' }, text: '' }, 'text'],
    [
      '/sandbox/api/messages',
      { user: { id: 5, firstName: 'x', languageCode: 'english' }, text: 'hi' },
      'languageCode',
    ],
    ['/sandbox/api/contacts', { user: { id: 5, firstName: 'x' }, phone: '12' }, 'phone'],
    [
      '/sandbox/api/callbacks',
      { user: { id: 5, firstName: 'x' }, messageId: 1, data: 'x'.repeat(65) },
      'data',
    ],
  ])('POST %s with a bad body answers 400 (%j)', async (path, body, field) => {
    const res = await t.request('POST', path, { body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', message: expect.stringContaining(field) });
  });

  it('a button of a message that is not in the chat answers 404; a bad chat id 400', async () => {
    const res = await t.request('POST', '/sandbox/api/callbacks', {
      body: { user: user(), messageId: 999999999, data: 'x' },
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect((await t.request('GET', '/sandbox/api/chats/abc/transcript')).status).toBe(400);
  });

  it('a pressed button reaches the bot with its message: the answer toast and the edit land in the chat', async () => {
    const clock = jest.spyOn(t.get(Clock), 'now').mockReturnValue(new Date('2026-03-20T09:00:00Z'));
    try {
      await setBusinessSettings(t, {
        autoConfirm: true,
        cancellationCutoffMin: 120,
        minNoticeMin: 60,
        horizonDays: 60,
      });
      const adminTg = newTgUserId();
      await t
        .get(UsersApi)
        .create(SYSTEM_ACTOR, { name: 'Olga', role: 'admin', tgId: adminTg, language: 'en' });
      const salon = await seedSalon(t, { specialists: 1 });
      const client = await clientWithToken(t);
      const booked = await bookOver(t, salon, client.token, '2026-03-23T09:00:00.000Z');
      expect(booked.status).toBe(201);
      clock.mockReturnValue(new Date('2026-03-23T10:05:00Z'));
      await t
        .get(BotMessenger)
        .sendText(adminTg, 'Did the visit take place?', [
          [{ text: 'Yes', data: `bkdone:${booked.body.id}:done` }],
        ]);
      const [question] = await transcript(adminTg);
      expect(question.payload.reply_markup).toEqual({
        inline_keyboard: [[{ text: 'Yes', callback_data: `bkdone:${booked.body.id}:done` }]],
      });

      const admin = { id: adminTg, firstName: 'Olga', languageCode: 'en' };
      const pressed = await t.request('POST', '/sandbox/api/callbacks', {
        body: { user: admin, messageId: question.seq, data: `bkdone:${booked.body.id}:done` },
      });
      expect(pressed.status).toBe(201);
      expect(pressed.body).toEqual({ callbackQueryId: expect.any(String), outcome: 'accepted' });
      await until(async () =>
        expect((await transcript(adminTg)).map((e) => e.method)).toContain('editMessageText'),
      );
      const edit = (await transcript(adminTg)).find((e) => e.method === 'editMessageText')!;
      expect(edit.payload).toMatchObject({
        message_id: question.seq,
        text: expect.stringMatching(/^Did the visit take place\?\n\n\S/),
      });
      const answer = (await t.get(BotSandbox).recentCalls()).find(
        (c) =>
          c.method === 'answerCallbackQuery' && c.payload.callback_query_id === pressed.body.callbackQueryId,
      );
      expect(answer?.payload.text).toBeTruthy();
      expect(
        (await t.request('GET', `/api/v1/bookings/${booked.body.id}`, { token: client.token })).body.status,
      ).toBe('done');
    } finally {
      clock.mockRestore();
    }
  });

  it('streams every entry live over server-sent events, after a ready event', async () => {
    const port = await t.port();
    let text = '';
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/sandbox/api/events' }, resolve);
      req.on('error', reject);
      req.end();
    });
    try {
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      await until(() => expect(text).toContain('event: ready'));
      const sam = user('ru');
      await t.request('POST', '/sandbox/api/messages', { body: { user: sam, text: '/start' } });
      await until(() => expect(text).toContain('Здравствуйте, Sam!'));
      const entries = text
        .split('\n\n')
        .filter((block) => block.startsWith('event: entry'))
        .map((block) => JSON.parse(block.split('\ndata: ')[1]) as RecordedBotCall)
        .filter((e) => e.chatId === sam.id);
      expect(entries.map((e) => [e.from, e.method])).toEqual([
        ['user', 'message'],
        ['bot', 'sendMessage'],
      ]);
    } finally {
      response.destroy();
    }
  });
});

describe('the sandbox elsewhere', () => {
  it('is not there when a BOT_TOKEN is set', async () => {
    const t = await TestApp.start({ BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
    try {
      for (const path of ['/sandbox', '/sandbox/sandbox.js', '/sandbox/api/personas']) {
        const res = await t.request('GET', path);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'not_found' });
      }
      expect((await t.request('POST', '/sandbox/api/messages', { body: {} })).status).toBe(404);
    } finally {
      await t.stop();
    }
  });

  it('SANDBOX_ALLOW_REMOTE=true opens it to other machines', async () => {
    const t = await TestApp.start({ SANDBOX_ALLOW_REMOTE: 'true' });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/sandbox', remoteAddress: '203.0.113.7' });
      expect(res.statusCode).toBe(200);
    } finally {
      await t.stop();
    }
  });
});
