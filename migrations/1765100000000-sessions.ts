import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/** Bearer-token sessions in the database (only a sha256 of each token), so they are checked without Redis. */
export class Sessions1765100000000 implements MigrationInterface {
  name = 'Sessions1765100000000';

  async up(q: QueryRunner): Promise<void> {
    const timestamp = q.connection.options.type === 'postgres' ? 'timestamp' : 'datetime';
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'integer' },
          { name: 'client_type', type: 'varchar', length: '16' },
          { name: 'expires_at', type: timestamp },
          { name: 'created_at', type: timestamp, default: 'CURRENT_TIMESTAMP' },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ columnNames: ['user_id'] }),
          new TableIndex({ columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('sessions');
  }
}
