import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/database.options';
import { queryRows } from '../../src/infra/database/sql';
import { bindIntegerParameters } from '../../src/infra/database/sqlite-parameters';

interface Db {
  ds: DataSource;
  /** How many statements SQLite was asked to prepare so far. */
  prepared: () => number;
}

async function open(dir: string, name: string, bind: boolean): Promise<Db> {
  const ds = new DataSource({
    ...dataSourceOptions({ type: 'better-sqlite3', path: join(dir, name) }),
    migrations: [],
  });
  if (bind) bindIntegerParameters(ds);
  await ds.initialize();
  await ds.query(
    'CREATE TABLE t (id integer PRIMARY KEY, label varchar(10), n integer, price real, flag boolean, at datetime)',
  );
  const conn = (ds.driver as unknown as { databaseConnection: { prepare: (sql: string) => unknown } })
    .databaseConnection;
  const prepare = conn.prepare.bind(conn);
  let count = 0;
  conn.prepare = (sql: string) => {
    count++;
    return prepare(sql);
  };
  return { ds, prepared: () => count };
}

/** The same writes and reads through TypeORM's query builder and through queryRows. */
async function exercise({ ds, prepared }: Db) {
  for (let id = 1; id <= 20; id++) {
    await ds
      .createQueryBuilder()
      .insert()
      .into('t')
      .values({
        id,
        label: 7 * id,
        n: id * 10,
        price: id + 0.5,
        flag: id % 2 === 0,
        at: new Date(Date.UTC(2026, 0, id)),
      })
      .execute();
  }
  const byId = [];
  const beforeReads = prepared();
  for (let id = 1; id <= 20; id++) {
    byId.push(
      await ds.createQueryBuilder().select('*').from('t', 't').where('t.id = :id', { id }).getRawOne(),
    );
  }
  const readStatements = prepared() - beforeReads;
  const inList = await queryRows(ds, 'SELECT id FROM t WHERE n IN (:...ns) AND flag = :flag ORDER BY id', {
    ns: [20, 40, 50],
    flag: true,
  });
  const typed = await ds.query(
    'SELECT typeof(id) i, typeof(label) l, typeof(n) n, typeof(price) p FROM t WHERE id = 3',
  );
  return { byId, inList, typed, readStatements };
}

describe('SQLite integer parameters', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'salon-params-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores and finds exactly what TypeORM inlining did, with one statement per query shape instead of one per id', async () => {
    const inlined = await open(dir, 'inlined.db', false);
    const bound = await open(dir, 'bound.db', true);
    try {
      const a = await exercise(inlined);
      const b = await exercise(bound);

      expect({ ...b, readStatements: 0 }).toEqual({ ...a, readStatements: 0 });
      expect(b.byId[2]).toMatchObject({ id: 3, label: '21', n: 30, price: 3.5, flag: 0 });
      expect(b.inList).toEqual([{ id: 2 }, { id: 4 }]);
      expect(b.typed).toEqual([{ i: 'integer', l: 'text', n: 'integer', p: 'real' }]);

      // Twenty reads by twenty ids.
      expect(a.readStatements).toBe(20);
      expect(b.readStatements).toBe(1);
    } finally {
      await inlined.ds.destroy();
      await bound.ds.destroy();
    }
  });
});
