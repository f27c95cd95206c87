import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type Redis from 'ioredis';
import type { Update, User } from 'telegraf/types';
import { BotUpdates, TgUserContext } from '../../bot/api';
import { AppConfig } from '../../config/app-config';
import { runWithTraceId } from '../../infra/cls/trace';
import { RedisService } from '../../infra/redis/redis.service';
import { DomainError, ErrorCode } from '../../common/errors';
import { AcceptOutcome, TelegramGateway, UpdateSource } from '../api/telegram-gateway.api';
import { AckPacer } from './ack-pacer';
import { ChatScheduler } from './chat-scheduler';
import { PartitionLeases, PartitionOwner } from './partition-leases';
import { Deadline } from './deadline';
import { ProcessingGovernor } from './processing-governor';
import { TgUserContexts } from './tg-user-contexts';
import { UpdateAudit, UpdateOutcome } from './update-audit';
import { asUpdate, factsOf, orderingKey } from './update-facts';
import {
  Admission,
  JournalEntry,
  nudgeChannelOf,
  partitionOf,
  streamIdAtMost,
  UpdateJournal,
} from './update-journal';
import { UpdateSources } from './update-sources';

interface Job {
  entry: JournalEntry;
  source: UpdateSource | 'replay';
  /** The partition's epoch when the entry was taken: a job of an earlier one is no longer this instance's. */
  epoch: number;
}

const AUTH_RETRIES_MS = [200, 1000, 3000];
const SHUTDOWN_GRACE_MS = 5000;
const READ_RETRY_MS = 2000;
const PAGE_MAX = 200;
/** How often the partitions held are read for entries this process holds nowhere (see sweep and pull). */
const SWEEP_EVERY_MS = 5000;
const REMOVE_RETRY_MS = 1000;
/** Processing is behind once this many updates wait in memory: acks are then paced (see AckPacer). */
const PACE_ABOVE_WAITING = 128;
/** The longest an ack is held: Telegram's requests stay well inside its timeout, and acks under 50 ms. */
const ACK_HOLD_MS = 12;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** An entry among all partitions' (stream ids repeat across streams). */
const refOf = (entry: JournalEntry) => `${entry.partition}/${entry.id}`;
/** The Redis time (ms) at which a stream entry was added. */
const addedAt = (id: string) => Number(id.slice(0, id.indexOf('-')));

/**
 * The pipeline: admit (dedupe, rate limit, journal) -> answer -> per-chat queue -> auth ->
 * BotUpdates -> remove from the journal. Each update runs under its update id as trace id
 * (runWithTraceId), so the bot, the contracts and every log line share it.
 *
 * The journal is partitioned by chat, and each partition is processed by the one instance holding its
 * lease (PartitionLeases). An update this instance admits into a partition it holds, right after the
 * last entry it took there, goes straight to memory; any other entry of a partition it holds (admitted
 * by another instance, or before a flood's backlog had room) is read from the stream in order (`pull`),
 * at once when the admitting instance's nudge arrives, or when the next admission shows a gap.
 *
 * The journal is the source of truth: an entry this process does not hold (its admission's reply was
 * lost in a Redis stall, its user could not be resolved, ...) is found by a sweep and processed, while
 * the app runs. A lost admission, or a sender's retry answered as a duplicate, starts one at once;
 * otherwise one runs every SWEEP_EVERY_MS.
 */
@Injectable()
export class TelegramGatewayService
  extends TelegramGateway
  implements OnApplicationBootstrap, OnModuleDestroy, PartitionOwner
{
  private readonly logger = new Logger(TelegramGatewayService.name);
  private readonly scheduler: ChatScheduler<Job>;
  private readonly governor: ProcessingGovernor;
  private readonly pacer: AckPacer;
  private readonly handlerDeadline: Deadline;
  private accepting = true;
  private started = false;
  /** Updates waiting in memory for their chat at most; beyond, they wait in the journal (see refill). */
  private readonly backlogLimit: number;
  /** Per partition: the last entry taken into memory since its lease was taken (undefined: none yet). */
  private readonly cursor: (string | undefined)[];
  /** Per partition: bumped whenever its lease is taken, lost or given up; jobs of an earlier one are dropped. */
  private readonly epoch: number[];
  /** Per partition: Redis's clock when its lease was taken; entries journaled before are replays. */
  private readonly since: number[];
  /** Per partition: entries held (waiting, running, or processed with their removal not yet confirmed). */
  private readonly holding: number[];
  /** Partitions that may have entries after their cursor not taken yet. */
  private readonly behind = new Set<number>();
  private readonly reading = new Set<number>();
  private readonly readAgain = new Set<number>();
  /** Room in memory promised to the pages being read. */
  private reserved = 0;
  /** Given up (over the fair share): released once nothing of them is held. */
  private readonly draining = new Set<number>();
  private replayed = 0;
  /** Updates offered since the governor last looked. */
  private arrived = 0;
  /** Entries (refOf) held in memory, being processed, or processed with their removal not yet confirmed. */
  private readonly known = new Set<string>();
  /** One per read in flight: ids that left `known` meanwhile (the read's page may still list them). */
  private readonly readLogs = new Set<Set<string>>();
  private sweeping = false;
  private sweepAgain = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Hears the nudges of instances that journaled an entry of a partition this one holds. */
  private readonly nudges: Redis;

  constructor(
    config: AppConfig,
    private readonly journal: UpdateJournal,
    private readonly leases: PartitionLeases,
    private readonly contexts: TgUserContexts,
    private readonly bot: BotUpdates,
    private readonly audit: UpdateAudit,
    private readonly sources: UpdateSources,
    private readonly adapterHost: HttpAdapterHost,
    shared: RedisService,
  ) {
    super();
    this.scheduler = new ChatScheduler(config.webhook.concurrency, (job) => this.process(job));
    this.governor = new ProcessingGovernor(this.scheduler as ChatScheduler<unknown>, () => {
      const arrived = this.arrived;
      this.arrived = 0;
      return arrived;
    });
    this.pacer = new AckPacer(ACK_HOLD_MS, () => this.scheduler.waiting >= PACE_ABOVE_WAITING);
    this.handlerDeadline = new Deadline(config.webhook.handlerTimeoutSeconds * 1000);
    this.backlogLimit = config.webhook.backlogInMemory;
    const partitions = journal.partitions;
    this.cursor = new Array<string | undefined>(partitions).fill(undefined);
    this.epoch = new Array<number>(partitions).fill(0);
    this.since = new Array<number>(partitions).fill(0);
    this.holding = new Array<number>(partitions).fill(0);
    this.journal.onAdmitted((admission) => this.admitted(admission));
    this.journal.onUncertain(() => this.recover());
    const channel = nudgeChannelOf(config.redisPrefix);
    this.nudges = shared.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
    this.nudges.on('error', (err) => this.logger.warn(`redis nudges: ${err.message}`));
    this.nudges.on('message', (_channel, partition) => this.pull(Number(partition)));
    // Nudges sent while the subscription was down are lost: read every partition held.
    this.nudges.on('ready', () => {
      void this.nudges.subscribe(channel).catch(() => undefined);
      this.pullAll();
    });
  }

  /** Updates waiting in this process's memory for their chat (at most TG_BACKLOG_IN_MEMORY). */
  get waitingInMemory(): number {
    return this.scheduler.waiting;
  }

  async accept(raw: unknown, source: UpdateSource, json?: string): Promise<AcceptOutcome> {
    const update = asUpdate(raw);
    if (!update)
      throw DomainError.invalid('Not a Telegram update: a non-negative integer update_id is required');
    if (!this.accepting) throw new DomainError(ErrorCode.ServiceUnavailable, 'Shutting down, retry later');
    this.arrived++;
    const facts = factsOf(update);
    const partition = partitionOf(update, facts, this.journal.partitions);
    const admission = await this.journal.admit(update, facts.from?.id, partition, source, json);
    if (admission.outcome !== 'accepted') {
      this.audit.record({ updateId: update.update_id, source, facts, outcome: admission.outcome });
    }
    // A retry: the first attempt may sit in the journal unheld (its admission's reply was lost).
    if (admission.outcome === 'duplicate') this.recover();
    else if (admission.entry) await this.pacer.hold();
    return admission.outcome;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Scripts (init-admin) build the modules without an HTTP server: they must not replay or poll.
    if (!this.adapterHost.httpAdapter) return;
    this.started = true;
    this.governor.start();
    await this.leases.start(this);
    void this.nudges
      .connect()
      .catch((err: Error) => this.logger.warn(`journal nudges not subscribed yet: ${err.message}`));
    this.sweepTimer = setInterval(() => {
      this.pullAll();
      this.sweep();
    }, SWEEP_EVERY_MS).unref();
    await this.sources.start((update, source) => this.accept(update, source));
  }

  async onModuleDestroy(): Promise<void> {
    this.accepting = false;
    this.pacer.releaseAll();
    clearInterval(this.sweepTimer);
    this.governor.stop();
    this.handlerDeadline.stop();
    await this.sources.stop();
    this.scheduler.pause();
    // What is still waiting stays in the journal: the partition's next owner takes it.
    await this.scheduler.whenRunningDone(SHUTDOWN_GRACE_MS);
    await this.journal.settle();
    if (this.started) await this.leases.stop();
    await this.nudges.quit().catch(() => this.nudges.disconnect());
  }

  acquired(partition: number, since: number): void {
    this.reset(partition);
    this.since[partition] = since;
    this.pull(partition);
  }

  lost(partition: number): void {
    this.reset(partition);
  }

  relinquish(partition: number): void {
    this.reset(partition);
    this.draining.add(partition);
    this.releaseIfDrained(partition);
  }

  /** Whatever this process took of the partition is no longer its to start: it reads the partition afresh. */
  private reset(partition: number): void {
    this.epoch[partition]++;
    this.cursor[partition] = undefined;
    this.behind.delete(partition);
    this.readAgain.delete(partition);
    this.draining.delete(partition);
  }

  private releaseIfDrained(partition: number): void {
    if (!this.draining.has(partition) || this.holding[partition] > 0 || this.reading.has(partition)) return;
    this.draining.delete(partition);
    this.leases
      .release(partition)
      .catch((err: Error) => this.logger.warn(`partition ${partition} not released: ${err.message}`));
  }

  /** Admissions arrive here in journal order, answered in time or not. */
  private admitted({ entry, prev }: Admission): void {
    if (!entry) return;
    const p = entry.partition;
    // Not this instance's partition: the admission nudged its owner.
    if (!this.leases.takes(p)) return;
    const cursor = this.cursor[p];
    // Read from the stream already (its reply was delivered after an earlier admission's).
    if ((cursor !== undefined && streamIdAtMost(entry.id, cursor)) || this.known.has(refOf(entry))) return;
    // Nothing in the partition between what this process took and this entry: it is next.
    const next = prev === undefined || (cursor !== undefined && streamIdAtMost(prev, cursor));
    if (next && this.room() > 0) {
      this.take(entry, entry.source);
      this.cursor[p] = entry.id;
    } else this.pull(p);
  }

  private take(entry: JournalEntry, source: Job['source']): void {
    this.known.add(refOf(entry));
    this.holding[entry.partition]++;
    this.scheduler.push(orderingKey(entry.update), { entry, source, epoch: this.epoch[entry.partition] });
  }

  private forget(entry: JournalEntry): void {
    const ref = refOf(entry);
    this.known.delete(ref);
    for (const log of this.readLogs) log.add(ref);
    this.holding[entry.partition]--;
    this.releaseIfDrained(entry.partition);
  }

  private sourceOf(entry: JournalEntry): Job['source'] {
    if (addedAt(entry.id) >= this.since[entry.partition]) return entry.source;
    this.replayed++;
    return 'replay';
  }

  /**
   * Some admission's outcome is unknown, so the journal may hold entries this process never heard
   * of: those after a cursor are read on (pull), those before it by a sweep.
   */
  private recover(): void {
    if (!this.accepting) return;
    this.pullAll();
    this.sweep();
  }

  private pullAll(): void {
    for (const p of this.leases.owned) this.pull(p);
  }

  /** Updates memory may still take: the backlog limit less those waiting and the pages being read. */
  private room(): number {
    return this.backlogLimit - this.scheduler.waiting - this.reserved;
  }

  /** Reads on the partitions left behind while there is room in memory. */
  private refill(): void {
    // A partition being read goes on by itself when its page was full.
    for (const p of this.behind) if (!this.reading.has(p)) this.pull(p);
  }

  /**
   * Reads a partition on from its cursor, in stream order, while there is room in memory (else
   * `refill` comes back to it as room frees up). One read per partition at a time; asked again
   * meanwhile, it reads once more.
   */
  private pull(p: number): void {
    if (!this.accepting || !this.leases.takes(p)) return;
    this.behind.add(p);
    if (this.reading.has(p)) {
      this.readAgain.add(p);
      return;
    }
    const room = this.room();
    if (room < Math.ceil(this.backlogLimit / 2)) return;
    const count = Math.min(room, PAGE_MAX);
    this.reserved += count;
    this.reading.add(p);
    const log = new Set<string>();
    this.readLogs.add(log);
    const epoch = this.epoch[p];
    this.journal.page(p, this.cursor[p], count).then(
      ({ entries, last, full }) => {
        this.reserved -= count;
        this.readLogs.delete(log);
        this.reading.delete(p);
        if (epoch !== this.epoch[p]) {
          // Taken anew or given up meanwhile: what was read belongs to the old cursor.
          this.releaseIfDrained(p);
          return this.pull(p);
        }
        for (const entry of entries) {
          const cursor = this.cursor[p];
          // Taken meanwhile, straight from its admission.
          if (cursor !== undefined && streamIdAtMost(entry.id, cursor)) continue;
          this.cursor[p] = entry.id;
          if (!this.known.has(refOf(entry)) && !log.has(refOf(entry))) this.take(entry, this.sourceOf(entry));
        }
        const cursor = this.cursor[p];
        if (last !== undefined && (cursor === undefined || !streamIdAtMost(last, cursor)))
          this.cursor[p] = last;
        if (this.replayed > 0 && !full) {
          this.logger.log(`replayed ${this.replayed} journaled updates`);
          this.replayed = 0;
        }
        if (!full && !this.readAgain.delete(p)) this.behind.delete(p);
        // This page's room is free again for any partition left behind, this one included.
        this.refill();
      },
      (err: Error) => {
        this.reserved -= count;
        this.readLogs.delete(log);
        this.logger.error(`journal partition ${p} not readable, retrying: ${err.message}`);
        setTimeout(() => {
          this.reading.delete(p);
          this.pull(p);
        }, READ_RETRY_MS).unref();
      },
    );
  }

  /**
   * Takes every entry up to each held partition's cursor that this process does not know: nothing
   * else will (entries after a cursor are the admissions' and pull's). One sweep at a time; asked
   * again meanwhile, it runs once more.
   */
  private sweep(): void {
    if (!this.accepting) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = true;
    this.sweepAgain = false;
    this.sweepHeld().then(
      (found) => {
        if (found > 0) this.logger.warn(`took ${found} journaled updates that were held nowhere`);
        this.sweeping = false;
        if (this.sweepAgain) this.sweep();
      },
      (err: Error) => {
        this.logger.warn(`journal sweep failed, retrying: ${err.message}`);
        setTimeout(() => {
          this.sweeping = false;
          this.sweep();
        }, READ_RETRY_MS).unref();
      },
    );
  }

  private async sweepHeld(): Promise<number> {
    let found = 0;
    for (const p of this.leases.owned) {
      const upTo = this.cursor[p];
      if (upTo === undefined || !this.leases.takes(p)) continue;
      const epoch = this.epoch[p];
      let after: string | undefined;
      for (;;) {
        const log = new Set<string>();
        this.readLogs.add(log);
        try {
          const { entries, last, full } = await this.journal.page(p, after, PAGE_MAX, upTo);
          if (epoch !== this.epoch[p]) break;
          for (const entry of entries) {
            if (this.known.has(refOf(entry)) || log.has(refOf(entry))) continue;
            this.take(entry, 'replay');
            found++;
          }
          if (!full) break;
          after = last;
        } finally {
          this.readLogs.delete(log);
        }
      }
    }
    return found;
  }

  /** Removes a processed entry from the journal; until Redis confirms, it stays known (a sweep skips it). */
  private processed(entry: JournalEntry): void {
    this.journal.remove(entry.partition, entry.id).then(
      () => this.forget(entry),
      (err: Error) => {
        if (!this.accepting) return;
        this.logger.warn(`journal entry ${entry.id} not removed, retrying: ${err.message}`);
        setTimeout(() => this.processed(entry), REMOVE_RETRY_MS).unref();
      },
    );
  }

  private process(job: Job): Promise<void> {
    const { entry } = job;
    const p = entry.partition;
    if (job.epoch !== this.epoch[p] || !this.leases.takes(p)) {
      // No longer this instance's to start: it stays journaled for the partition's owner. A lease
      // that merely lapsed here (Redis out of reach) is read afresh once renewed.
      if (job.epoch === this.epoch[p] && !this.draining.has(p)) this.reset(p);
      this.forget(entry);
      return Promise.resolve();
    }
    const { update } = entry;
    return runWithTraceId(String(update.update_id), async () => {
      const outcome = await this.handOff(job);
      // Stays journaled: a later sweep takes it again.
      if (outcome === 'deferred') return this.forget(entry);
      // Not awaited: the chat's next update need not wait for Redis.
      this.processed(entry);
    }).finally(() => {
      this.pacer.processed();
      this.refill();
    });
  }

  private async handOff({ entry, source, epoch }: Job): Promise<UpdateOutcome> {
    const { update } = entry;
    const facts = factsOf(update);
    const audit = (outcome: UpdateOutcome, ctx?: TgUserContext) => {
      this.audit.record({
        updateId: update.update_id,
        source,
        facts,
        outcome,
        userId: ctx?.userId,
        role: ctx?.role,
      });
      return outcome;
    };
    if (!facts.from || facts.from.is_bot) return audit('ignored');
    let user: { ctx: TgUserContext; blocked: boolean };
    try {
      // The partition's epoch changes whenever its lease is taken, lost or given up: while it stays, no
      // other process took this chat's updates.
      const custody = `${this.journal.instanceId}/${entry.partition}/${epoch}`;
      user = await this.userContext(update, facts.from, facts.chatId, custody);
    } catch (err) {
      this.logger.error(`no user context, update left in the journal: ${(err as Error).message}`);
      return audit('deferred');
    }
    const { ctx } = user;
    if (user.blocked) {
      await this.handlerDeadline
        .guard(this.bot.blocked(update, ctx))
        .catch((err: Error) => this.logger.warn(`blocked notice not sent: ${err.message}`));
      return audit('blocked', ctx);
    }
    try {
      if (entry.kind === 'limited') {
        await this.handlerDeadline.guard(this.bot.rateLimited(ctx, entry.retryAfter));
        return audit('rate_limit_notice', ctx);
      }
      await this.handlerDeadline.guard(this.bot.handle(update, ctx));
      return audit('processed', ctx);
    } catch (err) {
      this.logger.error(`bot failed on update ${update.update_id}: ${(err as Error).message}`);
      return audit('failed', ctx);
    }
  }

  /** Redis or the database may blip: a few retries while this chat waits, then the update stays journaled. */
  private async userContext(
    update: Update,
    from: User,
    chatId: number | undefined,
    custody: string,
  ): Promise<{ ctx: TgUserContext; blocked: boolean }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const subject = await this.contexts.resolve(from);
        const ctx: TgUserContext = {
          userId: subject.userId,
          tgId: from.id,
          chatId: chatId ?? from.id,
          role: subject.role,
          lang: subject.language,
          clientType: 'internal',
          traceId: String(update.update_id),
          custody,
        };
        return { ctx, blocked: subject.blocked };
      } catch (err) {
        if (attempt >= AUTH_RETRIES_MS.length) throw err;
        await sleep(AUTH_RETRIES_MS[attempt]);
      }
    }
  }
}
