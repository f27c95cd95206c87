import { composeScreen, progressText, rolesOf } from './broadcast.screens';

describe('broadcast screens', () => {
  it.each([
    [0, []],
    [1, ['client']],
    [6, ['specialist', 'admin']],
    [7, ['client', 'specialist', 'admin']],
  ])('mask %i is %j', (mask, roles) => {
    expect(rolesOf(mask)).toEqual(roles);
  });

  it.each([
    [
      'en',
      { total: null, sent: 0, failed: 0, queued: 0, done: false },
      '📣 Broadcast: finding the recipients…',
    ],
    [
      'en',
      { total: 50, sent: 20, failed: 1, queued: 29, done: false },
      '📣 Broadcast: 50 messages\nQueued: 29\nSent: 20\nFailed: 1',
    ],
    [
      'en',
      { total: 50, sent: 49, failed: 1, queued: 0, done: true },
      '📣 Broadcast done: 50 messages\nSent: 49\nFailed: 1\nQueued: 0',
    ],
    [
      'ru',
      { total: 2, sent: 2, failed: 0, queued: 0, done: true },
      '📣 Рассылка завершена: всего сообщений 2\nОтправлено: 2\nНе доставлено: 0\nВ очереди: 0',
    ],
  ] as const)('%s progress %j', (lang, progress, text) => {
    expect(progressText(lang, progress)).toBe(text);
  });

  it.each([
    [1, ['✅ Clients', '⬜ Specialists', '⬜ Admins'], true],
    [0, ['⬜ Clients', '⬜ Specialists', '⬜ Admins'], false],
  ])('roles %i: toggles, and Send only with a role', (mask, toggles, canSend) => {
    const screen = composeScreen('en', 'Hi', mask);
    expect(screen.keyboard[0].map((b) => b.text)).toEqual(toggles);
    expect(screen.keyboard.flat().some((b) => b.text === '📤 Send')).toBe(canSend);
  });
});
