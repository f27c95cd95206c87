import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { authorize } from '../../common/access-policy';
import type { Actor } from '../../common/actor';
import { Page, pageOf } from '../../common/pagination';
import { Clock } from '../clock/clock';
import { currentTraceId } from '../cls/trace';
import { insertRows } from '../database/sql';
import type { AuditLogEntryDto, AuditLogQuery } from './audit-log.dto';
import { AuditLogEntity } from './audit-log.entity';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: number | string | null;
  changes?: unknown;
}

function parseChanges(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function toAuditLogEntryDto(row: AuditLogEntity): AuditLogEntryDto {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    userId: row.userId,
    role: row.role,
    clientType: row.clientType,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    changes: parseChanges(row.changes),
    traceId: row.traceId,
  };
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  userId?: number;
  take: number;
  skip: number;
}

/** Writes who did what, inside the caller's transaction so an audit row exists exactly when the change does. */
@Injectable()
export class AuditTrail {
  constructor(
    @InjectRepository(AuditLogEntity) private readonly repo: Repository<AuditLogEntity>,
    private readonly clock: Clock,
  ) {}

  /** Every write records one: a prepared INSERT, not the query builder (see insertRows). */
  async record(em: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    await insertRows(em, 'audit_log', [
      {
        at: this.clock.now(),
        user_id: actor.userId || null,
        role: actor.role,
        client_type: actor.clientType,
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entityId == null ? null : String(entry.entityId),
        changes: entry.changes === undefined ? null : JSON.stringify(entry.changes),
        trace_id: currentTraceId() ?? null,
      },
    ]);
  }

  find(query: AuditQuery): Promise<[AuditLogEntity[], number]> {
    return this.repo.findAndCount({
      where: { entity: query.entity, entityId: query.entityId, userId: query.userId },
      order: { id: 'DESC' },
      take: query.take,
      skip: query.skip,
    });
  }

  /** GET /api/v1/audit-log: the access rule lives here, not in the controller. */
  async list(actor: Actor, query: AuditLogQuery): Promise<Page<AuditLogEntryDto>> {
    authorize(actor, 'audit', 'read');
    const { take, skip } = pageOf(query);
    const [rows, total] = await this.find({
      entity: query.entity,
      entityId: query.entityId,
      userId: query.userId,
      take,
      skip,
    });
    return { items: rows.map(toAuditLogEntryDto), total, limit: take, offset: skip };
  }
}
