import Redis from 'ioredis';
import type { Context } from 'telegraf';
import { RedisService } from '../../src/infra/redis/redis.service';
import { MenuController } from '../../src/bot/ui/menu-controller';
import { forgetPrefix } from '../support/redis-prefix';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const screen = { text: 'Choose a service', keyboard: [[{ text: 'Haircut', callback_data: 'bp:1' }]] };

describe('MenuController: the current menu remembered under the chat custody', () => {
  const prefix = `test:menus:${process.pid}:`;
  let redis: Redis;
  let nextMessageId = 100;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { keyPrefix: prefix });
  });
  afterAll(async () => {
    redis.disconnect();
    await forgetPrefix(REDIS_URL, prefix);
  });

  const controller = () => new MenuController({ client: redis } as RedisService);
  /** One update of chat 7: a press on `pressed`, or a message; `custody` as the gateway would give it. */
  const update = (custody: string | undefined, pressed?: number) =>
    ({
      update: {},
      chat: { id: 7 },
      callbackQuery: pressed === undefined ? undefined : { id: 'q', message: { message_id: pressed } },
      state: { user: { custody } },
      telegram: {
        sendMessage: async () => ({ message_id: ++nextMessageId }),
        editMessageText: async () => true,
        deleteMessage: async () => true,
      },
    }) as unknown as Context;
  const reads = () => {
    const get = jest.spyOn(redis, 'get');
    return { count: () => get.mock.calls.length, stop: () => get.mockRestore() };
  };

  it('answers whether a press is on the current menu without reading Redis while the custody is unchanged', async () => {
    const menus = controller();
    await menus.open(update('a/1/0'), screen);
    const current = nextMessageId;
    const counted = reads();
    try {
      expect(await menus.isCurrent(update('a/1/0', current), current)).toBe(true);
      expect(await menus.isCurrent(update('a/1/0', current - 1), current - 1)).toBe(false);
      await menus.show(update('a/1/0', current), screen);
      expect(counted.count()).toBe(0);
      // Another custody (the partition was held elsewhere meanwhile), or none: Redis is asked.
      expect(await menus.isCurrent(update('a/1/1', current), current)).toBe(true);
      expect(await menus.isCurrent(update(undefined, current), current)).toBe(true);
      expect(counted.count()).toBe(2);
    } finally {
      counted.stop();
    }
  });

  it('reads what another process showed once the custody changed, never the remembered menu', async () => {
    const here = controller();
    const there = controller();
    await here.open(update('here/1/0'), screen);
    const mine = nextMessageId;
    // The chat's partition moves: the other instance opens a new menu.
    await there.open(update('there/1/0'), screen);
    const theirs = nextMessageId;
    // Back here, under a new epoch.
    expect(await here.isCurrent(update('here/1/1', mine), mine)).toBe(false);
    expect(await here.isCurrent(update('here/1/1', theirs), theirs)).toBe(true);
  });

  it('forgets the chat when writing the current menu failed (the write may have landed)', async () => {
    const menus = controller();
    await menus.open(update('f/1/0'), screen);
    const current = nextMessageId;
    const set = jest.spyOn(redis, 'set').mockRejectedValueOnce(new Error('Connection is closed.'));
    try {
      await expect(menus.show(update('f/1/0', current), screen)).rejects.toThrow('Connection is closed.');
    } finally {
      set.mockRestore();
    }
    const counted = reads();
    try {
      expect(await menus.isCurrent(update('f/1/0', current), current)).toBe(true);
      expect(counted.count()).toBe(1);
    } finally {
      counted.stop();
    }
  });
});
