import type { Language, LocationDto, ServiceDto, SpecialistDto } from '../../../../booking/api';
import { pageOf } from '../../../ui/keyboard';
import { checkScreen } from '../../../ui/screen';
import { AdminSpecialists } from './specialists.routes';
import { cardScreen, locationsScreen, serviceScreen, servicesScreen } from './specialists.screens';

const location = (id: number, name: string): LocationDto => ({
  id,
  name,
  address: '',
  timeZone: 'Europe/Berlin',
  active: true,
});
const service = (id: number, name: string, durationMin: number, price: number): ServiceDto => ({
  id,
  name,
  description: '',
  durationMin,
  price,
  active: true,
});
const anna: SpecialistDto = {
  id: 7,
  userId: 70,
  name: 'Anna',
  bio: '',
  active: true,
  locations: [{ id: 1, name: 'Mitte', timeZone: 'Europe/Berlin', active: true }],
  services: [
    {
      serviceId: 3,
      name: 'Haircut',
      durationMin: 45,
      price: 3000,
      customDurationMin: 45,
      customPrice: 3000,
      active: true,
    },
  ],
};
const labels = (s: { keyboard: { text: string }[][] }) => s.keyboard.flat().map((b) => b.text);
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe('the admin’s specialist screens', () => {
  it.each<[Language, SpecialistDto, string]>([
    ['en', anna, 'About: none\nLocations: Mitte\nServices:\n• Haircut · 45 min · €30.00'],
    [
      'ru',
      { ...anna, bio: 'Стрижки', services: [], locations: [] },
      'О себе: Стрижки\nФилиалы: нет\nУслуги:\nнет',
    ],
  ])('the card in %p', (lang, s, part) => {
    const screen = checkScreen(cardScreen(lang, s, 'EUR'));
    expect(plain(screen.text)).toContain(part);
  });

  it('locations are toggles, ticked where the specialist works', () => {
    const screen = locationsScreen('en', anna, [location(1, 'Mitte'), location(2, 'Ural')]);
    expect(labels(screen)).toEqual(['✅ Mitte', '⬜️ Ural', '⬅️ Back', '🏠 Home']);
  });

  it('services are toggles; an offered one shows its own duration and price and opens them', () => {
    const screen = servicesScreen(
      'en',
      anna,
      pageOf([service(3, 'Haircut', 60, 3500), service(4, 'Nails', 45, 2500)], 0),
      'EUR',
    );
    expect(screen.keyboard[0].map((b) => plain(b.text))).toEqual(['✅ Haircut', '⚙️ 45 min · €30.00']);
    expect(screen.keyboard[1].map((b) => b.text)).toEqual(['⬜️ Nails']);
    expect('callback_data' in screen.keyboard[0][1] && screen.keyboard[0][1].callback_data).toBe(
      AdminSpecialists.service.encode(7, 3),
    );
  });

  it('the own duration and price card compares them with the service’s', () => {
    const screen = serviceScreen('en', anna, anna.services[0], service(3, 'Haircut', 60, 3500), 'EUR');
    expect(plain(screen.text)).toContain(
      "Duration: 45 min (the service's: 1 h)\nPrice: €30.00 (the service's: €35.00)",
    );
    expect(labels(screen)).toContain('✅ 45 min');
  });
});
