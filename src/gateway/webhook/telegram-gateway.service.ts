import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Update, User } from 'telegraf/types';
import { BotUpdates, TgUserContext } from '../../bot/api';
import { AppConfig } from '../../config/app-config';
import { runWithTraceId } from '../../infra/cls/trace';
import { DomainError, ErrorCode } from '../../common/errors';
import { AcceptOutcome, TelegramGateway, UpdateSource } from '../api/telegram-gateway.api';
import { ChatScheduler } from './chat-scheduler';
import { Deadline } from './deadline';
import { ProcessingGovernor } from './processing-governor';
import { TgUserContexts } from './tg-user-contexts';
import { UpdateAudit, UpdateOutcome } from './update-audit';
import { asUpdate, factsOf, orderingKey } from './update-facts';
import { Admission, JournalEntry, streamIdAtMost, UpdateJournal } from './update-journal';
import { UpdateSources } from './update-sources';

interface Job {
  entry: JournalEntry;
  source: UpdateSource | 'replay';
}

const AUTH_RETRIES_MS = [200, 1000, 3000];
const SHUTDOWN_GRACE_MS = 5000;
const READ_RETRY_MS = 2000;
const PAGE_MAX = 200;
/** How often the journal is checked for entries this process holds nowhere (see sweep). */
const SWEEP_EVERY_MS = 5000;
const REMOVE_RETRY_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The pipeline: admit (dedupe, rate limit, journal) -> answer -> per-chat queue -> auth ->
 * BotUpdates -> remove from the journal. Each update runs under its update id as trace id
 * (runWithTraceId), so the bot, the contracts and every log line share it.
 *
 * The journal is the source of truth: an entry this process does not hold (its admission's reply was
 * lost in a Redis stall, its user could not be resolved, ...) is found by a sweep and processed, while
 * the app runs. A lost admission, or a sender's retry answered as a duplicate, starts one at once;
 * otherwise one runs every SWEEP_EVERY_MS.
 */
@Injectable()
export class TelegramGatewayService
  extends TelegramGateway
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger(TelegramGatewayService.name);
  private readonly scheduler: ChatScheduler<Job>;
  private readonly governor: ProcessingGovernor;
  private readonly handlerDeadline: Deadline;
  private accepting = true;
  /** Updates waiting in memory for their chat at most; beyond, they wait in the journal (see refill). */
  private readonly backlogLimit: number;
  /**
   * 'journal': new admissions stay in the journal and `refill` reads them in stream order as room
   * frees up, until it has caught up. At start the journal may hold updates from before it.
   */
  private mode: 'memory' | 'journal' = 'journal';
  /** The last journal id taken into memory (in stream order); undefined: none yet. */
  private cursor: string | undefined;
  private reading = false;
  /** The newest entry journaled before this process started: it and those before it are replays. */
  private replayUpTo: string | undefined;
  private replayed = 0;
  /** Updates offered since the governor last looked. */
  private arrived = 0;
  /** Journal ids held in memory, being processed, or processed with their removal not yet confirmed. */
  private readonly known = new Set<string>();
  /** While a sweep reads: ids that left `known` meanwhile (the sweep's page may still list them). */
  private sweepLog: Set<string> | undefined;
  private sweeping = false;
  private sweepAgain = false;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    config: AppConfig,
    private readonly journal: UpdateJournal,
    private readonly contexts: TgUserContexts,
    private readonly bot: BotUpdates,
    private readonly audit: UpdateAudit,
    private readonly sources: UpdateSources,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
    this.scheduler = new ChatScheduler(config.webhook.concurrency, (job) => this.process(job));
    this.governor = new ProcessingGovernor(this.scheduler as ChatScheduler<unknown>, () => {
      const arrived = this.arrived;
      this.arrived = 0;
      return arrived;
    });
    this.handlerDeadline = new Deadline(config.webhook.handlerTimeoutSeconds * 1000);
    this.backlogLimit = config.webhook.backlogInMemory;
    this.journal.onAdmitted((admission) => this.admitted(admission));
    this.journal.onUncertain(() => this.recover());
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
    const admission = await this.journal.admit(update, facts.from?.id, source, json);
    if (admission.outcome !== 'accepted') {
      this.audit.record({ updateId: update.update_id, source, facts, outcome: admission.outcome });
    }
    // A retry: the first attempt may sit in the journal unheld (its admission's reply was lost).
    if (admission.outcome === 'duplicate') this.recover();
    return admission.outcome;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Scripts (init-admin) build the modules without an HTTP server: they must not replay or poll.
    if (!this.adapterHost.httpAdapter) return;
    this.governor.start();
    this.replayUpTo = await this.journal.lastId().catch(() => undefined);
    this.refill();
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
    await this.sources.start((update, source) => this.accept(update, source));
  }

  async onModuleDestroy(): Promise<void> {
    this.accepting = false;
    clearInterval(this.sweepTimer);
    this.governor.stop();
    this.handlerDeadline.stop();
    await this.sources.stop();
    this.scheduler.pause();
    // What is still waiting stays in the journal and is replayed at the next start.
    await this.scheduler.whenRunningDone(SHUTDOWN_GRACE_MS);
    await this.journal.settle();
  }

  /** Admissions arrive here in journal order, answered in time or not. */
  private admitted({ entry }: Admission): void {
    if (!entry) return;
    if (this.mode === 'journal') return this.refill();
    this.hold(entry, entry.source);
    if (this.scheduler.waiting >= this.backlogLimit) this.mode = 'journal';
  }

  private hold(entry: JournalEntry, source: Job['source']): void {
    this.take(entry, source);
    this.cursor = entry.id;
  }

  private take(entry: JournalEntry, source: Job['source']): void {
    this.known.add(entry.id);
    this.scheduler.push(orderingKey(entry.update), { entry, source });
  }

  private forget(id: string): void {
    this.known.delete(id);
    this.sweepLog?.add(id);
  }

  /**
   * Some admission's outcome is unknown, so the journal may hold entries this process never heard
   * of: those after the cursor are read back in order (journal mode), those before it by a sweep.
   */
  private recover(): void {
    if (!this.accepting) return;
    this.mode = 'journal';
    this.refill();
    this.sweep();
  }

  /**
   * Takes every journal entry up to the cursor that this process does not know: nothing else will
   * (entries after the cursor are the admissions' and refill's). One sweep at a time; asked again
   * meanwhile, it runs once more.
   */
  private sweep(): void {
    if (!this.accepting || this.cursor === undefined) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = true;
    this.sweepAgain = false;
    this.sweepUpTo(this.cursor).then(
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

  private async sweepUpTo(upTo: string): Promise<number> {
    let found = 0;
    let after: string | undefined;
    for (;;) {
      this.sweepLog = new Set();
      try {
        const { entries, last, full } = await this.journal.page(after, PAGE_MAX, upTo);
        for (const entry of entries) {
          if (this.known.has(entry.id) || this.sweepLog.has(entry.id)) continue;
          this.take(entry, 'replay');
          found++;
        }
        if (!full) return found;
        after = last;
      } finally {
        this.sweepLog = undefined;
      }
    }
  }

  /** Removes a processed entry from the journal; until Redis confirms, it stays known (a sweep skips it). */
  private processed(id: string): void {
    this.journal.remove(id).then(
      () => this.forget(id),
      (err: Error) => {
        if (!this.accepting) return;
        this.logger.warn(`journal entry ${id} not removed, retrying: ${err.message}`);
        setTimeout(() => this.processed(id), REMOVE_RETRY_MS).unref();
      },
    );
  }

  /**
   * Reads the journal on from `cursor` while there is room in memory. Memory takes over again only
   * when a page reached the end of the stream and no admission was sent while it was read: every
   * admission sent before the read was then in it (one Redis connection keeps their order), and
   * every later one comes after it.
   */
  private refill(): void {
    if (this.mode !== 'journal' || this.reading || !this.accepting) return;
    const room = this.backlogLimit - this.scheduler.waiting;
    if (room < Math.ceil(this.backlogLimit / 2)) return;
    this.reading = true;
    const sentBefore = this.journal.sent;
    this.journal.page(this.cursor, Math.min(room, PAGE_MAX)).then(
      ({ entries, last, full }) => {
        for (const entry of entries) {
          const replay = this.replayUpTo !== undefined && streamIdAtMost(entry.id, this.replayUpTo);
          if (replay) this.replayed++;
          this.hold(entry, replay ? 'replay' : entry.source);
        }
        this.cursor = last;
        if (!full && this.journal.sent === sentBefore && this.journal.settled) this.caughtUp();
        this.reading = false;
        this.refill();
      },
      (err: Error) => {
        this.logger.error(`journal not readable, retrying: ${err.message}`);
        setTimeout(() => {
          this.reading = false;
          this.refill();
        }, READ_RETRY_MS).unref();
      },
    );
  }

  private caughtUp(): void {
    this.mode = 'memory';
    if (this.replayed > 0) this.logger.log(`replayed ${this.replayed} journaled updates`);
    this.replayed = 0;
  }

  private process(job: Job): Promise<void> {
    const { update } = job.entry;
    return runWithTraceId(String(update.update_id), async () => {
      const outcome = await this.handOff(job);
      // Stays journaled: a later sweep takes it again.
      if (outcome === 'deferred') return this.forget(job.entry.id);
      // Not awaited: the chat's next update need not wait for Redis.
      this.processed(job.entry.id);
    }).finally(() => this.refill());
  }

  private async handOff({ entry, source }: Job): Promise<UpdateOutcome> {
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
      user = await this.userContext(update, facts.from, facts.chatId);
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
        };
        return { ctx, blocked: subject.blocked };
      } catch (err) {
        if (attempt >= AUTH_RETRIES_MS.length) throw err;
        await sleep(AUTH_RETRIES_MS[attempt]);
      }
    }
  }
}
