import type { Actor } from '../../common/actor';
import type { Page } from '../../common/pagination';
import type {
  CreatePushSubscriptionDto,
  ListPushSubscriptionsQuery,
  PushSubscriptionDto,
} from './push-subscriptions.dto';

/**
 * Mirrors /api/v1/push-subscriptions: a browser registers its Web Push endpoint for the caller.
 * Any role subscribes itself; only admins see everyone's; another user's subscription is 404.
 */
export abstract class PushSubscriptionsApi {
  /**
   * Only on a known push service (or a host the server allows), never an IP or a private address (400).
   * The caller's own endpoint again replaces its keys; another user's is refused (409 push_endpoint_taken).
   */
  abstract subscribe(actor: Actor, dto: CreatePushSubscriptionDto): Promise<PushSubscriptionDto>;
  abstract list(actor: Actor, query: ListPushSubscriptionsQuery): Promise<Page<PushSubscriptionDto>>;
  abstract get(actor: Actor, id: number): Promise<PushSubscriptionDto>;
  abstract remove(actor: Actor, id: number): Promise<PushSubscriptionDto>;
}
