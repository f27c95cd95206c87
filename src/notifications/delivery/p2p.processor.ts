import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError } from 'bullmq';
import { BotMessenger, BotSendError } from '../../bot/api';
import { SYSTEM_ACTOR } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { RedisService } from '../../infra/redis/redis.service';
import { PushSubscriptionsApi } from '../api/push-subscriptions.api';
import { NotificationComposer } from './notification-composer';
import {
  DeadLetter,
  DELIVER_JOB,
  DeliverJob,
  EVENT_JOB,
  EventJob,
  JOB_OPTIONS,
  P2P_DEAD_QUEUE,
  P2P_QUEUE,
} from './notification-queues';
import { WebPushSender } from './web-push-sender';

type P2pJob = Job<EventJob | DeliverJob>;

/** Messages in flight at once per instance; Telegram's 429s (30 messages/s overall) are waited out. */
const CONCURRENCY = 8;

/** Refusals that retrying cannot change; a blocked bot is the user's choice, not a failure to look into. */
class Refused extends UnrecoverableError {
  constructor(
    readonly reason: BotSendError['reason'],
    message: string,
  ) {
    super(message);
  }
}

/**
 * `p2p`: an event job fans out into one deliver job per recipient and channel (job ids make a
 * repeated fan-out a no-op), and each deliver job sends one message. Telegram's 429 waits its
 * retry_after without spending an attempt; 403 (blocked) and other 4xx fail at once; 5xx and network
 * errors are retried (3 attempts, backoff). What fails for good, except a blocked bot, goes to
 * `p2p-dead`.
 */
@Processor(P2P_QUEUE, { concurrency: CONCURRENCY })
export class P2pProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(P2pProcessor.name);

  constructor(
    private readonly composer: NotificationComposer,
    private readonly messenger: BotMessenger,
    @InjectQueue(P2P_QUEUE) private readonly p2p: Queue,
    @InjectQueue(P2P_DEAD_QUEUE) private readonly dead: Queue<DeadLetter>,
    private readonly redis: RedisService,
    private readonly subscriptions: PushSubscriptionsApi,
    private readonly webPush: WebPushSender,
  ) {
    super();
  }

  /**
   * With Redis unreachable the worker's loop waits for a connection forever, and a plain close waits
   * for that loop: close it by force then (nothing can be running without Redis). Otherwise the
   * worker closes normally, after its running jobs.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.redis.client.status !== 'ready') await this.worker.close(true);
  }

  async process(job: P2pJob, token?: string): Promise<void> {
    if (job.name === EVENT_JOB) return this.fanOut(job.data as EventJob);
    if (job.name === DELIVER_JOB) return this.deliver(job as Job<DeliverJob>, token);
    throw new UnrecoverableError(`unknown job ${String(job.name)}`);
  }

  private async fanOut(event: EventJob): Promise<void> {
    const deliveries = await this.composer.compose(event);
    await this.p2p.addBulk(
      deliveries.map((d) => ({
        name: DELIVER_JOB,
        data: d,
        opts: {
          ...JOB_OPTIONS,
          jobId: `deliver-${d.outboxId}-${d.userId}-${d.channel}-${d.subscriptionId ?? 0}`,
        },
      })),
    );
  }

  private async deliver(job: Job<DeliverJob>, token: string | undefined): Promise<void> {
    if (job.data.channel === 'web_push') return this.push(job, token);
    const { chatId, text, buttons } = job.data;
    if (chatId === null) throw new Refused('rejected', 'no Telegram chat');
    try {
      await this.messenger.sendText(chatId, text, buttons);
    } catch (err) {
      if (!(err instanceof BotSendError)) throw err;
      if (err.reason === 'rate_limited') {
        // Telegram said when: wait exactly that long, as a delay rather than a spent attempt.
        await job.moveToDelayed(Date.now() + (err.retryAfterSeconds ?? 1) * 1000, token);
        throw new DelayedError();
      }
      if (!err.retryable) throw new Refused(err.reason, err.message);
      throw err;
    }
  }

  /**
   * One browser: 404/410 means it unsubscribed, so the subscription is deleted; 429/5xx and network
   * errors are retried (after Retry-After when given); anything else fails at once.
   */
  private async push(job: Job<DeliverJob>, token: string | undefined): Promise<void> {
    const { subscriptionId, title, text } = job.data;
    const subscription = await this.subscriptions.get(SYSTEM_ACTOR, subscriptionId!).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === ErrorCode.NotFound) return undefined;
      throw err;
    });
    if (!subscription) return; // unsubscribed since: nothing to deliver to
    const outcome = await this.webPush.send(subscription, JSON.stringify({ title, body: text }));
    if (outcome.kind === 'delivered') return;
    if (outcome.kind === 'gone') {
      await this.subscriptions.remove(SYSTEM_ACTOR, subscription.id);
      this.logger.log(`push subscription ${subscription.id} is gone (the browser unsubscribed): deleted`);
      return;
    }
    if (outcome.kind === 'rejected') throw new Refused('rejected', outcome.reason);
    if (outcome.retryAfterSeconds !== undefined) {
      await job.moveToDelayed(Date.now() + outcome.retryAfterSeconds * 1000, token);
      throw new DelayedError();
    }
    throw new Error(outcome.reason);
  }

  /** BullMQ reports every failed attempt: only the last one (or a refusal) is final. */
  @OnWorkerEvent('failed')
  async onFailed(job: P2pJob | undefined, err: Error): Promise<void> {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    if (err instanceof Refused && err.reason === 'blocked') {
      this.logger.log(`not delivered, the user blocked the bot: job ${job.id}`);
      return;
    }
    this.logger.warn(`notification job ${job.id} failed for good: ${err.message}`);
    await this.dead
      .add(job.name, {
        queue: P2P_QUEUE,
        name: job.name,
        jobId: job.id,
        data: job.data,
        reason: err.message,
        attemptsMade: job.attemptsMade,
        failedAt: new Date().toISOString(),
      })
      .catch((e: Error) => this.logger.error(`dead letter for job ${job.id} not written: ${e.message}`));
  }

  @OnWorkerEvent('error')
  onError(err: Error): void {
    this.logger.warn(`p2p worker: ${err.message}`);
  }
}
