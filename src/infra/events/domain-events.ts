import { Injectable, Logger } from '@nestjs/common';

/**
 * In-process notifications between modules, after a change has committed. Anything that must
 * survive a crash goes through the outbox instead; listeners here only drop caches that live in
 * Redis, so every instance sees the effect.
 */
export interface DomainEventMap {
  /** A user's role, language or blocked flag changed. */
  'user.auth_changed': { userId: number; tgId: number | null };
  /** Schedules, exceptions, specialist links or bookings of a location changed. */
  'location.availability_changed': { locationId: number };
  /** An outbox event committed in this process: the relay takes it now rather than at its next tick. */
  'outbox.appended': Record<string, never>;
}

type Listener<K extends keyof DomainEventMap> = (payload: DomainEventMap[K]) => void | Promise<void>;

@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);
  private readonly listeners = new Map<keyof DomainEventMap, Listener<never>[]>();

  on<K extends keyof DomainEventMap>(event: K, listener: Listener<K>): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as Listener<never>]);
  }

  /** Resolves once every listener finished, so a caller returns only after caches are dropped. A failing listener is logged, never thrown. */
  async emit<K extends keyof DomainEventMap>(event: K, payload: DomainEventMap[K]): Promise<void> {
    await Promise.all(
      (this.listeners.get(event) ?? []).map(async (listener) => {
        try {
          await (listener as Listener<K>)(payload);
        } catch (err) {
          this.logger.error(`listener of ${event} failed: ${(err as Error).message}`);
        }
      }),
    );
  }
}
