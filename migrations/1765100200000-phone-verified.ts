import { MigrationInterface, QueryRunner, TableColumn, TableIndex, TableUnique } from 'typeorm';

const VERIFIED_PHONE = new TableIndex({
  name: 'UQ_users_verified_phone',
  columnNames: ['phone'],
  isUnique: true,
  where: 'phone_verified = true',
});
const PHONE = new TableIndex({ name: 'IDX_users_phone', columnNames: ['phone'] });

/**
 * A phone belongs to a user only once proven (a one-time code, a Telegram contact of the sender):
 * unique among proven phones; unproven copies (a client an admin entered, an old claim) may repeat.
 */
export class PhoneVerified1765100200000 implements MigrationInterface {
  name = 'PhoneVerified1765100200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('users', new TableColumn({ name: 'phone_verified', type: 'boolean', default: false }));
    const users = await q.getTable('users');
    const unique = users!.uniques.find((u) => u.columnNames.length === 1 && u.columnNames[0] === 'phone');
    if (unique) await q.dropUniqueConstraint('users', unique);
    // Proven until now: a web login by code to a user without Telegram, the phone unchanged since.
    await q.query(`
      UPDATE users SET phone_verified = true
       WHERE phone IS NOT NULL AND tg_id IS NULL AND EXISTS (
         SELECT 1 FROM audit_log a
          WHERE a.action = 'auth.otp_login' AND a.entity = 'user' AND a.entity_id = CAST(users.id AS varchar(40))
            AND NOT EXISTS (
              SELECT 1 FROM audit_log b
               WHERE b.entity = 'user' AND b.entity_id = a.entity_id AND b.action = 'user.update'
                 AND b.id > a.id AND b.changes LIKE '%"phone"%'))`);
    await q.createIndices('users', [VERIFIED_PHONE, PHONE]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('users', PHONE.name!);
    await q.dropIndex('users', VERIFIED_PHONE.name!);
    // One user per phone again: the proven holder, else the oldest, keeps it.
    await q.query(`
      UPDATE users SET phone = NULL
       WHERE phone_verified = false AND EXISTS (
         SELECT 1 FROM users o
          WHERE o.phone = users.phone AND o.id <> users.id AND (o.phone_verified = true OR o.id < users.id))`);
    await q.createUniqueConstraint('users', new TableUnique({ columnNames: ['phone'] }));
    await q.dropColumn('users', 'phone_verified');
  }
}
