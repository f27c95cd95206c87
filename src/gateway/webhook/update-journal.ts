import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { Update } from 'telegraf/types';
import { AppConfig } from '../../config/app-config';
import { DomainError, ErrorCode } from '../../common/errors';
import type { AcceptOutcome, UpdateSource } from '../api/telegram-gateway.api';
import { Deadline } from './deadline';
import type { UpdateFacts } from './update-facts';
import { WebhookRedis } from './webhook-redis';
import { redisScript } from '../../infra/redis/redis-script';

/** The one stream of the versions before partitions; read once at start and moved (see PartitionLeases). */
export const JOURNAL_KEY = 'tg:journal';
/** The journal is `partitions` streams: a chat's updates all go to one of them (see partitionOf). */
export const streamOf = (partition: number) => `tg:journal:${partition}`;
/** Who processes a partition's updates now: an instance id, under a lease (see PartitionLeases). */
export const leaseOf = (partition: number) => `tg:lease:${partition}`;
/** The number of partitions the instances on this Redis agreed on (the first one to start wrote it). */
export const PARTITIONS_KEY = 'tg:journal:partitions';
/** Pub/sub channels are not prefixed by ioredis; this one is, by hand, so apps sharing a Redis stay apart. */
export const nudgeChannelOf = (prefix: string) => `${prefix}tg:journal:nudge`;
const SEEN_PREFIX = 'tg:seen:';
const RATE_PREFIX = 'rl:tg:';
const DEDUPE_TTL_SECONDS = 24 * 3600;
/** The longest a removal waits for admissions to ride with (see remove). */
const REMOVAL_LINGER_MS = 5;
/** The webhook answers within this budget or says 503; Telegram retries and dedupe absorbs a late success. */
const ADMIT_BUDGET_MS = 1000;

/** A chat's partition: its chat id (else its user's, else the update's own id) mod the number of partitions. */
export function partitionOf(update: Update, facts: UpdateFacts, partitions: number): number {
  const key = facts.chatId ?? facts.from?.id ?? update.update_id;
  return ((key % partitions) + partitions) % partitions;
}

/** Entries of every partition, by partition (the operator's view of the journal's lag). */
export async function journalLengths(client: Redis): Promise<number[]> {
  const partitions = Number(await client.get(PARTITIONS_KEY));
  if (!partitions) return [];
  const pipeline = client.pipeline();
  for (let p = 0; p < partitions; p++) pipeline.xlen(streamOf(p));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([err, n]) => {
    if (err) throw err;
    return Number(n);
  });
}

/** Every entry still in the journal, whichever partition. */
export async function journalLength(client: Redis): Promise<number> {
  return (await journalLengths(client)).reduce((a, b) => a + b, 0);
}

export type JournalKind = 'update' | 'limited';

export interface JournalEntry {
  /** The stream id: its order is the arrival order within the partition. */
  id: string;
  partition: number;
  kind: JournalKind;
  update: Update;
  /** For 'limited': seconds until the user's window ends. */
  retryAfter: number;
  source: UpdateSource;
}

/** A page of a partition in stream order; `last` is the id to read on from (entries that did not parse included). */
export interface JournalPage {
  entries: JournalEntry[];
  last: string | undefined;
  /** The page was cut at its size: more entries may follow. */
  full: boolean;
}

/**
 * `entry` is set when something was journaled: the update itself, or the notice for the first update
 * over the limit. `prev` is the newest entry its partition held before it (none: it was empty): whoever
 * has taken that one, or later ones, may take this one at once without reading the stream.
 */
export interface Admission {
  outcome: AcceptOutcome;
  entry?: JournalEntry;
  prev?: string;
}

/**
 * One round trip decides everything the answer depends on: seen before (SET NX, 24 h)? over the
 * user's limit (INCR in a fixed window)? If neither, the update is appended to its partition's stream.
 * The first update over the limit is journaled as a 'limited' notice, so the user hears about it once.
 * An entry journaled by an instance that does not hold the partition's lease is announced on the nudge
 * channel, so its owner reads it at once.
 */
const ADMIT_LUA = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {'duplicate'} end
local function journal(kind, ttl)
  local newest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  local id = redis.call('XADD', KEYS[2], '*', 'k', kind, 'u', ARGV[2], 'r', ttl, 's', ARGV[6])
  if redis.call('GET', KEYS[4]) ~= ARGV[7] then redis.call('PUBLISH', ARGV[8], ARGV[9]) end
  local prev = ''
  if newest[1] then prev = newest[1][1] end
  return {id, prev}
end
if ARGV[5] == '1' then
  local n = redis.call('INCR', KEYS[3])
  if n == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
  local limit = tonumber(ARGV[3])
  if n > limit then
    if n == limit + 1 then
      local ttl = tostring(redis.call('TTL', KEYS[3]))
      local j = journal('limited', ttl)
      return {'limited', j[1], j[2], ttl}
    end
    return {'rate_limited'}
  end
end
local j = journal('update', '0')
return {'accepted', j[1], j[2]}
`;

type AdmitArgs = [seen: string, stream: string, rate: string, lease: string, ...args: (string | number)[]];
type AdmitReply = [string, string?, string?, string?];
type AdmitCommand = (...args: AdmitArgs) => Promise<AdmitReply>;

interface PendingAdmission {
  args: AdmitArgs;
  resolve: (reply: AdmitReply) => void;
  reject: (err: Error) => void;
}

type AdmittedListener = (admission: Admission) => void;

interface PendingRemoval {
  partition: number;
  id: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** The Redis side of the pipeline: dedupe, per-user rate limit and the durable journal of accepted updates. */
@Injectable()
export class UpdateJournal {
  private readonly admitCommand: AdmitCommand;
  private readonly admitDeadline = new Deadline(ADMIT_BUDGET_MS);
  private admissions: PendingAdmission[] = [];
  /** Admissions are numbered as they are sent; Redis journals them in that order. */
  private issued = 0;
  /** Admissions before this number have been handed to the listener (or had nothing to hand). */
  private delivered = 0;
  private readonly completed = new Map<number, Admission | undefined>();
  private listener: AdmittedListener = () => undefined;
  private uncertainListener: () => void = () => undefined;
  private removals: PendingRemoval[] = [];
  private removalTimer: NodeJS.Timeout | undefined;
  private readonly removing = new Set<Promise<unknown>>();
  /** This process among the instances sharing the Redis: it holds partitions' leases under this id. */
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly partitions: number;
  private readonly nudgeChannel: string;

  constructor(
    private readonly redis: WebhookRedis,
    private readonly config: AppConfig,
  ) {
    this.partitions = config.webhook.partitions;
    this.nudgeChannel = nudgeChannelOf(config.redisPrefix);
    this.admitCommand = redisScript<AdmitArgs, AdmitReply>(redis.client, 'tgAdmit', 4, ADMIT_LUA);
  }

  /**
   * Every admission, answered in time or not, in the order Redis journaled them (stream id order),
   * whatever order their replies' continuations happen to run in.
   */
  onAdmitted(listener: AdmittedListener): void {
    this.listener = listener;
  }

  /**
   * An admission failed after it may have reached Redis (a timeout, a dropped connection): the update
   * may be journaled, and its sender's retry will be a duplicate. The journal has to be read back.
   */
  onUncertain(listener: () => void): void {
    this.uncertainListener = listener;
  }

  /**
   * The outcome for the request; throws service_unavailable when Redis does not confirm in time. An
   * admission Redis confirms after that still reaches the onAdmitted listener, so no journaled update
   * is left unprocessed.
   */
  async admit(
    update: Update,
    userId: number | undefined,
    partition: number,
    source: UpdateSource,
    json = JSON.stringify(update),
  ): Promise<Admission> {
    const { rateLimit, rateWindowSeconds } = this.config.webhook;
    const ticket = this.issued++;
    const pending = this.batched([
      `${SEEN_PREFIX}${update.update_id}`,
      streamOf(partition),
      `${RATE_PREFIX}${userId ?? 0}`,
      leaseOf(partition),
      DEDUPE_TTL_SECONDS,
      json,
      rateLimit,
      rateWindowSeconds,
      userId === undefined ? '0' : '1',
      source,
      this.instanceId,
      this.nudgeChannel,
      partition,
    ]).then(
      ([outcome, id, prev, ttl]) => {
        const admission = toAdmission(outcome, id, prev, ttl, update, partition, source);
        this.complete(ticket, admission);
        return admission;
      },
      (err: Error) => {
        this.complete(ticket, undefined);
        this.uncertainListener();
        throw err;
      },
    );
    try {
      return await this.admitDeadline.guard(pending);
    } catch (err) {
      throw new DomainError(ErrorCode.ServiceUnavailable, 'Update journal unavailable, retry later', {
        reason: (err as Error).message,
      });
    }
  }

  private complete(ticket: number, admission: Admission | undefined): void {
    this.completed.set(ticket, admission);
    while (this.completed.has(this.delivered)) {
      const next = this.completed.get(this.delivered);
      this.completed.delete(this.delivered++);
      if (next) this.listener(next);
    }
  }

  /**
   * Admissions asked for in one turn of the event loop go to Redis in one write: under load many
   * requests are read per turn, and a write to Redis is the largest single cost of an ack. Alone in
   * its turn, an admission is sent by itself, at the end of that turn.
   */
  private batched(args: AdmitArgs): Promise<AdmitReply> {
    return new Promise<AdmitReply>((resolve, reject) => {
      if (this.admissions.push({ args, resolve, reject }) === 1) setImmediate(() => this.flushAdmissions());
    });
  }

  private flushAdmissions(): void {
    const batch = this.admissions;
    this.admissions = [];
    const removals = this.takeRemovals();
    if (batch.length === 1 && removals.length === 0) {
      const [only] = batch;
      this.admitCommand(...only.args).then(only.resolve, only.reject);
      return;
    }
    const pipeline = this.redis.client.pipeline() as ChainableCommander & {
      tgAdmit(...args: AdmitArgs): void;
    };
    for (const { args } of batch) pipeline.tgAdmit(...args);
    const removed = this.queueRemovals(pipeline, removals);
    const sent = pipeline.exec().then(
      (results) => {
        batch.forEach(({ resolve, reject }, i) => {
          const [err, reply] = results?.[i] ?? [new Error('no reply from redis'), undefined];
          if (err) reject(err);
          else resolve(reply as AdmitReply);
        });
        removed(results?.slice(batch.length));
      },
      (err: Error) => {
        batch.forEach(({ reject }) => reject(err));
        removals.forEach((r) => r.reject(err));
      },
    );
    if (removals.length > 0) this.track(sent);
  }

  /**
   * Removing an entry is the mark that its update was processed: a crash after the handler and
   * before the XDEL replays it. A removal rides in the next admissions' write (under load one comes
   * within a millisecond or two), or goes alone after REMOVAL_LINGER_MS: a write to Redis is the
   * largest single cost of an update here, and this halves them. Removals waiting together share one
   * XDEL per partition.
   */
  remove(partition: number, id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.removals.push({ partition, id, resolve, reject });
      this.removalTimer ??= setTimeout(() => this.flushRemovals(), REMOVAL_LINGER_MS);
    });
  }

  private takeRemovals(): PendingRemoval[] {
    const removals = this.removals;
    this.removals = [];
    clearTimeout(this.removalTimer);
    this.removalTimer = undefined;
    return removals;
  }

  /** Adds the removals' XDELs to a pipeline; the returned function settles them from their results. */
  private queueRemovals(
    pipeline: ChainableCommander,
    removals: PendingRemoval[],
  ): (results: [Error | null, unknown][] | undefined) => void {
    const byPartition = new Map<number, PendingRemoval[]>();
    for (const removal of removals) {
      const list = byPartition.get(removal.partition);
      if (list) list.push(removal);
      else byPartition.set(removal.partition, [removal]);
    }
    const groups = [...byPartition.values()];
    for (const group of groups) pipeline.xdel(streamOf(group[0].partition), ...group.map((r) => r.id));
    return (results) =>
      groups.forEach((group, i) => {
        const err = results?.[i]?.[0] ?? (results?.[i] ? null : new Error('no reply from redis'));
        group.forEach((r) => (err ? r.reject(err) : r.resolve()));
      });
  }

  private flushRemovals(): void {
    const removals = this.takeRemovals();
    if (removals.length === 0) return;
    const pipeline = this.redis.client.pipeline();
    const removed = this.queueRemovals(pipeline, removals);
    this.track(
      pipeline.exec().then(
        (results) => removed(results ?? undefined),
        (err: Error) => removals.forEach((r) => r.reject(err)),
      ),
    );
  }

  private track(sent: Promise<unknown>): void {
    this.removing.add(sent);
    void sent.finally(() => this.removing.delete(sent));
  }

  /** Sends the removals still waiting and waits for all of them (at shutdown). */
  async settle(): Promise<void> {
    this.flushRemovals();
    await Promise.all(this.removing);
  }

  /**
   * Up to `count` entries of a partition after the id `after` (from the start when undefined) up to
   * `upTo` (inclusive), oldest first.
   */
  async page(partition: number, after: string | undefined, count: number, upTo = '+'): Promise<JournalPage> {
    const from = after ? `(${after}` : '-';
    const rows = await this.redis.client.xrange(streamOf(partition), from, upTo, 'COUNT', count);
    const entries: JournalEntry[] = [];
    for (const [id, fields] of rows) {
      const entry = fromFields(id, partition, fields);
      if (entry) entries.push(entry);
    }
    return { entries, last: rows.length ? rows[rows.length - 1][0] : after, full: rows.length === count };
  }
}

function toAdmission(
  outcome: string,
  id: string | undefined,
  prev: string | undefined,
  ttl: string | undefined,
  update: Update,
  partition: number,
  source: UpdateSource,
): Admission {
  const before = prev || undefined;
  if (outcome === 'limited') {
    const retryAfter = Math.max(1, Number(ttl));
    return {
      outcome: 'rate_limited',
      entry: { id: id!, partition, kind: 'limited', update, retryAfter, source },
      prev: before,
    };
  }
  if (outcome === 'accepted')
    return {
      outcome,
      entry: { id: id!, partition, kind: 'update', update, retryAfter: 0, source },
      prev: before,
    };
  return { outcome: outcome as AcceptOutcome };
}

/** Stream ids (`<ms>-<seq>`) in stream order: is `a` at or before `b`? */
export function streamIdAtMost(a: string, b: string): boolean {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs < bMs || (aMs === bMs && aSeq <= bSeq);
}

export function fromFields(id: string, partition: number, fields: string[]): JournalEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  try {
    return {
      id,
      partition,
      kind: map.get('k') === 'limited' ? 'limited' : 'update',
      update: JSON.parse(map.get('u') ?? '') as Update,
      retryAfter: Number(map.get('r') ?? 0),
      source: (map.get('s') ?? 'webhook') as UpdateSource,
    };
  } catch {
    return undefined;
  }
}
