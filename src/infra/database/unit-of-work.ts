import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from './sql';

/**
 * Runs a function in one database transaction.
 *
 * SQLite: TypeORM keeps a single connection (one query runner) for the whole process, so
 * two concurrent transactions would interleave on it. Transactions are therefore queued
 * in-process, and each begins with `BEGIN IMMEDIATE` so that another process writing the
 * same file waits on busy_timeout instead of failing on a lock upgrade.
 * PostgreSQL: a plain READ COMMITTED transaction per call, run concurrently on the pool;
 * correctness comes from constraints (e.g. UNIQUE claims), not from this queue.
 */
@Injectable()
export class UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly sqlite: boolean;
  /** SQLite only: transactions begun or ended so far, and whether one is open now (see readMarker). */
  private activity = 0;
  private open = false;
  /** Work to do once the transaction of that manager has committed (see afterCommit). */
  private readonly committed = new WeakMap<EntityManager, (() => void)[]>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    let manager: EntityManager | undefined;
    const tracked = (em: EntityManager) => {
      manager = em;
      this.committed.set(em, []);
      return work(em);
    };
    const result = this.sqlite
      ? this.tail.then(() => this.runSqlite(tracked))
      : this.dataSource.transaction('READ COMMITTED', tracked);
    if (this.sqlite) this.tail = result.catch(() => undefined);
    return result.then((value) => {
      for (const fn of this.committed.get(manager!) ?? []) fn();
      return value;
    });
  }

  /**
   * Runs `fn` once the transaction `em` belongs to has committed (never if it rolls back); at once when
   * `em` is not one of this unit of work's transactions. `fn` must not throw.
   */
  afterCommit(em: EntityManager, fn: () => void): void {
    const list = this.committed.get(em);
    if (list) list.push(fn);
    else fn();
  }

  /**
   * Reads outside a transaction share SQLite's single connection, so they can see rows of a transaction
   * that is still open and may roll back. A reader that caches what it read takes a marker first and
   * caches only if `quietSince(marker)`: no transaction was open, began or ended meanwhile.
   */
  readMarker(): number | null {
    return this.open ? null : this.activity;
  }

  quietSince(marker: number | null): boolean {
    return marker !== null && !this.open && this.activity === marker;
  }

  private async runSqlite<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await queryRows(runner.manager, 'BEGIN IMMEDIATE');
    this.activity++;
    this.open = true;
    // Let TypeORM know a transaction is open so save()/remove() do not start their own.
    (runner as unknown as { isTransactionActive: boolean; transactionDepth: number }).isTransactionActive =
      true;
    (runner as unknown as { transactionDepth: number }).transactionDepth = 1;
    try {
      const value = await work(runner.manager);
      await queryRows(runner.manager, 'COMMIT');
      return value;
    } catch (err) {
      await queryRows(runner.manager, 'ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      this.open = false;
      this.activity++;
      (runner as unknown as { isTransactionActive: boolean }).isTransactionActive = false;
      (runner as unknown as { transactionDepth: number }).transactionDepth = 0;
      await runner.release();
    }
  }
}
