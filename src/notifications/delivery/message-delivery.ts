import { Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { BotMessenger, BotSendError } from '../../bot/api';
import { SYSTEM_ACTOR } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { RedisService } from '../../infra/redis/redis.service';
import { PushSubscriptionsApi } from '../api/push-subscriptions.api';
import { DeadLetter, DELIVER_JOB, DeliverJob, deliverJobId, JOB_OPTIONS } from './notification-queues';
import { WebPushSender } from './web-push-sender';

/** Telegram takes about one message a second per chat; a chat still busy with one waits this long. */
const BUSY_CHAT_DELAY_MS = 1000;

/** The job will not run again: refused for good, or its last attempt failed. */
export function failedForGood(job: Job, err: Error): boolean {
  return err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
}

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
 * Sends one deliver job's message, for both queues (p2p and broadcast). Telegram's 429 waits its
 * retry_after without spending an attempt; 403 (blocked) and other 4xx fail at once; 5xx and network
 * errors are retried by the queue (3 attempts, backoff). Web Push: 404/410 deletes the subscription,
 * 429 (Retry-After) and 5xx are retried.
 *
 * One Telegram message per chat at a time in this process: a job for a chat that is still being sent
 * to waits as a delayed job instead of taking a worker, so a slow or hung chat (up to
 * TG_API_TIMEOUT_SECONDS a call) holds one worker and never the others' messages.
 */
@Injectable()
export class MessageDelivery {
  private readonly logger = new Logger(MessageDelivery.name);
  private readonly sendingTo = new Set<number>();

  constructor(
    private readonly messenger: BotMessenger,
    private readonly subscriptions: PushSubscriptionsApi,
    private readonly webPush: WebPushSender,
    private readonly redis: RedisService,
  ) {}

  /** Queues one deliver job per message; job ids make a repeated fan-out a no-op. */
  async enqueue(queue: Queue, deliveries: DeliverJob[]): Promise<void> {
    await queue.addBulk(
      deliveries.map((d) => ({
        name: DELIVER_JOB,
        data: d,
        opts: { ...JOB_OPTIONS, jobId: deliverJobId(d) },
      })),
    );
  }

  /**
   * At shutdown, with Redis unreachable a worker's loop waits for a connection forever, and a plain
   * close waits for that loop: close it by force then (nothing can be running without Redis).
   * Otherwise the worker closes normally, after its running jobs.
   */
  async closeIfRedisDown(worker: Worker): Promise<void> {
    if (this.redis.client.status !== 'ready') await worker.close(true);
  }

  async deliver(job: Job<DeliverJob>, token: string | undefined): Promise<void> {
    if (job.data.channel === 'web_push') return this.push(job, token);
    const { chatId, text, buttons } = job.data;
    if (chatId === null) throw new Refused('rejected', 'no Telegram chat');
    if (this.sendingTo.has(chatId)) {
      await job.moveToDelayed(Date.now() + BUSY_CHAT_DELAY_MS, token);
      throw new DelayedError();
    }
    this.sendingTo.add(chatId);
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
    } finally {
      this.sendingTo.delete(chatId);
    }
  }

  /** BullMQ reports every failed attempt: the last one (or a refusal) goes to `dead`, except a blocked bot. */
  async failed(queue: string, dead: Queue<DeadLetter>, job: Job | undefined, err: Error): Promise<void> {
    if (!job) return;
    if (!failedForGood(job, err)) return;
    if (err instanceof Refused && err.reason === 'blocked') {
      this.logger.log(`not delivered, the user blocked the bot: job ${job.id}`);
      return;
    }
    this.logger.warn(`${queue} job ${job.id} failed for good: ${err.message}`);
    const letter: DeadLetter = {
      queue,
      name: job.name,
      jobId: job.id,
      data: job.data,
      reason: err.message,
      attemptsMade: job.attemptsMade,
      failedAt: new Date().toISOString(),
    };
    // Keyed by the job's id: a job retried from Bull Board that fails again replaces its letter.
    await dead
      .remove(job.id!)
      .then(() => dead.add(job.name, letter, { jobId: job.id }))
      .catch((e: Error) => this.logger.error(`dead letter for job ${job.id} not written: ${e.message}`));
  }

  /** A job that completes after a failed run (retried from Bull Board, say) is no dead letter any more. */
  async completed(queue: string, dead: Queue<DeadLetter>, job: Job): Promise<void> {
    // Run once and done: it never failed, and the common case costs no Redis call.
    if (job.attemptsStarted <= 1) return;
    const removed = await dead
      .remove(job.id!)
      .catch((e: Error) => this.logger.error(`dead letter of job ${job.id} not removed: ${e.message}`));
    if (removed) this.logger.log(`${queue} job ${job.id} succeeded on a retry: its dead letter is removed`);
  }

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
}
