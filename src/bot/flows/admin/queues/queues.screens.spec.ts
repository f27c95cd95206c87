import { linkText, queuesScreen } from './queues.screens';

describe('queues screens', () => {
  it.each([
    [
      'en',
      '🔑 Send a login link',
      '🔑 Your one-time link to the queues (works once, until Tue 14 Apr, 10:30):\nhttps://x/l',
    ],
    [
      'ru',
      '🔑 Прислать ссылку для входа',
      '🔑 Ваша одноразовая ссылка на очереди (сработает один раз, до Tue 14 Apr, 10:30):\nhttps://x/l',
    ],
  ] as const)('%s', (lang, button, text) => {
    expect(queuesScreen(lang).keyboard[0]).toEqual([{ text: button, callback_data: 'qul' }]);
    expect(linkText(lang, 'https://x/l', 'Tue 14 Apr, 10:30')).toBe(text);
  });
});
