import { LocationsApi, SchedulesApi, ServicesApi, SpecialistsApi, UsersApi } from '../../src/booking/api';
import { SYSTEM_ACTOR } from '../../src/common/actor';
import { newTgUserId } from './telegram-updates';
import type { TestApp } from './test-app';

export interface BotSalon {
  locationId: number;
  timeZone: string;
  haircutId: number;
  coloringId: number;
  anna: { id: number; userId: number; tgId: number };
  boris: { id: number; userId: number; tgId: number };
  admin: { userId: number; tgId: number };
}

/**
 * A small salon made through the contracts as the system: one location in Berlin, a haircut (60 min,
 * 35.00) and a coloring (90 min, 80.00), two specialists with Telegram accounts working 09:00-18:00
 * every day, and an admin with a Telegram account (so notifications reach the fake Bot API).
 */
export async function botSalon(t: TestApp, options: { timeZone?: string } = {}): Promise<BotSalon> {
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const location = await t
    .get(LocationsApi)
    .create(SYSTEM_ACTOR, { name: 'Salon Mitte', address: 'Torstr. 1', timeZone });
  const services = t.get(ServicesApi);
  const haircut = await services.create(SYSTEM_ACTOR, { name: 'Haircut', durationMin: 60, price: 3500 });
  const coloring = await services.create(SYSTEM_ACTOR, { name: 'Coloring', durationMin: 90, price: 8000 });
  const specialist = async (name: string) => {
    const tgId = newTgUserId();
    const created = await t.get(SpecialistsApi).create(SYSTEM_ACTOR, {
      user: { name, tgId },
      locationIds: [location.id],
      services: [{ serviceId: haircut.id }, { serviceId: coloring.id }],
    });
    await t.get(SchedulesApi).replaceWeek(
      SYSTEM_ACTOR,
      created.id,
      location.id,
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 9 * 60, endMin: 18 * 60 })),
    );
    return { id: created.id, userId: created.userId, tgId };
  };
  const anna = await specialist('Anna');
  const boris = await specialist('Boris');
  const adminTgId = newTgUserId();
  const admin = await t.get(UsersApi).ensureAdmin(adminTgId, 'Olga');
  return {
    locationId: location.id,
    timeZone,
    haircutId: haircut.id,
    coloringId: coloring.id,
    anna,
    boris,
    admin: { userId: admin.userId, tgId: adminTgId },
  };
}
