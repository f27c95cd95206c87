// Run by test/integration/database-times.spec.ts in a child process with its own TZ (a jest worker's time zone
// cannot change): writes and reads timestamps through the app's database settings, prints what it read as JSON.
import { DataSource } from 'typeorm';
import { OutboxEventEntity } from '../../src/booking/entities/booking.entity';
import { dataSourceOptions } from '../../src/infra/database/database.options';
import { queryRows } from '../../src/infra/database/sql';

export interface ProbeResult {
  /** relayed_at of the rows written with the instants in PROBE_INSTANTS: two by the entity, the last by SQL. */
  read: string[];
  /** Rows whose relayed_at is after the first instant, by a bound comparison. */
  later: number;
  /** created_at of a row that took the column's default, and the clock around its insert (epoch ms). */
  defaulted: number;
  before: number;
  after: number;
}

async function main(): Promise<void> {
  const [first, second] = JSON.parse(process.env.PROBE_INSTANTS!).map((s: string) => new Date(s));
  const ds = new DataSource({
    ...dataSourceOptions(
      process.env.DATABASE_URL
        ? { type: 'postgres', url: process.env.DATABASE_URL }
        : { type: 'better-sqlite3', path: process.env.SQLITE_PATH! },
    ),
    entities: [OutboxEventEntity],
    logging: false,
  });
  await ds.initialize();
  try {
    await ds.runMigrations();
    const outbox = ds.getRepository(OutboxEventEntity);
    const event = (aggregateId: number, relayedAt: Date | null) => ({
      type: 'probe',
      aggregateId,
      payload: '{}',
      relayedAt,
    });
    await outbox.insert([event(1, first), event(2, second)]);
    await queryRows(
      ds,
      `INSERT INTO outbox_events (type, aggregate_id, payload, relayed_at) VALUES ('probe', 3, '{}', :at)`,
      { at: second },
    );
    const rows = await outbox.find({ where: {}, order: { id: 'ASC' } });
    const [{ n }] = await queryRows<{ n: number }>(
      ds,
      `SELECT COUNT(*) AS n FROM outbox_events WHERE relayed_at > :at`,
      { at: first },
    );
    const before = Date.now();
    await outbox.insert(event(4, null));
    const after = Date.now();
    const defaulted = await outbox.findOneByOrFail({ aggregateId: 4 });
    const result: ProbeResult = {
      read: rows.map((r) => r.relayedAt!.toISOString()),
      later: Number(n),
      defaulted: defaulted.createdAt.getTime(),
      before,
      after,
    };
    process.stdout.write(JSON.stringify(result));
  } finally {
    await ds.destroy();
  }
}

void main();
