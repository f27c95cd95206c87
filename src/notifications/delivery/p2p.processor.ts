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
/** A message waiting for an older event's fan-out (milliseconds) looks again after this long. */
const FANOUT_WAIT_MS = 25;

/**
 * `p2p`: an event job fans out into one deliver job per recipient and channel (job ids make a
 * repeated fan-out a no-op), and each deliver job sends one message (MessageDelivery). What fails
 * for good, except a blocked bot, goes to `p2p-dead`.
 */
@Processor(P2P_QUEUE, { concurrency: CONCURRENCY })
export class P2pProcessor extends WorkerHost implements BeforeApplicationShutdown {
  /**
   * A message waiting behind an older one of its chat is woken when that one is done (see handOver);
   * this is only the safety net for a wake-up lost with a crashed instance.
   */
  static parkedMs = 2000;
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

  /**
   * A chat's booking messages go out in their events' order: one waits while an older one is pending.
   * Waiting behind an older message, it is parked (delayed) and woken by that message's handOver, so
   * a busy chat (an admin's, a message per booking) costs a wake-up per message instead of a turn
   * check every 25 ms for each of its waiting messages. Parked, it checks the head once more: the
   * older one may have handed over just before it was parked.
   */
  private async deliverInTurn(job: Job<DeliverJob>, token: string | undefined): Promise<void> {
    const { chatId, outboxId, channel } = job.data;
    const ordered = channel === 'telegram' && chatId !== null && outboxId !== undefined;
    const turn = ordered ? await this.order.turn(this.p2p, chatId, job.id!, outboxId) : { kind: 'go' };
    if (turn.kind === 'fanout') {
      await job.moveToDelayed(Date.now() + FANOUT_WAIT_MS, token);
      throw new DelayedError();
    }
    if (turn.kind === 'after') {
      await job.moveToDelayed(Date.now() + P2pProcessor.parkedMs, token);
      if ((await this.order.head(chatId!)) === job.id) await this.wake(job.id!);
      throw new DelayedError();
    }
    await this.delivery.deliver(job, token);
    // Sent: a failure to unlist it must not fail the job (a retry would send it twice); the next
    // message of the chat finds the job completed and unlists it then.
    if (ordered) await this.handOver(chatId, job.id!);
  }

  /** The message is done (sent or given up): the chat's next one, parked, goes now. */
  private async handOver(chatId: number, jobId: string): Promise<void> {
    try {
      const next = await this.order.done(chatId, jobId);
      if (next) await this.wake(next);
    } catch (err) {
      this.warn(`chat order: ${(err as Error).message}`);
    }
  }

  /** A parked message goes now; one not parked (still running, or woken already) is left alone. */
  private async wake(jobId: string): Promise<void> {
    const job = await this.p2p.getJob(jobId);
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  /** BullMQ reports every failed attempt: only the last one (or a refusal) is final. */
  @OnWorkerEvent('failed')
  async onFailed(job: P2pJob | undefined, err: Error): Promise<void> {
    if (job && failedForGood(job, err)) {
      // Given up: it holds the chat's later messages back no longer.
      if (job.name === EVENT_JOB)
        await this.order
          .fannedOut((job.data as EventJob).outboxId)
          .catch((e: Error) => this.warn(`chat order: ${e.message}`));
      else if ((job.data as DeliverJob).chatId !== null)
        await this.handOver((job.data as DeliverJob).chatId!, job.id!);
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
