import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumnOptions,
  TableForeignKey,
  TableIndex,
} from 'typeorm';

/** Column types that differ between SQLite and PostgreSQL; everything else is common SQL. */
function types(runner: QueryRunner) {
  const pg = runner.connection.options.type === 'postgres';
  return { timestamp: pg ? 'timestamp' : 'datetime', bool: 'boolean', bigint: 'bigint' };
}

function id(): TableColumnOptions {
  return { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
}

function fk(column: string, table: string, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL' = 'RESTRICT') {
  return new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete,
  });
}

/** The whole domain model, in portable DDL (SQLite by default, PostgreSQL for larger deployments). */
export class InitialSchema1764489600000 implements MigrationInterface {
  name = 'InitialSchema1764489600000';

  async up(q: QueryRunner): Promise<void> {
    const t = types(q);
    const now = 'CURRENT_TIMESTAMP';
    const stamps: TableColumnOptions[] = [
      { name: 'created_at', type: t.timestamp, default: now },
      { name: 'updated_at', type: t.timestamp, default: now },
    ];

    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          { name: 'tg_id', type: t.bigint, isNullable: true, isUnique: true },
          { name: 'phone', type: 'varchar', length: '32', isNullable: true, isUnique: true },
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'language', type: 'varchar', length: '2', default: "'ru'" },
          { name: 'role', type: 'varchar', length: '16', default: "'client'" },
          { name: 'blocked', type: t.bool, default: false },
          ...stamps,
        ],
        indices: [new TableIndex({ columnNames: ['role'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'locations',
        columns: [
          id(),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'address', type: 'varchar', length: '255', default: "''" },
          { name: 'time_zone', type: 'varchar', length: '64' },
          { name: 'active', type: t.bool, default: true },
          ...stamps,
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'services',
        columns: [
          id(),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'description', type: 'text', default: "''" },
          { name: 'duration_min', type: 'integer' },
          { name: 'price', type: 'integer' },
          { name: 'active', type: t.bool, default: true },
          ...stamps,
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'specialists',
        columns: [
          id(),
          { name: 'user_id', type: 'integer', isUnique: true },
          { name: 'bio', type: 'text', default: "''" },
          { name: 'active', type: t.bool, default: true },
          ...stamps,
        ],
        foreignKeys: [fk('user_id', 'users')],
      }),
    );

    await q.createTable(
      new Table({
        name: 'specialist_locations',
        columns: [
          { name: 'specialist_id', type: 'integer', isPrimary: true },
          { name: 'location_id', type: 'integer', isPrimary: true },
        ],
        foreignKeys: [
          fk('specialist_id', 'specialists', 'CASCADE'),
          fk('location_id', 'locations', 'CASCADE'),
        ],
        indices: [new TableIndex({ columnNames: ['location_id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'specialist_services',
        columns: [
          { name: 'specialist_id', type: 'integer', isPrimary: true },
          { name: 'service_id', type: 'integer', isPrimary: true },
          { name: 'duration_min', type: 'integer', isNullable: true },
          { name: 'price', type: 'integer', isNullable: true },
        ],
        foreignKeys: [fk('specialist_id', 'specialists', 'CASCADE'), fk('service_id', 'services', 'CASCADE')],
        indices: [new TableIndex({ columnNames: ['service_id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'work_intervals',
        columns: [
          id(),
          { name: 'specialist_id', type: 'integer' },
          { name: 'location_id', type: 'integer' },
          { name: 'weekday', type: 'smallint' },
          { name: 'start_min', type: 'integer' },
          { name: 'end_min', type: 'integer' },
        ],
        foreignKeys: [
          fk('specialist_id', 'specialists', 'CASCADE'),
          fk('location_id', 'locations', 'CASCADE'),
        ],
        indices: [
          new TableIndex({ columnNames: ['location_id', 'weekday'] }),
          new TableIndex({ columnNames: ['specialist_id'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'schedule_exceptions',
        columns: [
          id(),
          { name: 'location_id', type: 'integer' },
          { name: 'specialist_id', type: 'integer', isNullable: true },
          { name: 'date', type: 'varchar', length: '10' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'start_min', type: 'integer', isNullable: true },
          { name: 'end_min', type: 'integer', isNullable: true },
          { name: 'reason', type: 'varchar', length: '255', default: "''" },
        ],
        foreignKeys: [
          fk('specialist_id', 'specialists', 'CASCADE'),
          fk('location_id', 'locations', 'CASCADE'),
        ],
        indices: [
          new TableIndex({ columnNames: ['location_id', 'date'] }),
          new TableIndex({ columnNames: ['specialist_id', 'date'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'bookings',
        columns: [
          id(),
          { name: 'client_id', type: 'integer' },
          { name: 'specialist_id', type: 'integer' },
          { name: 'location_id', type: 'integer' },
          { name: 'service_id', type: 'integer' },
          { name: 'start_at', type: t.timestamp },
          { name: 'end_at', type: t.timestamp },
          { name: 'duration_min', type: 'integer' },
          { name: 'price', type: 'integer' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_by_role', type: 'varchar', length: '16' },
          { name: 'created_by_user_id', type: 'integer', isNullable: true },
          { name: 'comment', type: 'text', default: "''" },
          { name: 'cancel_reason', type: 'text', isNullable: true },
          ...stamps,
        ],
        foreignKeys: [
          fk('client_id', 'users'),
          fk('specialist_id', 'specialists'),
          fk('location_id', 'locations'),
          fk('service_id', 'services'),
        ],
        indices: [
          new TableIndex({ columnNames: ['specialist_id', 'start_at'] }),
          new TableIndex({ columnNames: ['client_id', 'start_at'] }),
          new TableIndex({ columnNames: ['location_id', 'start_at'] }),
          new TableIndex({ columnNames: ['status', 'end_at'] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'booking_status_history',
        columns: [
          id(),
          { name: 'booking_id', type: 'integer' },
          { name: 'from_status', type: 'varchar', length: '16', isNullable: true },
          { name: 'to_status', type: 'varchar', length: '16' },
          { name: 'actor_role', type: 'varchar', length: '16' },
          { name: 'actor_user_id', type: 'integer', isNullable: true },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'created_at', type: t.timestamp, default: now },
        ],
        foreignKeys: [fk('booking_id', 'bookings', 'CASCADE')],
        indices: [new TableIndex({ columnNames: ['booking_id'] })],
      }),
    );

    // One row per 15-minute cell a live booking occupies, per owner (specialist 's', client 'c'):
    // the primary key makes a double booking impossible whatever the application does.
    await q.createTable(
      new Table({
        name: 'booking_claims',
        columns: [
          { name: 'owner_kind', type: 'varchar', length: '1', isPrimary: true },
          { name: 'owner_id', type: 'integer', isPrimary: true },
          { name: 'cell', type: 'integer', isPrimary: true },
          { name: 'booking_id', type: 'integer' },
        ],
        foreignKeys: [fk('booking_id', 'bookings', 'CASCADE')],
        indices: [new TableIndex({ columnNames: ['booking_id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'outbox_events',
        columns: [
          id(),
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'aggregate_id', type: 'integer' },
          { name: 'payload', type: 'text' },
          { name: 'created_at', type: t.timestamp, default: now },
          { name: 'relayed_at', type: t.timestamp, isNullable: true },
        ],
        indices: [new TableIndex({ columnNames: ['relayed_at', 'id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'business_settings',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'min_notice_min', type: 'integer', default: 60 },
          { name: 'horizon_days', type: 'integer', default: 60 },
          { name: 'cancellation_cutoff_min', type: 'integer', default: 120 },
          { name: 'auto_confirm', type: t.bool, default: true },
          { name: 'updated_at', type: t.timestamp, default: now },
        ],
      }),
    );
    await q.query(`INSERT INTO business_settings (id) VALUES (1)`);

    await q.createTable(
      new Table({
        name: 'ad_templates',
        columns: [
          id(),
          { name: 'name', type: 'varchar', length: '120' },
          { name: 'text_ru', type: 'text' },
          { name: 'text_en', type: 'text' },
          { name: 'active', type: t.bool, default: true },
          ...stamps,
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: 'notification_settings',
        columns: [
          id(),
          { name: 'event_type', type: 'varchar', length: '40' },
          { name: 'recipient_role', type: 'varchar', length: '16' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'enabled', type: t.bool, default: true },
          { name: 'ad_template_id', type: 'integer', isNullable: true },
        ],
        foreignKeys: [fk('ad_template_id', 'ad_templates', 'SET NULL')],
        uniques: [{ columnNames: ['event_type', 'recipient_role', 'channel'] }],
      }),
    );

    await q.createTable(
      new Table({
        name: 'push_subscriptions',
        columns: [
          id(),
          { name: 'user_id', type: 'integer' },
          { name: 'endpoint', type: 'varchar', length: '1024', isUnique: true },
          { name: 'p256dh', type: 'varchar', length: '255' },
          { name: 'auth', type: 'varchar', length: '255' },
          { name: 'created_at', type: t.timestamp, default: now },
        ],
        foreignKeys: [fk('user_id', 'users', 'CASCADE')],
        indices: [new TableIndex({ columnNames: ['user_id'] })],
      }),
    );

    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id(),
          { name: 'at', type: t.timestamp, default: now },
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'client_type', type: 'varchar', length: '16' },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'entity', type: 'varchar', length: '40' },
          { name: 'entity_id', type: 'varchar', length: '40', isNullable: true },
          { name: 'changes', type: 'text', isNullable: true },
          { name: 'trace_id', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          new TableIndex({ columnNames: ['entity', 'entity_id'] }),
          new TableIndex({ columnNames: ['at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'push_subscriptions',
      'notification_settings',
      'ad_templates',
      'business_settings',
      'outbox_events',
      'booking_claims',
      'booking_status_history',
      'bookings',
      'schedule_exceptions',
      'work_intervals',
      'specialist_services',
      'specialist_locations',
      'specialists',
      'services',
      'locations',
      'users',
    ]) {
      await q.dropTable(table);
    }
  }
}
