import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError } from 'bullmq';
import { ChatOrder } from './chat-order';
import { failedForGood, MessageDelivery } from './message-delivery';
import { NotificationComposer } from './notification-composer';
import { quietWarnings } from './quiet-warnings';
import {
  DeadLetter,
  DELIVER_JOB,
  DeliverJob,
  deliverJobId,
  EVENT_JOB,
  EventJob,
  P2P_DEAD_QUEUE,
  P2P_QUEUE,
} from './notification-queues';

type P2pJob = Job<EventJob | DeliverJob>;

/** Messages in flight at once per instance; Telegram's 429s (30 messages/s overall) are waited out. */
const CONCURRENCY = 8;
/** A message whose turn in its chat has not come looks again after this long. */
const TURN_WAIT_MS = 25;

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
    private readonly order: ChatOrder,
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
    if (job.name === DELIVER_JOB) return this.deliverInTurn(job as Job<DeliverJob>, token);
    throw new UnrecoverableError(`unknown job ${String(job.name)}`);
  }

  private async fanOut(event: EventJob): Promise<void> {
    const composed = await this.composer.compose(event);
    const deliveries = composed.map((d) => ({ ...d, outboxId: event.outboxId }));
    await this.order.listing(event.outboxId, deliveries, deliverJobId);
    await this.delivery.enqueue(this.p2p, deliveries);
    await this.order.fannedOut(event.outboxId);
  }

  /** A chat's booking messages go out in their events' order: one waits while an older one is pending. */
  private async deliverInTurn(job: Job<DeliverJob>, token: string | undefined): Promise<void> {
    const { chatId, outboxId, channel } = job.data;
    const ordered = channel === 'telegram' && chatId !== null && outboxId !== undefined;
    if (ordered && (await this.order.turn(this.p2p, chatId, job.id!, outboxId)).kind !== 'go') {
      await job.moveToDelayed(Date.now() + TURN_WAIT_MS, token);
      throw new DelayedError();
    }
    await this.delivery.deliver(job, token);
    // Sent: a failure to unlist it must not fail the job (a retry would send it twice); the next
    // message of the chat finds the job completed and unlists it then.
    if (ordered)
      await this.order.done(chatId, job.id!).catch((err: Error) => this.warn(`chat order: ${err.message}`));
  }

  /** BullMQ reports every failed attempt: only the last one (or a refusal) is final. */
  @OnWorkerEvent('failed')
  async onFailed(job: P2pJob | undefined, err: Error): Promise<void> {
    if (job && failedForGood(job, err)) {
      // Given up: it holds the chat's later messages back no longer.
      const done =
        job.name === EVENT_JOB
          ? this.order.fannedOut((job.data as EventJob).outboxId)
          : (job.data as DeliverJob).chatId !== null
            ? this.order.done((job.data as DeliverJob).chatId!, job.id!)
            : undefined;
      await done?.catch((e: Error) => this.warn(`chat order: ${e.message}`));
    }
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
