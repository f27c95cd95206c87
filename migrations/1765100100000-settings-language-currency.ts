import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Business settings: the language of new users when theirs is unknown, and the currency prices are in. */
export class SettingsLanguageCurrency1765100100000 implements MigrationInterface {
  name = 'SettingsLanguageCurrency1765100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('business_settings', [
      new TableColumn({ name: 'default_language', type: 'varchar', length: '2', default: "'ru'" }),
      new TableColumn({ name: 'currency', type: 'varchar', length: '3', default: "'EUR'" }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('business_settings', 'currency');
    await q.dropColumn('business_settings', 'default_language');
  }
}
