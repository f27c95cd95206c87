import { Nav } from './routes';
import { KeyboardBuilder, pageOf } from './keyboard';
import { checkScreen, ScreenLimitError } from './screen';

describe('keyboard builder and screen limits', () => {
  it.each([
    [0, 0, 1, 0],
    [8, 0, 1, 8],
    [9, 1, 2, 1],
    [20, 5, 3, 4],
    [20, -1, 3, 8],
  ])('%i items, page %i: %i pages, %i on the page (clamped)', (count, page, pages, onPage) => {
    const paged = pageOf(
      Array.from({ length: count }, (_, i) => i),
      page,
    );
    expect(paged.pages).toBe(pages);
    expect(paged.items).toHaveLength(onPage);
  });

  it.each([
    [0, ['1/3', '▶️']],
    [1, ['◀️', '2/3', '▶️']],
    [2, ['◀️', '3/3']],
  ])('paging on page %i shows %j', (page, row) => {
    const kb = new KeyboardBuilder('en').paging({ items: [], page, pages: 3 }, (p) => `page:${p}`).build();
    expect(kb[0].map((b) => b.text)).toEqual(row);
  });

  it('Back goes where it is told, Home to the main menu', () => {
    const [row] = new KeyboardBuilder('ru').nav('bl:0').build();
    expect(row).toEqual([
      { text: '⬅️ Назад', callback_data: 'bl:0' },
      { text: '🏠 Главное меню', callback_data: Nav.home.encode() },
    ]);
  });

  it.each([
    ['an empty text', { text: '', keyboard: [] }],
    ['4,097 characters', { text: 'x'.repeat(4097), keyboard: [] }],
    [
      '101 buttons',
      { text: 'x', keyboard: Array.from({ length: 101 }, () => [{ text: 'b', callback_data: 'n' }]) },
    ],
  ])('refuses %s before Telegram would', (_what, screen) => {
    expect(() => checkScreen(screen)).toThrow(ScreenLimitError);
  });

  it('accepts exactly 4,096 characters and 100 buttons', () => {
    const keyboard = Array.from({ length: 25 }, () =>
      Array.from({ length: 4 }, () => ({ text: 'b', callback_data: 'n' })),
    );
    expect(checkScreen({ text: 'x'.repeat(4096), keyboard })).toBeDefined();
  });
});
