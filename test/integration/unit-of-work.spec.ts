import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../src/infra/database/unit-of-work';
import { TestApp } from '../support/test-app';

describe('UnitOfWork.afterCommit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  it('runs after the commit, not before it, and never after a rollback', async () => {
    const uow = t.get(UnitOfWork);
    const seen: string[] = [];
    await uow.run(async (em) => {
      uow.afterCommit(em, () => seen.push('committed'));
      seen.push('in transaction');
    });
    expect(seen).toEqual(['in transaction', 'committed']);

    await expect(
      uow.run(async (em) => {
        uow.afterCommit(em, () => seen.push('rolled back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['in transaction', 'committed']);
  });

  it('outside a transaction it runs at once', () => {
    const uow = t.get(UnitOfWork);
    let ran = false;
    uow.afterCommit(t.get(DataSource).manager, () => (ran = true));
    expect(ran).toBe(true);
  });
});
