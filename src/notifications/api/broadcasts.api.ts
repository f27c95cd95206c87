import type { Actor } from '../../common/actor';
import type { BroadcastDto, BroadcastProgressDto, CreateBroadcastDto } from './broadcasts.dto';

/** An admin's message to every user of some roles, sent through the throttled `broadcast` queue. */
export abstract class BroadcastsApi {
  /** Queues the broadcast (admins only); recipients are found and messaged in the background. */
  abstract send(actor: Actor, dto: CreateBroadcastDto): Promise<BroadcastDto>;
  /** How far it got: queued, sent, failed (admins only; 404 for an unknown or week-old id). */
  abstract progress(actor: Actor, id: string): Promise<BroadcastProgressDto>;
}
