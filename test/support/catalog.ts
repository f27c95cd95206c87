import { DataSource } from 'typeorm';
import { AuditLogEntity } from '../../src/infra/audit/audit-log.entity';
import { DomainEventMap, DomainEvents } from '../../src/infra/events/domain-events';
import { TestApp } from './test-app';

/** Audit rows of one entity id, oldest first, with `changes` parsed. */
export async function auditRows(t: TestApp, entity: string, entityId: number | string) {
  const rows = await t
    .get(DataSource)
    .getRepository(AuditLogEntity)
    .find({ where: { entity, entityId: String(entityId) }, order: { id: 'ASC' } });
  return rows.map((r) => ({ ...r, changes: r.changes === null ? null : JSON.parse(r.changes) }));
}

/** Records every emitted domain event of one kind; `take()` returns and clears what was seen. */
export function recordEvents<K extends keyof DomainEventMap>(t: TestApp, event: K) {
  const seen: DomainEventMap[K][] = [];
  t.get(DomainEvents).on(event, (payload) => {
    seen.push(payload);
  });
  return {
    take(): DomainEventMap[K][] {
      return seen.splice(0, seen.length);
    },
  };
}

/** Admin, two specialists-to-be and two clients with tokens, plus a bad token. */
export async function actors(t: TestApp) {
  const [admin, client, otherClient, specialistUser, otherSpecialistUser] = await Promise.all([
    t.userWithToken('admin'),
    t.userWithToken('client'),
    t.userWithToken('client'),
    t.userWithToken('specialist'),
    t.userWithToken('specialist'),
  ]);
  return { admin, client, otherClient, specialistUser, otherSpecialistUser };
}

/** The bot's refusals audited for a user (a forged or foreign button), oldest first, with `changes` parsed. */
export async function botRefusals(t: TestApp, userId: number) {
  const rows = await t
    .get(DataSource)
    .getRepository(AuditLogEntity)
    .find({ where: { userId, action: 'bot.refused' }, order: { id: 'ASC' } });
  return rows.map((r) => ({ ...r, changes: r.changes === null ? null : JSON.parse(r.changes) }));
}
