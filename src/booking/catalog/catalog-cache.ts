import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { rowBool, rowInstant } from '../../infra/database/sql';
import { DomainEvents } from '../../infra/events/domain-events';
import { RedisService } from '../../infra/redis/redis.service';
import type { Language } from '../api/users.dto';

export interface CatalogLocation {
  readonly id: number;
  readonly name: string;
  readonly address: string;
  readonly timeZone: string;
  readonly active: boolean;
}

export interface CatalogService {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly durationMin: number;
  readonly price: number;
  readonly active: boolean;
}

export interface CatalogSettings {
  readonly minNoticeMin: number;
  readonly horizonDays: number;
  readonly cancellationCutoffMin: number;
  readonly autoConfirm: boolean;
  readonly defaultLanguage: Language;
  readonly currency: string;
  readonly updatedAt: Date;
}

/** A specialist without its user: the name and the blocked flag are the users table's and are read fresh. */
export interface CatalogSpecialist {
  readonly id: number;
  readonly userId: number;
  readonly bio: string;
  readonly active: boolean;
  /** Linked locations, ascending. */
  readonly locationIds: readonly number[];
  /** Offered services, ascending by service id; own duration / price or null. */
  readonly services: readonly {
    readonly serviceId: number;
    readonly durationMin: number | null;
    readonly price: number | null;
  }[];
}

/** The whole catalog as committed at one moment: every row, active or not (access checks are the readers'). */
export interface CatalogSnapshot {
  /** Ascending by id, as are the maps' iteration orders. */
  readonly locations: ReadonlyMap<number, CatalogLocation>;
  readonly services: ReadonlyMap<number, CatalogService>;
  readonly specialists: ReadonlyMap<number, CatalogSpecialist>;
  /** Null when someone deleted the seeded row: the settings reader recreates it. */
  readonly settings: CatalogSettings | null;
}

const LOAD = {
  locations: `SELECT id, name, address, time_zone, active FROM locations ORDER BY id`,
  services: `SELECT id, name, description, duration_min, price, active FROM services ORDER BY id`,
  specialists: `SELECT id, user_id, bio, active FROM specialists ORDER BY id`,
  specialistLocations: `SELECT specialist_id, location_id FROM specialist_locations ORDER BY specialist_id, location_id`,
  specialistServices: `SELECT specialist_id, service_id, duration_min, price FROM specialist_services ORDER BY specialist_id, service_id`,
  settings: `SELECT min_notice_min, horizon_days, cancellation_cutoff_min, auto_confirm, default_language, currency, updated_at
               FROM business_settings WHERE id = 1`,
} as const;
type Rows = { -readonly [K in keyof typeof LOAD]: Record<string, unknown>[] };
const TABLES = Object.keys(LOAD) as (keyof typeof LOAD)[];

const channelOf = (prefix: string) => `${prefix}catalog:changed`;

/**
 * The catalog (locations, services, specialists with their links, the business settings) held in this
 * process's memory: the bot reads it several times per update, and it changes only when an admin edits it.
 *
 * Exactness, in every instance:
 * - The one writer of those tables (this module's services) calls `changed()` after each commit and before
 *   it answers: this process drops its copy at once, and every other one on receipt of
 *   `<prefix>catalog:changed`. While that subscription is down nothing is served from memory (messages
 *   may be lost); a reconnect drops the copy.
 * - A load that overlaps an invalidation is used for its own read and not kept (an epoch counter).
 * - SQLite: reads outside a transaction share the connection with any open write transaction and can see
 *   its uncommitted rows. A copy is therefore kept only when it was read in one synchronous burst while no
 *   transaction was open (nothing can begin in between); otherwise it serves only the read that made it.
 * - 'location.availability_changed' (schedules, links, renames; fixtures that write SQL directly) drops it too.
 */
@Injectable()
export class CatalogCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CatalogCache.name);
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly sqlite: boolean;
  /** Names this process's announcements. */
  private readonly instance = randomBytes(8).toString('hex');
  private subscribed = false;
  private held: CatalogSnapshot | null = null;
  private loading: { epoch: number; snapshot: Promise<CatalogSnapshot> } | null = null;
  /** Counts invalidations: a load that began before one is not kept. */
  private epoch = 0;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly redis: RedisService,
    private readonly events: DomainEvents,
    config: AppConfig,
  ) {
    this.sqlite = ds.options.type === 'better-sqlite3';
    this.channel = channelOf(config.redisPrefix);
    this.subscriber = redis.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
    this.subscriber.on('error', (err) => this.logger.warn(`redis subscriber: ${err.message}`));
    // This instance dropped its copy before announcing; its own announcement coming back is not news.
    this.subscriber.on('message', (_channel, from) => from !== this.instance && this.forget());
    // Messages published while the subscription was down are lost: what is held can no longer be trusted.
    // ioredis subscribes again by itself on a reconnect; the first subscription is made on the first 'ready'.
    this.subscriber.on('ready', () => {
      this.forget();
      if (!this.subscribed) void this.subscribe();
    });
    this.subscriber.on('close', () => this.forget());
  }

  onModuleInit(): void {
    this.events.on('location.availability_changed', () => this.changed());
    this.subscriber
      .connect()
      .catch((err: Error) => this.logger.warn(`catalog invalidations not subscribed yet: ${err.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  /** The committed catalog: from memory when it can be trusted, else read now. */
  snapshot(): Promise<CatalogSnapshot> {
    const live = this.live;
    if (live && this.held) return Promise.resolve(this.held);
    if (live && this.loading?.epoch === this.epoch) return this.loading.snapshot;
    const epoch = this.epoch;
    const snapshot = this.load(live ? epoch : null);
    if (live) {
      this.loading = { epoch, snapshot };
      void snapshot.then(
        () => this.loading?.snapshot === snapshot && (this.loading = null),
        () => this.loading?.snapshot === snapshot && (this.loading = null),
      );
    }
    return snapshot;
  }

  /**
   * After a committed change to the catalog, before the writer answers: dropped here at once, in other
   * instances on receipt. A failed publish is logged, not thrown (the change is committed).
   */
  async changed(): Promise<void> {
    this.forget();
    try {
      await this.redis.client.publish(this.channel, this.instance);
    } catch (err) {
      this.logger.warn(`catalog change not announced: ${(err as Error).message}`);
    }
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
      this.subscribed = true;
      this.forget();
    } catch (err) {
      this.logger.warn(`catalog invalidations not subscribed: ${(err as Error).message}`);
    }
  }

  /** Memory is trusted only while changes announced by other instances reach this one. */
  private get live(): boolean {
    return this.subscribed && this.subscriber.status === 'ready';
  }

  private forget(): void {
    this.epoch++;
    this.held = null;
    this.loading = null;
  }

  /** Reads every catalog table; keeps the result when `epoch` is still current and the read was clean. */
  private async load(epoch: number | null): Promise<CatalogSnapshot> {
    let rows: Rows;
    let clean: boolean;
    if (this.sqlite && this.uow.readMarker() !== null) {
      // One synchronous burst with no transaction open: committed rows only, and none can begin meanwhile.
      rows = this.readSqliteNow();
      clean = true;
    } else {
      const marker = this.uow.readMarker();
      const results: Record<string, unknown>[][] = await Promise.all(
        TABLES.map((k) => this.ds.query(LOAD[k])),
      );
      rows = {} as Rows;
      TABLES.forEach((k, i) => (rows[k] = results[i]));
      // PostgreSQL reads only committed rows; SQLite's shared connection may have shown an open transaction's.
      clean = !this.sqlite || this.uow.quietSince(marker);
    }
    const snapshot = toSnapshot(rows);
    if (clean && epoch !== null && epoch === this.epoch && this.live) {
      this.held = snapshot;
    }
    return snapshot;
  }

  private readSqliteNow(): Rows {
    const db = (this.ds.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
    const out = {} as Rows;
    for (const k of TABLES) out[k] = db.prepare(LOAD[k]).all();
    return out;
  }
}

interface SqliteDatabase {
  prepare(sql: string): { all(): Record<string, unknown>[] };
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toSnapshot(rows: Rows): CatalogSnapshot {
  const byId = <T extends { id: number }>(list: T[]) =>
    new Map(list.sort((a, b) => a.id - b.id).map((x) => [x.id, x]));
  const locationIds = new Map<number, number[]>();
  for (const r of rows.specialistLocations) {
    const id = num(r.specialist_id);
    locationIds.set(id, [...(locationIds.get(id) ?? []), num(r.location_id)]);
  }
  const services = new Map<number, CatalogSpecialist['services'][number][]>();
  for (const r of rows.specialistServices) {
    const id = num(r.specialist_id);
    services.set(id, [
      ...(services.get(id) ?? []),
      { serviceId: num(r.service_id), durationMin: numOrNull(r.duration_min), price: numOrNull(r.price) },
    ]);
  }
  const [settings] = rows.settings;
  return {
    locations: byId(
      rows.locations.map((r) => ({
        id: num(r.id),
        name: String(r.name),
        address: String(r.address ?? ''),
        timeZone: String(r.time_zone),
        active: rowBool(r.active),
      })),
    ),
    services: byId(
      rows.services.map((r) => ({
        id: num(r.id),
        name: String(r.name),
        description: String(r.description ?? ''),
        durationMin: num(r.duration_min),
        price: num(r.price),
        active: rowBool(r.active),
      })),
    ),
    specialists: byId(
      rows.specialists.map((r) => ({
        id: num(r.id),
        userId: num(r.user_id),
        bio: String(r.bio ?? ''),
        active: rowBool(r.active),
        locationIds: (locationIds.get(num(r.id)) ?? []).sort((a, b) => a - b),
        services: (services.get(num(r.id)) ?? []).sort((a, b) => a.serviceId - b.serviceId),
      })),
    ),
    settings: settings
      ? {
          minNoticeMin: num(settings.min_notice_min),
          horizonDays: num(settings.horizon_days),
          cancellationCutoffMin: num(settings.cancellation_cutoff_min),
          autoConfirm: rowBool(settings.auto_confirm),
          defaultLanguage: String(settings.default_language) as Language,
          currency: String(settings.currency),
          updatedAt: rowInstant(settings.updated_at),
        }
      : null,
  };
}
