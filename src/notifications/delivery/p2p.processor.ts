import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { MessageDelivery } from './message-delivery';
import { NotificationComposer } from './notification-composer';
import { quietWarnings } from './quiet-warnings';
import {
  DeadLetter,
  DELIVER_JOB,
  DeliverJob,
  EVENT_JOB,
  EventJob,
  P2P_DEAD_QUEUE,
  P2P_QUEUE,
} from './notification-queues';

type P2pJob = Job<EventJob | DeliverJob>;

/** Messages in flight at once per instance; Telegram's 429s (30 messages/s overall) are waited out. */
const CONCURRENCY = 8;

/**
 * `p2p`: an event job fans out into one deliver job per recipient and channel (job ids make a
 * repeated fan-out a no-op), and each deliver job sends one message (MessageDelivery). What fails
 * for good, except a blocked bot, goes to `p2p-dead`.
 */
@Processor(P2P_QUEUE, { concurrency: CONCURRENCY })
export class P2pProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly warn = quietWarnings(new Logger(P2pProcessor.name));

  constructor(
    private readonly composer: NotificationComposer,
    private readonly delivery: MessageDelivery,
    @InjectQueue(P2P_QUEUE) private readonly p2p: Queue,
    @InjectQueue(P2P_DEAD_QUEUE) private readonly dead: Queue<DeadLetter>,
  ) {
    super();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.delivery.closeIfRedisDown(this.worker);
  }

  async process(job: P2pJob, token?: string): Promise<void> {
    if (job.name === EVENT_JOB) return this.fanOut(job.data as EventJob);
    if (job.name === DELIVER_JOB) return this.delivery.deliver(job as Job<DeliverJob>, token);
    throw new UnrecoverableError(`unknown job ${String(job.name)}`);
  }

  private async fanOut(event: EventJob): Promise<void> {
    const deliveries = await this.composer.compose(event);
    await this.delivery.enqueue(this.p2p, deliveries);
  }

  /** BullMQ reports every failed attempt: only the last one (or a refusal) is final. */
  @OnWorkerEvent('failed')
  onFailed(job: P2pJob | undefined, err: Error): Promise<void> {
    return this.delivery.failed(P2P_QUEUE, this.dead, job, err);
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): Promise<void> {
    return this.delivery.completed(P2P_QUEUE, this.dead, job);
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.warn(`p2p worker: ${err.message}`);
  }
}
