import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { authorize, authorizeObject } from '../../common/access-policy';
import type { Actor } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { Page, pageOf } from '../../common/pagination';
import { AuditTrail } from '../../infra/audit/audit-trail';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { isUniqueViolation } from '../../infra/database/constraints';
import { PushSubscriptionsApi } from '../api/push-subscriptions.api';
import {
  CreatePushSubscriptionDto,
  ListPushSubscriptionsQuery,
  PushSubscriptionDto,
} from '../api/push-subscriptions.dto';
import { PushSubscriptionEntity } from '../entities/push-subscription.entity';
import { PushEndpointPolicy } from './push-endpoint-policy';

/**
 * Someone else's browser endpoint: whoever learned the URL could otherwise take over that user's
 * notifications. A browser shared by two people unsubscribes (PushSubscription.unsubscribe()) and
 * subscribes again, which gives it a new endpoint.
 */
const endpointTaken = () =>
  DomainError.conflict(
    ErrorCode.PushEndpointTaken,
    'This push endpoint is registered to another user; unsubscribe the browser and subscribe again',
  );

export function toPushSubscriptionDto(p: PushSubscriptionEntity): PushSubscriptionDto {
  return {
    id: p.id,
    userId: p.userId,
    endpoint: p.endpoint,
    keys: { p256dh: p.p256dh, auth: p.auth },
    createdAt: p.createdAt.toISOString(),
  };
}

@Injectable()
export class PushSubscriptionsService extends PushSubscriptionsApi {
  constructor(
    @InjectRepository(PushSubscriptionEntity)
    private readonly subscriptions: Repository<PushSubscriptionEntity>,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly policy: PushEndpointPolicy,
  ) {
    super();
  }

  async subscribe(actor: Actor, dto: CreatePushSubscriptionDto): Promise<PushSubscriptionDto> {
    authorize(actor, 'push_subscription', 'write');
    // A subscription belongs to a person; background jobs have no browser.
    if (actor.role === 'system') throw DomainError.forbidden('Only a user subscribes to push notifications');
    const refused = await this.policy.check(dto.endpoint);
    if (refused) throw DomainError.invalid(refused, { fields: { endpoint: [refused] } });
    const attempt = () =>
      this.uow.run(async (em) => {
        const existing = await em.findOneBy(PushSubscriptionEntity, { endpoint: dto.endpoint });
        if (existing && existing.userId !== actor.userId) throw endpointTaken();
        const subscription = existing ?? em.create(PushSubscriptionEntity, { endpoint: dto.endpoint });
        subscription.userId = actor.userId;
        subscription.p256dh = dto.keys.p256dh;
        subscription.auth = dto.keys.auth;
        await em.save(PushSubscriptionEntity, subscription);
        // Keys are secrets of the browser: the audit row names the endpoint and owner only.
        await this.audit.record(em, actor, {
          action: existing ? 'push_subscription.update' : 'push_subscription.create',
          entity: 'push_subscription',
          entityId: subscription.id,
          changes: { endpoint: dto.endpoint, userId: actor.userId },
        });
        return toPushSubscriptionDto(
          await em.findOneByOrFail(PushSubscriptionEntity, { id: subscription.id }),
        );
      });
    try {
      return await attempt();
    } catch (err) {
      // PostgreSQL: the same browser subscribed twice at once; the second try updates the row the first inserted.
      if (isUniqueViolation(err)) return attempt();
      throw err;
    }
  }

  async list(actor: Actor, query: ListPushSubscriptionsQuery): Promise<Page<PushSubscriptionDto>> {
    const scope = authorize(actor, 'push_subscription', 'read');
    const { take, skip } = pageOf(query);
    const qb = this.subscriptions.createQueryBuilder('p').orderBy('p.id', 'ASC').take(take).skip(skip);
    if (scope === 'own') qb.andWhere('p.user_id = :self', { self: actor.userId });
    if (query.userId !== undefined) qb.andWhere('p.user_id = :userId', { userId: query.userId });
    const [rows, total] = await qb.getManyAndCount();
    return { items: rows.map(toPushSubscriptionDto), total, limit: take, offset: skip };
  }

  async get(actor: Actor, id: number): Promise<PushSubscriptionDto> {
    const subscription = await this.subscriptions.findOneBy({ id });
    const notFound = () => DomainError.notFound('push subscription', id);
    authorizeObject(actor, 'push_subscription', 'read', subscription?.userId === actor.userId, notFound);
    if (!subscription) throw notFound();
    return toPushSubscriptionDto(subscription);
  }

  async remove(actor: Actor, id: number): Promise<PushSubscriptionDto> {
    authorize(actor, 'push_subscription', 'write');
    return this.uow.run(async (em) => {
      const subscription = await em.findOneBy(PushSubscriptionEntity, { id });
      const notFound = () => DomainError.notFound('push subscription', id);
      authorizeObject(actor, 'push_subscription', 'write', subscription?.userId === actor.userId, notFound);
      if (!subscription) throw notFound();
      await em.delete(PushSubscriptionEntity, { id });
      await this.audit.record(em, actor, {
        action: 'push_subscription.delete',
        entity: 'push_subscription',
        entityId: id,
        changes: { endpoint: subscription.endpoint, userId: subscription.userId },
      });
      return toPushSubscriptionDto(subscription);
    });
  }
}
