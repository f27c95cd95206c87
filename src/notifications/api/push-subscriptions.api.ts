import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type { CreatePushSubscriptionDto, ListPushSubscriptionsQuery, PushSubscriptionDto } from './push-subscriptions.dto';

/**
 * Mirrors /api/v1/push-subscriptions: a browser registers its Web Push endpoint for the caller.
 * Any role subscribes itself; only admins see everyone's; another user's subscription is 404.
 */
export abstract class PushSubscriptionsApi {
  /** The same endpoint again moves it to the caller with the new keys instead of adding a row. */
  abstract subscribe(actor: Actor, dto: CreatePushSubscriptionDto): Promise<PushSubscriptionDto>;
  abstract list(actor: Actor, query: ListPushSubscriptionsQuery): Promise<Page<PushSubscriptionDto>>;
  abstract get(actor: Actor, id: number): Promise<PushSubscriptionDto>;
  abstract remove(actor: Actor, id: number): Promise<PushSubscriptionDto>;
}
