import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { MessageDelivery } from './message-delivery';
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
 * `broadcast`: the admin's message fans out into one deliver job per recipient, sent at most 3 per
 * 100 ms (30 messages/s, Telegram's overall limit; BullMQ's limiter is a fixed window, and 30 per
 * second let 45-60 through in some seconds, STACK trap 2). Dead letters go to `broadcast-dead`.
 */
@Processor(BROADCAST_QUEUE, { concurrency: 8, limiter: { max: 3, duration: 100 } })
export class BroadcastProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(BroadcastProcessor.name);
  private readonly warn = quietWarnings(this.logger);

  constructor(
    private readonly composer: NotificationComposer,
    private readonly delivery: MessageDelivery,
    @InjectQueue(BROADCAST_QUEUE) private readonly queue: Queue,
    @InjectQueue(BROADCAST_DEAD_QUEUE) private readonly dead: Queue<DeadLetter>,
  ) {
    super();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.delivery.closeIfRedisDown(this.worker);
  }

  async process(job: Job<BroadcastJob | DeliverJob>, token?: string): Promise<void> {
    if (job.name === EVENT_JOB) return this.fanOut(job.data as BroadcastJob);
    if (job.name === DELIVER_JOB) return this.delivery.deliver(job as Job<DeliverJob>, token);
    throw new UnrecoverableError(`unknown job ${String(job.name)}`);
  }

  private async fanOut(broadcast: BroadcastJob): Promise<void> {
    const deliveries = await this.composer.composeBroadcast(broadcast);
    await this.delivery.enqueue(this.queue, deliveries);
    this.logger.log(`broadcast ${broadcast.broadcastId}: ${deliveries.length} messages queued`);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): Promise<void> {
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
