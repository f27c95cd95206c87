import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { BroadcastProgress } from '../broadcasts/broadcast-progress';
import { BroadcastPace } from './broadcast-pace';
import { failedForGood, MessageDelivery } from './message-delivery';
import { NotificationComposer } from './notification-composer';
import { quietWarnings } from './quiet-warnings';
import {
  BROADCAST_DEAD_QUEUE,
  BROADCAST_QUEUE,
  BroadcastJob,
  DeadLetter,
  DELIVER_JOB,
  DeliverJob,
  EVENT_JOB,
} from './notification-queues';

/**
 * `broadcast`: the admin's message fans out into one deliver job per recipient; Telegram messages go
 * at most 30 in any second (BroadcastPace), a job over the pace waits for its place. Dead letters go
 * to `broadcast-dead`.
 */
@Processor(BROADCAST_QUEUE, { concurrency: 8 })
export class BroadcastProcessor extends WorkerHost implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(BroadcastProcessor.name);
  private readonly warn = quietWarnings(this.logger);

  constructor(
    private readonly composer: NotificationComposer,
    private readonly delivery: MessageDelivery,
    @InjectQueue(BROADCAST_QUEUE) private readonly queue: Queue,
    @InjectQueue(BROADCAST_DEAD_QUEUE) private readonly dead: Queue<DeadLetter>,
    private readonly progress: BroadcastProgress,
    private readonly pace: BroadcastPace,
  ) {
    super();
  }

  /** Closed while Redis is still open (it closes after this module): jobs ending now are still counted. */
  async onModuleDestroy(): Promise<void> {
    await this.delivery.closeIfRedisDown(this.worker);
    await this.worker.close();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.delivery.closeIfRedisDown(this.worker);
  }

  async process(job: Job<BroadcastJob | DeliverJob>, token?: string): Promise<void> {
    if (job.name === EVENT_JOB) return this.fanOut(job.data as BroadcastJob);
    if (job.name === DELIVER_JOB) {
      const deliver = () => this.delivery.deliver(job as Job<DeliverJob>, token);
      if ((job.data as DeliverJob).channel === 'telegram') await this.pace.paced(deliver);
      else await deliver();
      return this.progress.finished((job.data as DeliverJob).ref, 'sent');
    }
    throw new UnrecoverableError(`unknown job ${String(job.name)}`);
  }

  private async fanOut(broadcast: BroadcastJob): Promise<void> {
    const deliveries = await this.composer.composeBroadcast(broadcast);
    await this.delivery.enqueue(this.queue, deliveries);
    await this.progress.queued(broadcast.broadcastId, deliveries.length);
    this.logger.log(`broadcast ${broadcast.broadcastId}: ${deliveries.length} messages queued`);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, err: Error): Promise<void> {
    if (job?.name === DELIVER_JOB && failedForGood(job, err))
      await this.progress.finished((job.data as DeliverJob).ref, 'failed');
    return this.delivery.failed(BROADCAST_QUEUE, this.dead, job, err);
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): Promise<void> {
    return this.delivery.completed(BROADCAST_QUEUE, this.dead, job);
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.warn(`broadcast worker: ${err.message}`);
  }
}
