import type { DataSource, EntityManager } from 'typeorm';
import { insertRows, queryRows } from '../../infra/database/sql';

/** How long a key is remembered: far beyond Telegram's retries and a client's retry of a request. */
export const IDEMPOTENCY_KEY_TTL_MS = 3 * 24 * 3600_000;

/** The booking an actor's earlier write with this key produced, if that write committed. */
export async function bookingOfKey(
  db: DataSource | EntityManager,
  actorUserId: number,
  key: string,
): Promise<number | null> {
  const [row] = await queryRows<{ bookingId: number }>(
    db,
    `SELECT booking_id AS "bookingId" FROM idempotency_keys WHERE actor_user_id = :actorUserId AND "key" = :key`,
    { actorUserId, key },
  );
  return row ? Number(row.bookingId) : null;
}

/** Records the key in the write's transaction; a concurrent twin fails on the primary key and rolls back. */
export async function rememberKey(
  em: EntityManager,
  actorUserId: number,
  key: string,
  bookingId: number,
  at: Date,
): Promise<void> {
  await insertRows(em, 'idempotency_keys', [
    { actor_user_id: actorUserId, key, booking_id: bookingId, created_at: at },
  ]);
}

/** Forgets keys recorded before `before`; resolves with how many. */
export async function purgeKeys(db: DataSource | EntityManager, before: Date): Promise<number> {
  const result = await db
    .createQueryBuilder()
    .delete()
    .from('idempotency_keys')
    .where('created_at < :before', { before })
    .execute();
  return result.affected ?? 0;
}
