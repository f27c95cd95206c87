import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../../infra/clock/clock';
import { insertRows, queryRows, rowInstant } from '../../infra/database/sql';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { DomainEvents } from '../../infra/events/domain-events';
import { BookingEventPayload, OutboxApi, OutboxEventDto, OutboxEventType } from '../api/outbox.api';
import { OutboxEventEntity } from '../entities/booking.entity';

const MAX_BATCH = 1000;

/** The one writer of outbox_events: changes append in their own transaction, the relay reads and marks. */
@Injectable()
export class OutboxService extends OutboxApi {
  constructor(
    @InjectRepository(OutboxEventEntity) private readonly events: Repository<OutboxEventEntity>,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly domainEvents: DomainEvents,
  ) {
    super();
  }

  /**
   * Writes one booking event in the caller's transaction, so it commits or rolls back with the change;
   * once committed, this process's relay hears of it at once.
   */
  async append(em: EntityManager, type: OutboxEventType, payload: BookingEventPayload): Promise<void> {
    await insertRows(em, 'outbox_events', [
      {
        type,
        aggregate_id: payload.booking.id,
        payload: JSON.stringify(payload),
        created_at: this.clock.now(),
        relayed_at: null,
      },
    ]);
    this.uow.afterCommit(em, () => void this.domainEvents.emit('outbox.appended', {}));
  }

  /** Plain SQL: the relay asks after every booking change (the entity read cost more than the query). */
  async pending(limit = 100): Promise<OutboxEventDto[]> {
    const rows = await queryRows<{
      id: unknown;
      type: string;
      aggregate_id: unknown;
      payload: string;
      created_at: unknown;
    }>(
      this.events.manager,
      `SELECT id, type, aggregate_id, payload, created_at FROM outbox_events
        WHERE relayed_at IS NULL ORDER BY id LIMIT :take`,
      { take: Math.min(Math.max(1, Math.floor(limit)), MAX_BATCH) },
    );
    return rows.map((e) => ({
      id: Number(e.id),
      type: e.type as OutboxEventType,
      bookingId: Number(e.aggregate_id),
      payload: JSON.parse(e.payload) as BookingEventPayload,
      createdAt: rowInstant(e.created_at).toISOString(),
    }));
  }

  // Relay bookkeeping, not a business change: no audit row (it would double the log for every event).
  async markRelayed(ids: number[]): Promise<number> {
    const unique = [...new Set(ids.filter((id) => Number.isInteger(id) && id > 0))];
    if (unique.length === 0) return 0;
    return this.uow.run(async (em) => {
      let changed = 0;
      for (let i = 0; i < unique.length; i += 500) {
        const result = await em
          .createQueryBuilder()
          .update(OutboxEventEntity)
          .set({ relayedAt: this.clock.now() })
          .where('id IN (:...ids)', { ids: unique.slice(i, i + 500) })
          .andWhere('relayed_at IS NULL')
          .execute();
        changed += result.affected ?? 0;
      }
      return changed;
    });
  }
}
