import type { Update } from 'telegraf/types';
import type { AppConfig } from '../../config/app-config';
import { Admission, streamIdAtMost, UpdateJournal } from './update-journal';
import type { WebhookRedis } from './webhook-redis';

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A Redis client whose admission script replies only when the test says so. */
function stubRedis() {
  const replies: ((reply: [string, string]) => void)[] = [];
  const client = {
    defineCommand: () => undefined,
    // One call per turn of the event loop, carrying that turn's admissions: here, one each.
    tgAdmit: () => new Promise<[string, string][]>((resolve) => replies.push((reply) => resolve([reply]))),
  };
  return { redis: { client } as unknown as WebhookRedis, replies };
}

const config = {
  webhook: { rateLimit: 30, rateWindowSeconds: 10, partitions: 16 },
  redisPrefix: '',
} as AppConfig;
const update = (id: number) => ({ update_id: id, message: { text: 'hi' } }) as unknown as Update;

describe('UpdateJournal', () => {
  it('hands admissions on in the order they were sent, whatever order their replies settle in', async () => {
    const { redis, replies } = stubRedis();
    const journal = new UpdateJournal(redis, config);
    const delivered: string[] = [];
    journal.onAdmitted((admission: Admission) => delivered.push(admission.entry!.id));

    const answers: Promise<Admission>[] = [];
    for (let i = 1; i <= 3; i++) {
      answers.push(journal.admit(update(i), 7, 0, 'webhook'));
      await turn(); // one admission per event-loop turn: each is its own command
    }
    expect(replies).toHaveLength(3);

    replies[2](['accepted', '1-3']);
    replies[1](['accepted', '1-2']);
    await turn();
    expect(delivered).toEqual([]); // the first is still out

    replies[0](['accepted', '1-1']);
    await Promise.all(answers);
    expect(delivered).toEqual(['1-1', '1-2', '1-3']);
  });
});

describe('streamIdAtMost', () => {
  it('orders Redis stream ids by milliseconds, then sequence, as numbers', () => {
    expect(streamIdAtMost('1700000000000-0', '1700000000000-0')).toBe(true);
    expect(streamIdAtMost('1700000000000-9', '1700000000000-10')).toBe(true);
    expect(streamIdAtMost('1700000000000-10', '1700000000000-9')).toBe(false);
    expect(streamIdAtMost('999999999999-5', '1000000000000-0')).toBe(true);
    expect(streamIdAtMost('1700000000001-0', '1700000000000-99')).toBe(false);
    expect(streamIdAtMost('0-1', '0-2')).toBe(true);
    expect(streamIdAtMost('0-2', '0-1')).toBe(false);
    expect(streamIdAtMost('5-0', '10-0')).toBe(true);
    expect(streamIdAtMost('10-0', '5-0')).toBe(false);
    expect(streamIdAtMost('1700000000000-100', '1700000000000-99')).toBe(false);
  });

  it('agrees with comparing the numbers, for ids of every length', () => {
    const id = (i: number) =>
      `${[0, 7, 42, 999, 1700000000000, 1799999999999][i % 6] + (i % 3)}-${(i * 7919) % 1201}`;
    const parts = (x: string) => x.split('-').map(BigInt);
    for (let i = 0; i < 400; i++)
      for (const j of [i + 1, i + 6, i * 3 + 2]) {
        const [a, b] = [id(i), id(j)];
        const [[am, as], [bm, bs]] = [parts(a), parts(b)];
        expect(streamIdAtMost(a, b)).toBe(am < bm || (am === bm && as <= bs));
      }
  });
});
