import { NOTIFICATION_EVENT_TYPES } from '../../../../notifications/api';
import { adChoiceScreen, Cell, eventsScreen, matrixScreen } from './notifications.screens';

const on: Cell = { enabled: true, adTemplateId: null, adName: null };
const off: Cell = { enabled: false, adTemplateId: 7, adName: 'Spring' };
const texts = (rows: { text: string }[][]) => rows.map((r) => r.map((b) => b.text));

describe('notification screens', () => {
  it.each([
    ['en', 'Booking cancelled', 'Reminder'],
    ['ru', 'Отмена записи', 'Напоминание'],
  ] as const)('%s: one button per event', (lang, cancelled, reminder) => {
    const labels = texts(eventsScreen(lang).keyboard).flat();
    expect(labels).toEqual(expect.arrayContaining([cancelled, reminder]));
    // A missing label throws; one button per event and Home.
    expect(labels).toHaveLength(NOTIFICATION_EVENT_TYPES.length + 1);
  });

  it.each([
    [
      'en',
      '⬜ Clients · Telegram — ad: Spring',
      '✅ Clients · Web Push — ad: no ad',
      ['⬜ Clients · Telegram', '📎 Spring'],
    ],
    [
      'ru',
      '⬜ Клиенты · Telegram — реклама: Spring',
      '✅ Клиенты · Web Push — реклама: без рекламы',
      ['⬜ Клиенты · Telegram', '📎 Spring'],
    ],
  ] as const)(
    '%s: a toggle and an ad per role and channel, showing their state',
    (lang, first, second, row) => {
      const screen = matrixScreen(lang, 1, [
        [off, on],
        [on, on],
        [on, on],
      ]);
      expect(screen.text).toContain(`${first}\n${second}`);
      expect(texts(screen.keyboard)[0]).toEqual(row);
      expect(screen.keyboard[0].map((b) => 'callback_data' in b && b.callback_data)).toEqual([
        'ntt:1:0:0',
        'nta:1:0:0:0',
      ]);
      expect(screen.keyboard).toHaveLength(6 + 1);
    },
  );

  it('the ad choice marks the current one and pages', () => {
    const ad = (id: number) => ({
      id,
      name: `Ad ${id}`,
      textRu: '',
      textEn: '',
      active: true,
      createdAt: '',
      updatedAt: '',
    });
    const screen = adChoiceScreen('en', [0, 2, 1], 3, { items: [ad(2), ad(3)], page: 0, pages: 2 });
    expect(texts(screen.keyboard).flat()).toEqual([
      'no ad',
      'Ad 2',
      '✓ Ad 3',
      '1/2',
      '▶️',
      '⬅️ Back',
      '🏠 Home',
    ]);
    expect(screen.text).toBe('Which ad goes under "New booking" for Admins (Web Push)?');
  });
});
