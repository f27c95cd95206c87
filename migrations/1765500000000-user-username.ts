import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const USERNAME = new TableIndex({ name: 'IDX_users_username', columnNames: ['username'] });

/** Telegram @usernames, so an admin can add someone who has started the bot by their @username. */
export class UserUsername1765500000000 implements MigrationInterface {
  name = 'UserUsername1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'users',
      new TableColumn({ name: 'username', type: 'varchar', length: '64', isNullable: true }),
    );
    await q.createIndex('users', USERNAME);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('users', USERNAME.name!);
    await q.dropColumn('users', 'username');
  }
}
