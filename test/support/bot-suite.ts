import { Language, UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { Clock } from '../../src/infra/clock/clock';
import { BotChat, BotChatOptions, BotProcessing } from './bot-chat';
import { botSalon, BotSalon } from './bot-salon';
import { FakeTelegramApi } from './fake-telegram-api';
import { TestApp } from './test-app';

export interface BotSuiteOptions {
  /** More env for the app (TG_RATE_LIMIT, ...). */
  env?: Record<string, string>;
  /** The small salon of bot-salon.ts, made before the first test. */
  salon?: boolean;
  /** The app's clock runs `shift` ms ahead of the real one, from this and back to it after each test. */
  clockShift?: number;
}

/**
 * What a bot e2e file works with: the real app in webhook mode talking to a fake Bot API, chats that
 * wait for exactly the updates they send, and the salon if asked for. Made by `botSuite()`.
 */
export class BotSuite {
  private readonly secret: string;
  private readonly token: string;
  /** With `clockShift`: how far the app's clock is ahead of the real one. */
  shift = 0;
  private started?: { app: TestApp; fake: FakeTelegramApi; processing: BotProcessing; salon?: BotSalon };

  constructor(name: string) {
    this.secret = name;
    this.token = `123456:${name}_ABCDEFGHIJKLMNOPQRST`;
  }

  get app(): TestApp {
    return this.running().app;
  }

  get fake(): FakeTelegramApi {
    return this.running().fake;
  }

  get salon(): BotSalon {
    const { salon } = this.running();
    if (!salon) throw new Error('botSuite() was made without { salon: true }');
    return salon;
  }

  /** A chat with the bot; a new Telegram user unless `userId` is given. */
  chat(options: BotChatOptions = {}): BotChat {
    const { app, fake, processing } = this.running();
    return new BotChat(app, fake, processing, this.secret, options);
  }

  /** A chat after the first /start: language chosen, phone skipped. */
  async onboarded(
    lang: Language = 'en',
    options: Omit<BotChatOptions, 'languageCode'> = {},
  ): Promise<BotChat> {
    const chat = this.chat({ ...options, languageCode: lang });
    await chat.send('/start');
    await chat.press(lang === 'en' ? 'English' : 'Русский');
    await chat.send(lang === 'en' ? 'Skip' : 'Пропустить');
    return chat;
  }

  /** The user id the bot registered for a chat's Telegram user. */
  async userIdOf(chat: BotChat): Promise<number> {
    return (await this.app.get(UsersApi).list(SYSTEM_ACTOR, { tgId: chat.userId })).items[0].id;
  }

  async start(options: BotSuiteOptions): Promise<void> {
    const fake = await FakeTelegramApi.start();
    const app = await TestApp.start({
      BOT_TOKEN: this.token,
      PUBLIC_URL: 'https://salon.example.com/',
      TG_WEBHOOK_SECRET: this.secret,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ...options.env,
    });
    if (options.clockShift !== undefined) {
      this.shift = options.clockShift;
      jest.spyOn(app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + this.shift));
    }
    const processing = new BotProcessing(app);
    this.started = { app, fake, processing };
    if (options.salon) this.started.salon = await botSalon(app);
  }

  async stop(): Promise<void> {
    await this.started?.app.stop();
    await this.started?.fake.stop();
  }

  private running(): NonNullable<BotSuite['started']> {
    if (!this.started) throw new Error('the bot suite starts in beforeAll: use it inside tests and hooks');
    return this.started;
  }
}

/**
 * The setup of a bot e2e file, in its describe: starts the fake Bot API and the app before the first
 * test and stops them after the last. `name` is the webhook secret (and part of the bot token).
 */
export function botSuite(name: string, options: BotSuiteOptions = {}): BotSuite {
  const suite = new BotSuite(name);
  beforeAll(() => suite.start(options));
  afterAll(() => suite.stop());
  const { clockShift } = options;
  if (clockShift !== undefined)
    afterEach(() => {
      suite.shift = clockShift;
    });
  return suite;
}
