import type { Actor } from '../../common/actor';
import type { BroadcastDto, CreateBroadcastDto } from './broadcasts.dto';

/** An admin's message to every user of some roles, sent through the throttled `broadcast` queue. */
export abstract class BroadcastsApi {
  /** Queues the broadcast (admins only); recipients are found and messaged in the background. */
  abstract send(actor: Actor, dto: CreateBroadcastDto): Promise<BroadcastDto>;
}
