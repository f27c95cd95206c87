import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Actor } from '../../common/actor';
import { Clock } from '../clock/clock';
import { currentTraceId } from '../cls/trace';
import { AuditLogEntity } from './audit-log.entity';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: number | string | null;
  changes?: unknown;
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

  async record(em: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    await em.insert(AuditLogEntity, {
      at: this.clock.now(),
      userId: actor.userId || null,
      role: actor.role,
      clientType: actor.clientType,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      changes: entry.changes === undefined ? null : JSON.stringify(entry.changes),
      traceId: currentTraceId() ?? null,
    });
  }

  find(query: AuditQuery): Promise<[AuditLogEntity[], number]> {
    return this.repo.findAndCount({
      where: { entity: query.entity, entityId: query.entityId, userId: query.userId },
      order: { id: 'DESC' },
      take: query.take,
      skip: query.skip,
    });
  }
}
