import fc from 'fast-check';
import { ChatScheduler } from './chat-scheduler';

const tick = () => new Promise((r) => setImmediate(r));

describe('ChatScheduler', () => {
  it('keeps per-key order, never overlaps a key and never exceeds the concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 4 }),
        async (items, concurrency) => {
          const active = new Set<number>();
          let running = 0;
          let maxRunning = 0;
          const done: { key: number; index: number }[] = [];
          const scheduler = new ChatScheduler<{ key: number; ticks: number; index: number }>(
            concurrency,
            async (item) => {
              expect(active.has(item.key)).toBe(false);
              active.add(item.key);
              maxRunning = Math.max(maxRunning, ++running);
              for (let i = 0; i < item.ticks; i++) await tick();
              active.delete(item.key);
              running--;
              done.push({ key: item.key, index: item.index });
            },
          );
          items.forEach(([key, ticks], index) => scheduler.push(String(key), { key, ticks, index }));
          while (scheduler.size > 0) await tick();
          expect(done).toHaveLength(items.length);
          expect(maxRunning).toBeLessThanOrEqual(concurrency);
          for (let key = 0; key <= 5; key++) {
            const pushedOrder = items
              .map(([k], index) => ({ k, index }))
              .filter(({ k }) => k === key)
              .map(({ index }) => index);
            expect(done.filter((d) => d.key === key).map((d) => d.index)).toEqual(pushedOrder);
          }
        },
      ),
    );
  });

  it('lets other keys run while one key is stuck', async () => {
    let release!: () => void;
    const ran: string[] = [];
    const scheduler = new ChatScheduler<string>(2, async (item) => {
      if (item === 'slow') await new Promise<void>((r) => (release = r));
      ran.push(item);
    });
    scheduler.push('a', 'slow');
    scheduler.push('a', 'after-slow');
    scheduler.push('b', 'b1');
    scheduler.push('c', 'c1');
    await tick();
    expect(ran).toEqual(['b1', 'c1']);
    release();
    while (scheduler.size > 0) await tick();
    expect(ran).toEqual(['b1', 'c1', 'slow', 'after-slow']);
  });
});
