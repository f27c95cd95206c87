import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Global, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DateTime } from 'luxon';
import { infrastructure } from '../src/app.module';
import {
  BookingDto,
  BookingStatus,
  BookingsApi,
  LocationDto,
  LocationsApi,
  SchedulesApi,
  ServiceDto,
  ServicesApi,
  SettingsApi,
  SpecialistDto,
  SpecialistsApi,
  UsersApi,
  WeeklyIntervalInput,
} from '../src/booking/api';
import { BookingModule } from '../src/booking/booking.module';
import { Actor, SYSTEM_ACTOR } from '../src/common/actor';
import { AppConfig, ConfigValidationError, loadConfig } from '../src/config/app-config';
import { DEMO_PERSONAS, demoPersona } from '../src/gateway/sandbox/demo-personas';
import { Clock } from '../src/infra/clock/clock';
import { ClockModule } from '../src/infra/clock/clock.module';
import { ensureLocalRedis } from '../src/infra/redis/local-redis';
import { AdTemplatesApi } from '../src/notifications/api';
import { NotificationsModule } from '../src/notifications/notifications.module';

const DAY_MS = 24 * 3600 * 1000;

const LOCATIONS = [
  { name: 'Demo Salon Berlin Mitte', address: 'Torstraße 1, 10119 Berlin', timeZone: 'Europe/Berlin' },
  {
    name: 'Demo Salon Brooklyn',
    address: '120 Bedford Ave, Brooklyn, NY 11249',
    timeZone: 'America/New_York',
  },
];

const SERVICES = [
  { name: 'Haircut', description: 'Wash, cut and style', durationMin: 60, price: 3500 },
  { name: 'Beard trim', description: 'Trim and hot towel', durationMin: 30, price: 1500 },
  { name: 'Colouring', description: 'Full colour with toner', durationMin: 120, price: 8000 },
  { name: 'Manicure', description: 'Shape, cuticles and polish', durationMin: 45, price: 2500 },
  { name: 'Pedicure', description: 'Soak, shape and polish', durationMin: 60, price: 3000 },
  { name: 'Blow-dry', description: 'Wash and blow-dry', durationMin: 30, price: 2000 },
];

interface DemoSpecialist {
  name: string;
  phone: string;
  tgId?: number;
  bio: string;
  location: string;
  /** The first two are at most 60 minutes: the seeded bookings use them. */
  services: { name: string; price?: number }[];
  /** ISO weekday without hours, besides Sunday. */
  restDay: number;
  /** Days from the seed's date to the dated day off (after the week of bookings). */
  dayOffIn: number;
}

const persona = demoPersona('specialist');
const SPECIALISTS: DemoSpecialist[] = [
  {
    name: persona.name,
    phone: persona.phone,
    tgId: persona.tgId,
    bio: 'Cuts and colour, ten years behind the chair',
    location: LOCATIONS[0].name,
    services: [{ name: 'Haircut' }, { name: 'Blow-dry' }, { name: 'Colouring' }],
    restDay: 1,
    dayOffIn: 5,
  },
  {
    name: 'Maya Nails',
    phone: '+15550100012',
    bio: 'Manicure and pedicure',
    location: LOCATIONS[0].name,
    services: [{ name: 'Manicure' }, { name: 'Pedicure' }],
    restDay: 3,
    dayOffIn: 6,
  },
  {
    name: 'James Barber',
    phone: '+15550100013',
    bio: 'Classic cuts and beards',
    location: LOCATIONS[1].name,
    services: [{ name: 'Haircut', price: 4000 }, { name: 'Beard trim' }],
    restDay: 2,
    dayOffIn: 8,
  },
  {
    name: 'Olivia Colour',
    phone: '+15550100014',
    bio: 'Colour specialist',
    location: LOCATIONS[1].name,
    services: [{ name: 'Blow-dry' }, { name: 'Manicure' }, { name: 'Colouring', price: 9000 }],
    restDay: 4,
    dayOffIn: 9,
  },
];

const CLIENTS = [
  ['Emma Brown', '+15550100201'],
  ['Liam Smith', '+15550100202'],
  ['Mia Wagner', '+15550100203'],
  ['Noah Fischer', '+15550100204'],
  ['Ava Johnson', '+15550100205'],
  ['Lucas Weber', '+15550100206'],
  ['Zoe Miller', '+15550100207'],
  ['Ben Schulz', '+15550100208'],
] as const;

const AD_TEMPLATES = [
  {
    name: 'Spring offer',
    textEn: '🌷 Spring offer: 15% off colouring until the end of the month.',
    textRu: '🌷 Весеннее предложение: скидка 15% на окрашивание до конца месяца.',
  },
  {
    name: 'Loyalty card',
    textEn: 'Ask for your loyalty card: every 6th visit is on us.',
    textRu: 'Спросите карту постоянного клиента: каждый 6-й визит бесплатно.',
  },
];

/** Mon-Fri 09:00-13:00 and 14:00-18:00 (a lunch break), Saturday 10:00-15:00, local time. */
function weekOf(restDay: number): WeeklyIntervalInput[] {
  const week: WeeklyIntervalInput[] = [];
  for (let weekday = 1; weekday <= 6; weekday++) {
    if (weekday === restDay) continue;
    if (weekday === 6) week.push({ weekday, startMin: 600, endMin: 900 });
    else week.push({ weekday, startMin: 540, endMin: 780 }, { weekday, startMin: 840, endMin: 1080 });
  }
  return week;
}

/** The seed's clock: set back a week while it books the past days (done and no-show bookings must have started). */
export class DemoClock extends Clock {
  offsetMs = 0;
  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

export type DemoCounts = Record<
  'users' | 'locations' | 'services' | 'specialists' | 'schedules' | 'daysOff' | 'adTemplates' | 'bookings',
  number
>;

export interface DemoSummary {
  created: DemoCounts;
  personas: { role: string; tgId: number; name: string }[];
}

/** Builds the demo salon through the modules' contracts, as an admin would over REST; creates only what is missing. */
export class DemoSalon {
  private readonly created: DemoCounts = {
    users: 0,
    locations: 0,
    services: 0,
    specialists: 0,
    schedules: 0,
    daysOff: 0,
    adTemplates: 0,
    bookings: 0,
  };
  private admin: Actor = SYSTEM_ACTOR;

  constructor(
    private readonly app: INestApplicationContext,
    private readonly clock: DemoClock,
  ) {}

  async seed(): Promise<DemoSummary> {
    const users = await this.personas();
    const locations = await this.locations();
    const services = await this.services();
    const specialists = await this.specialists(users.specialist, locations, services);
    await this.schedules(specialists, locations);
    await this.adTemplates();
    await this.bookings(specialists, locations, services, users.client);
    return {
      created: this.created,
      personas: DEMO_PERSONAS.map(({ role, tgId, name }) => ({ role, tgId, name })),
    };
  }

  private async userByTgId(tgId: number) {
    return (await this.app.get(UsersApi).list(SYSTEM_ACTOR, { tgId, limit: 1 })).items[0];
  }

  /** The admin, the specialist and the client the sandbox page opens chats as (fixed Telegram ids). */
  private async personas(): Promise<Record<'admin' | 'specialist' | 'client', number>> {
    const users = this.app.get(UsersApi);
    const ids = { admin: 0, specialist: 0, client: 0 };
    for (const p of DEMO_PERSONAS) {
      const existing = await this.userByTgId(p.tgId);
      if (existing && (p.role !== 'admin' || existing.role === 'admin')) {
        ids[p.role] = existing.id;
        continue;
      }
      if (p.role === 'admin') {
        // Promotes the user when the chat was opened (and /start sent) before the demo salon existed.
        ids.admin = (await users.ensureAdmin(p.tgId, p.name)).userId;
        if (!existing) await users.update(SYSTEM_ACTOR, ids.admin, { phone: p.phone, language: p.language });
      } else {
        const dto = { name: p.name, phone: p.phone, tgId: p.tgId, language: p.language };
        ids[p.role] = (await users.create(SYSTEM_ACTOR, dto)).id;
      }
      if (!existing) this.created.users++;
    }
    this.admin = { userId: ids.admin, role: 'admin', clientType: 'system' };
    return ids;
  }

  private async locations(): Promise<Map<string, LocationDto>> {
    const api = this.app.get(LocationsApi);
    const found = new Map((await api.list(this.admin, { limit: 200 })).items.map((l) => [l.name, l]));
    for (const l of LOCATIONS) {
      if (found.has(l.name)) continue;
      found.set(l.name, await api.create(this.admin, l));
      this.created.locations++;
    }
    return found;
  }

  private async services(): Promise<Map<string, ServiceDto>> {
    const api = this.app.get(ServicesApi);
    const found = new Map((await api.list(this.admin, { limit: 200 })).items.map((s) => [s.name, s]));
    for (const s of SERVICES) {
      if (found.has(s.name)) continue;
      found.set(s.name, await api.create(this.admin, s));
      this.created.services++;
    }
    return found;
  }

  private async specialists(
    personaUserId: number,
    locations: Map<string, LocationDto>,
    services: Map<string, ServiceDto>,
  ): Promise<Map<string, SpecialistDto>> {
    const api = this.app.get(SpecialistsApi);
    const all = (await api.list(this.admin, { limit: 200 })).items;
    const found = new Map<string, SpecialistDto>();
    for (const s of SPECIALISTS) {
      const existing = all.find((x) => (s.tgId ? x.userId === personaUserId : x.name === s.name));
      if (existing) {
        found.set(s.name, existing);
        continue;
      }
      const profile = {
        bio: s.bio,
        locationIds: [locations.get(s.location)!.id],
        services: s.services.map((x) => ({ serviceId: services.get(x.name)!.id, price: x.price })),
      };
      const user = s.tgId ? { userId: personaUserId } : { user: { name: s.name, phone: s.phone } };
      found.set(s.name, await api.create(this.admin, { ...user, ...profile }));
      this.created.specialists++;
    }
    return found;
  }

  private async schedules(specialists: Map<string, SpecialistDto>, locations: Map<string, LocationDto>) {
    const api = this.app.get(SchedulesApi);
    for (const s of SPECIALISTS) {
      const specialist = specialists.get(s.name)!;
      const location = locations.get(s.location)!;
      const week = weekOf(s.restDay);
      const current = await api.getWeek(this.admin, specialist.id, location.id);
      if (current.length === 0) {
        await api.replaceWeek(this.admin, specialist.id, location.id, week);
        this.created.schedules++;
      }
      const daysOff = await api.listExceptions(this.admin, { specialistId: specialist.id, limit: 1 });
      if (daysOff.total === 0) {
        const date = DateTime.now().setZone(location.timeZone).plus({ days: s.dayOffIn }).toISODate()!;
        await api.createException(this.admin, {
          locationId: location.id,
          specialistId: specialist.id,
          date,
          kind: 'day_off',
          reason: 'Training day',
        });
        this.created.daysOff++;
      }
    }
  }

  private async adTemplates(): Promise<void> {
    const api = this.app.get(AdTemplatesApi);
    const names = new Set((await api.list(this.admin, { limit: 200 })).items.map((a) => a.name));
    for (const ad of AD_TEMPLATES) {
      if (names.has(ad.name)) continue;
      await api.create(this.admin, ad);
      this.created.adTemplates++;
    }
  }

  /**
   * Three days back to three days ahead, two visits a working day per specialist, in every status:
   * past ones done, no-show or cancelled; coming ones confirmed, pending or cancelled. Skipped when the
   * demo locations already have bookings.
   */
  private async bookings(
    specialists: Map<string, SpecialistDto>,
    locations: Map<string, LocationDto>,
    services: Map<string, ServiceDto>,
    demoClientId: number,
  ): Promise<void> {
    const api = this.app.get(BookingsApi);
    for (const l of LOCATIONS) {
      const existing = await api.list(this.admin, { locationId: locations.get(l.name)!.id, limit: 1 });
      if (existing.total > 0) return;
    }
    const plan = this.bookingPlan(specialists, locations, services, demoClientId);
    const settings = this.app.get(SettingsApi);
    const { autoConfirm } = await settings.get(this.admin);
    if (autoConfirm) await settings.update(this.admin, { autoConfirm: false });
    const made: { booking: BookingDto; status: BookingStatus }[] = [];
    this.clock.offsetMs = -7 * DAY_MS;
    try {
      for (const p of plan) {
        const { status, ...dto } = p;
        made.push({ booking: await api.create(this.admin, dto), status });
        this.created.bookings++;
      }
    } finally {
      this.clock.offsetMs = 0;
      if (autoConfirm) await settings.update(this.admin, { autoConfirm: true });
    }
    for (const { booking, status } of made) {
      if (status === 'cancelled') {
        await api.cancel(this.admin, booking.id, { reason: 'The client asked to cancel' });
        continue;
      }
      if (status !== 'pending') await api.confirm(this.admin, booking.id);
      if (status === 'done') await api.markDone(this.admin, booking.id);
      if (status === 'no_show') await api.markNoShow(this.admin, booking.id);
    }
  }

  private bookingPlan(
    specialists: Map<string, SpecialistDto>,
    locations: Map<string, LocationDto>,
    services: Map<string, ServiceDto>,
    demoClientId: number,
  ) {
    const now = Date.now();
    const plan: {
      locationId: number;
      serviceId: number;
      specialistId: number;
      startAt: string;
      comment: string;
      status: BookingStatus;
      clientId?: number;
      client?: { name: string; phone: string };
    }[] = [];
    let n = 0;
    for (let day = -3; day <= 3; day++) {
      for (const s of SPECIALISTS) {
        const location = locations.get(s.location)!;
        const date = DateTime.now().setZone(location.timeZone).startOf('day').plus({ days: day });
        if (date.weekday === 7 || date.weekday === s.restDay) continue;
        for (const [slot, minutes] of [600, 690].entries()) {
          const startAt = date.plus({ minutes }).toUTC();
          const past = startAt.toMillis() < now;
          const status = (
            past
              ? ['done', 'done', 'no_show', 'cancelled']
              : ['confirmed', 'pending', 'confirmed', 'cancelled']
          )[n % 4] as BookingStatus;
          const [name, phone] = CLIENTS[n % CLIENTS.length];
          n++;
          plan.push({
            locationId: location.id,
            serviceId: services.get(s.services[slot].name)!.id,
            specialistId: specialists.get(s.name)!.id,
            startAt: startAt.toISO()!,
            comment: 'Demo booking',
            status,
            client: { name, phone },
          });
        }
      }
    }
    // The demo client's own history: the first visit with the demo specialist done, the last one coming.
    const own = plan.filter(
      (p) => p.specialistId === specialists.get(persona.name)!.id && p.status !== 'cancelled',
    );
    for (const [p, status] of [
      [own.find((x) => Date.parse(x.startAt) < now), 'done'],
      [own.reverse().find((x) => Date.parse(x.startAt) > now), 'confirmed'],
    ] as const) {
      if (!p) continue;
      delete p.client;
      p.clientId = demoClientId;
      p.status = status;
    }
    return plan;
  }
}

@Global()
@Module({})
class DemoClockModule {
  static with(clock: DemoClock) {
    return { module: DemoClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}

/** Runs the seed in a context of its own (no HTTP server, no background loops) under its own clock. */
export async function seedDemo(config: AppConfig): Promise<DemoSummary> {
  const clock = new DemoClock();
  const modules = infrastructure(config).filter((m) => m !== ClockModule);

  @Module({ imports: [...modules, DemoClockModule.with(clock), BookingModule, NotificationsModule] })
  class SeedDemoModule {}

  const app = await NestFactory.createApplicationContext(SeedDemoModule, { logger: ['error'] });
  try {
    return await new DemoSalon(app, clock).seed();
  } finally {
    await app.close();
  }
}

/** `npm run seed:demo [-- --force] [-- --json]` */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.env.TZ = 'UTC';
  process.env.LOG_LEVEL ??= 'warn';
  const config = loadConfig();
  if (config.telegram.token && !process.argv.includes('--force')) {
    console.error(
      'BOT_TOKEN is set: this looks like a real bot, and the demo salon would be shown to real users. Run with --force to seed anyway.',
    );
    process.exit(2);
  }
  if (config.redisUrl === undefined) await ensureLocalRedis();
  const summary = await seedDemo(config);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(summary));
    return;
  }
  const made = Object.entries(summary.created).filter(([, count]) => count > 0);
  console.log(
    made.length
      ? `created: ${made.map(([what, n]) => `${n} ${what}`).join(', ')}`
      : 'the demo salon is already there: nothing changed',
  );
  for (const p of summary.personas) console.log(`${p.role}: ${p.name} (Telegram id ${p.tgId})`);
  // With a real bot there is no sandbox page: they chat in Telegram.
  if (!config.telegram.token) console.log(`Open http://localhost:${config.port}/sandbox to chat as them.`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof ConfigValidationError ? err.message : err);
    process.exit(1);
  });
}
