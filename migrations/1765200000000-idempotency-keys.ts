import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * One row per (actor, Idempotency-Key) of a booking write, inserted in the write's own transaction:
 * a replayed Telegram update or a retried request finds it and gets the first call's booking back.
 */
export class IdempotencyKeys1765200000000 implements MigrationInterface {
  name = 'IdempotencyKeys1765200000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'actor_user_id', type: 'integer', isPrimary: true },
          { name: 'key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'booking_id', type: 'integer' },
          { name: 'created_at', type: pg ? 'timestamp' : 'datetime', default: 'CURRENT_TIMESTAMP' },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['booking_id'],
            referencedTableName: 'bookings',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        // The purge deletes by age.
        indices: [new TableIndex({ columnNames: ['created_at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('idempotency_keys');
  }
}
