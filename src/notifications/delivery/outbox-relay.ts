import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { OutboxApi } from '../../booking/api';
import { waitAtMost } from '../../common/wait-at-most';
import { DomainEvents } from '../../infra/events/domain-events';
import { ChatOrder } from './chat-order';
import { EVENT_JOB, EventJob, JOB_OPTIONS, P2P_QUEUE } from './notification-queues';
import { isNotifying } from './recipients';

const EVERY_MS = 1000;
/** At shutdown a relay waiting for Redis (BullMQ queues commands until it connects) is left behind. */
const SHUTDOWN_WAIT_MS = 2000;
const BATCH = 100;

/**
 * Moves the booking outbox into the `p2p` queue: events are written in the booking's own transaction,
 * and marked relayed only once BullMQ holds them, so a Redis outage delays notifications and never
 * loses one. Each event's job id is its outbox id: a relay that runs twice (a crash between add and
 * mark, or two instances) adds it once. Events that notify nobody are only marked.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Asked for while a drain ran: it may have read the outbox before the new event committed. */
  private again = false;
  private failing = false;
  private stopped = false;
  /** A relay is set for the end of this turn of the event loop. */
  private soon = false;

  constructor(
    private readonly outbox: OutboxApi,
    @InjectQueue(P2P_QUEUE) private readonly p2p: Queue<EventJob>,
    private readonly adapterHost: HttpAdapterHost,
    private readonly order: ChatOrder,
    private readonly domainEvents: DomainEvents,
  ) {}

  onApplicationBootstrap(): void {
    // Scripts (init-admin) build the modules without an HTTP server: they relay nothing.
    if (!this.adapterHost.httpAdapter) return;
    this.timer = setInterval(() => void this.tick(), EVERY_MS);
    this.timer.unref();
    // An event committed here is relayed once the turn that committed it is over: the request that made
    // the change answers first (the relay's reads and writes would run in its stead), and the commits of
    // one turn go in one pass. The timer catches other instances' events and failed relays.
    this.domainEvents.on('outbox.appended', () => {
      if (this.stopped || this.soon) return;
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        if (this.stopped) return;
        if (this.running) this.again = true;
        else void this.tick();
      });
    });
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await waitAtMost(this.running, SHUTDOWN_WAIT_MS);
  }

  /** Relays everything pending now; resolves when done (tests call it to skip the wait). */
  relay(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.tick();
      }
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      await this.relay();
      if (this.failing) this.logger.log('outbox relay works again');
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.logger.warn(`outbox relay failed, retrying every second: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = await this.outbox.pending(BATCH);
      if (events.length === 0) return;
      const jobs = events
        .filter((e) => isNotifying(e.type))
        .map((e) => ({
          name: EVENT_JOB,
          data: { outboxId: e.id, type: e.type, payload: e.payload } as EventJob,
          opts: { ...JOB_OPTIONS, jobId: `event-${e.id}` },
        }));
      if (jobs.length > 0) {
        await this.order.relaying(jobs.map((job) => job.data.outboxId));
        await this.p2p.addBulk(jobs);
      }
      await this.outbox.markRelayed(events.map((e) => e.id));
      if (events.length < BATCH) return;
    }
  }
}
