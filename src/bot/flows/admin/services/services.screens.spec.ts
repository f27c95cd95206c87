import type { ServiceDto } from '../../../../booking/api';
import { pageOf } from '../../../ui/keyboard';
import { checkScreen } from '../../../ui/screen';
import { AdminServices } from './services.routes';
import { cardScreen, DURATION_STEPS, durationButtons, listScreen, promptScreen } from './services.screens';

const service = (over: Partial<ServiceDto> = {}): ServiceDto => ({
  id: 4,
  name: 'Haircut',
  description: '',
  durationMin: 90,
  price: 3550,
  active: true,
  ...over,
});
const labels = (s: { keyboard: { text: string }[][] }) => s.keyboard.flat().map((b) => b.text);

describe('the admin’s service screens', () => {
  it.each([
    ['en', 'EUR', 'Haircut · 1 h 30 min · €35.50'],
    ['ru', 'EUR', 'Haircut · 1 ч 30 мин · 35,50 €'],
    ['en', 'RUB', 'Haircut · 1 h 30 min · RUB 35.50'],
  ] as const)('a list line in %p and %p', (lang, currency, line) => {
    const screen = checkScreen(listScreen(lang, pageOf([service()], 0), currency));
    expect(labels(screen)[0].replace(/\u00a0/g, ' ')).toBe(line);
  });

  it.each([
    [service(), 'en', '💇 Haircut\nDuration: 1 h 30 min\nPrice: €35.50\nStatus: active'],
    [
      service({ active: false, durationMin: 45 }),
      'ru',
      '💇 Haircut\nДлительность: 45 мин\nЦена: 35,50 €\nСтатус: отключено',
    ],
  ] as const)('the card of %j in %p', (s, lang, text) => {
    expect(cardScreen(lang, s, 'EUR').text.replace(/\u00a0/g, ' ')).toBe(text);
  });

  it('durations are 15-minute steps up to 4 hours, the chosen one ticked', () => {
    expect(DURATION_STEPS[0]).toBe(15);
    expect(DURATION_STEPS.every((m) => m % 15 === 0)).toBe(true);
    const buttons = durationButtons('en', (m) => AdminServices.duration.encode(m), 60);
    expect(buttons.map((b) => b.text)).toContain('✅ 1 h');
    expect(buttons.filter((b) => b.text.startsWith('✅'))).toHaveLength(1);
    expect(buttons[buttons.length - 1].text).toBe('4 h');
  });

  it.each([
    ['name', 2],
    ['duration', 18],
    ['price', 2],
  ] as const)('the %p prompt has %p buttons', (step, count) => {
    expect(labels(promptScreen('en', step, AdminServices.list.encode(0)))).toHaveLength(count);
  });
});
