import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
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
 *
 * One call carries every admission asked for in a turn of the event loop and the removals waiting
 * (see remove): a write to Redis, and ioredis's pipeline objects, are the largest costs of an update
 * here. KEYS: per admission seen, stream, rate, lease; then one stream per removal group. ARGV: the
 * admission count, dedupe TTL, rate limit, rate window, instance id, nudge channel; per admission its
 * update JSON, whether it has a user ('1'), source and partition; then per removal group the number
 * of ids and the ids. The reply is one array per admission.
 */
const ADMIT_LUA = `
local n = tonumber(ARGV[1])
local dedupeTtl, limit, window, instance, channel = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local function admit(seen, stream, rate, lease, json, hasUser, source, partition)
  if not redis.call('SET', seen, '1', 'NX', 'EX', dedupeTtl) then return {'duplicate'} end
  local function journal(kind, ttl)
    local newest = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', 1)
    local id = redis.call('XADD', stream, '*', 'k', kind, 'u', json, 'r', ttl, 's', source)
    if redis.call('GET', lease) ~= instance then redis.call('PUBLISH', channel, partition) end
    local prev = ''
    if newest[1] then prev = newest[1][1] end
    return {id, prev}
  end
  if hasUser == '1' then
    local count = redis.call('INCR', rate)
    if count == 1 then redis.call('EXPIRE', rate, window) end
    if count > limit then
      if count == limit + 1 then
        local ttl = tostring(redis.call('TTL', rate))
        local j = journal('limited', ttl)
        return {'limited', j[1], j[2], ttl}
      end
      return {'rate_limited'}
    end
  end
  local j = journal('update', '0')
  return {'accepted', j[1], j[2]}
end
local replies = {}
for i = 1, n do
  local k, a = 4 * (i - 1), 6 + 4 * (i - 1)
  replies[i] = admit(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4])
end
local at = 7 + 4 * n
for g = 4 * n + 1, #KEYS do
  local count = tonumber(ARGV[at])
  for from = at + 1, at + count, 100 do
    redis.call('XDEL', KEYS[g], unpack(ARGV, from, math.min(from + 99, at + count)))
  end
  at = at + count + 1
end
return replies
`;

/** An admission's own keys and arguments (see ADMIT_LUA). */
interface AdmitRequest {
  keys: [seen: string, stream: string, rate: string, lease: string];
  args: [json: string, hasUser: '0' | '1', source: UpdateSource, partition: number];
}
type AdmitReply = [string, string?, string?, string?];
type AdmitCommand = (...args: (string | number)[]) => Promise<AdmitReply[]>;

interface PendingAdmission {
  request: AdmitRequest;
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
    this.admitCommand = redisScript<(string | number)[], AdmitReply[]>(
      redis.client,
      'tgAdmit',
      null,
      ADMIT_LUA,
    );
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
    const ticket = this.issued++;
    const pending = this.batched({
      keys: [
        `${SEEN_PREFIX}${update.update_id}`,
        streamOf(partition),
        `${RATE_PREFIX}${userId ?? 0}`,
        leaseOf(partition),
      ],
      args: [json, userId === undefined ? '0' : '1', source, partition],
    }).then(
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
   * Admissions asked for in one turn of the event loop go to Redis in one call, with the removals
   * waiting: under load many requests are read per turn, and a write to Redis is the largest single
   * cost of an ack. Alone in its turn, an admission is sent by itself, at the end of that turn.
   */
  private batched(request: AdmitRequest): Promise<AdmitReply> {
    return new Promise<AdmitReply>((resolve, reject) => {
      if (this.admissions.push({ request, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  /**
   * Removing an entry is the mark that its update was processed: a crash after the handler and
   * before the XDEL replays it. A removal rides in the next admissions' call (under load one comes
   * within a millisecond or two), or goes alone after REMOVAL_LINGER_MS. Removals waiting together
   * share one XDEL per partition.
   */
  remove(partition: number, id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.removals.push({ partition, id, resolve, reject });
      this.removalTimer ??= setTimeout(() => this.flush(), REMOVAL_LINGER_MS);
    });
  }

  /** Sends the admissions and the removals waiting, in one script call. */
  private flush(): void {
    const batch = this.admissions;
    this.admissions = [];
    const removals = this.removals;
    this.removals = [];
    clearTimeout(this.removalTimer);
    this.removalTimer = undefined;
    if (batch.length === 0 && removals.length === 0) return;
    const { rateLimit, rateWindowSeconds } = this.config.webhook;
    const keys: string[] = [];
    const args: (string | number)[] = [
      batch.length,
      DEDUPE_TTL_SECONDS,
      rateLimit,
      rateWindowSeconds,
      this.instanceId,
      this.nudgeChannel,
    ];
    for (const { request } of batch) {
      keys.push(...request.keys);
      args.push(...request.args);
    }
    const byPartition = new Map<number, string[]>();
    for (const { partition, id } of removals) {
      const ids = byPartition.get(partition);
      if (ids) ids.push(id);
      else byPartition.set(partition, [id]);
    }
    for (const [partition, ids] of byPartition) {
      keys.push(streamOf(partition));
      args.push(ids.length, ...ids);
    }
    const sent = this.admitCommand(keys.length, ...keys, ...args).then(
      (replies) => {
        batch.forEach(({ resolve }, i) => resolve(replies[i]));
        removals.forEach((r) => r.resolve());
      },
      (err: Error) => {
        batch.forEach(({ reject }) => reject(err));
        removals.forEach((r) => r.reject(err));
      },
    );
    if (removals.length > 0) {
      this.removing.add(sent);
      void sent.finally(() => this.removing.delete(sent));
    }
  }

  /** Sends the removals still waiting and waits for all of them (at shutdown). */
  async settle(): Promise<void> {
    this.flush();
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

/**
 * Stream ids (`<ms>-<seq>`, decimal without leading zeros) in stream order: is `a` at or before `b`?
 * Compared digit by digit, a longer number being the larger: called for every entry taken, it
 * allocated four arrays a call when it split and parsed.
 */
export function streamIdAtMost(a: string, b: string): boolean {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  if (dashA !== dashB) return dashA < dashB;
  for (let i = 0; i < dashA; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return ca < cb;
  }
  if (a.length !== b.length) return a.length < b.length;
  for (let i = dashA + 1; i < a.length; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return ca < cb;
  }
  return true;
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
