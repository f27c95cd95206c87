import type { LocationDto } from '../../../../booking/api';
import { pageOf } from '../../../ui/keyboard';
import { checkScreen } from '../../../ui/screen';
import { AdminLocations } from './locations.routes';
import { cardScreen, deactivateAskScreen, listScreen, promptScreen } from './locations.screens';

const location = (id: number, active = true): LocationDto => ({
  id,
  name: `Salon ${id}`,
  address: id % 2 ? `Street ${id}` : '',
  timeZone: 'Europe/Berlin',
  active,
});
const labels = (s: { keyboard: { text: string }[][] }) => s.keyboard.flat().map((b) => b.text);

describe('the admin’s location screens', () => {
  it.each([
    [0, 'en', 'There are no locations yet. Add the first one.', ['➕ Add a location', '🏠 Home']],
    [
      1,
      'ru',
      'Филиалы. Выберите филиал, чтобы изменить его, или добавьте новый.',
      ['Salon 1 · Europe/Berlin'],
    ],
    [9, 'en', 'Locations. Choose one to edit it, or add a new one.', ['1/2', '▶️']],
  ] as const)('a list of %p', (count, lang, text, some) => {
    const screen = checkScreen(
      listScreen(
        lang,
        pageOf(
          Array.from({ length: count }, (_, i) => location(i + 1)),
          0,
        ),
      ),
    );
    expect(screen.text).toBe(text);
    expect(labels(screen)).toEqual(expect.arrayContaining([...some]));
  });

  it.each([
    [
      location(1),
      'en',
      '📍 Salon 1\nAddress: Street 1\nTime zone: Europe/Berlin\nStatus: active',
      '🚫 Deactivate',
    ],
    [
      location(2, false),
      'ru',
      '📍 Salon 2\nАдрес: —\nЧасовой пояс: Europe/Berlin\nСтатус: отключено',
      '✅ Включить снова',
    ],
  ] as const)('the card of %j', (l, lang, text, toggle) => {
    const screen = cardScreen(lang, l);
    expect(screen.text).toBe(text);
    expect(labels(screen)).toContain(toggle);
  });

  it('deactivation asks first, with Yes and No', () => {
    const screen = deactivateAskScreen('en', location(3));
    expect(screen.keyboard[0].map((b) => [b.text, 'callback_data' in b && b.callback_data])).toEqual([
      ['Yes, deactivate', AdminLocations.deactivate.encode(3)],
      ['No', AdminLocations.card.encode(3)],
    ]);
  });

  it.each([
    ['name', 0],
    ['address', 0],
    ['zone', 8],
  ] as const)('the %p prompt has %p zone buttons', (step, zones) => {
    const screen = promptScreen('en', step, AdminLocations.list.encode(0));
    expect(labels(screen).filter((l) => l.includes('/'))).toHaveLength(zones);
  });
});
