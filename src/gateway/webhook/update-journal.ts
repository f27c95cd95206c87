import { Injectable } from '@nestjs/common';
import type { Update } from 'telegraf/types';
import { AppConfig } from '../../config/app-config';
import { DomainError, ErrorCode } from '../../common/errors';
import type { AcceptOutcome, UpdateSource } from '../api/telegram-gateway.api';
import { Deadline } from './deadline';
import { WebhookRedis } from './webhook-redis';

export const JOURNAL_KEY = 'tg:journal';
const SEEN_PREFIX = 'tg:seen:';
const RATE_PREFIX = 'rl:tg:';
const DEDUPE_TTL_SECONDS = 24 * 3600;
/** The webhook answers within this budget or says 503; Telegram retries and dedupe absorbs a late success. */
const ADMIT_BUDGET_MS = 1000;

export type JournalKind = 'update' | 'limited';

export interface JournalEntry {
  /** The stream id: its order is the arrival order. */
  id: string;
  kind: JournalKind;
  update: Update;
  /** For 'limited': seconds until the user's window ends. */
  retryAfter: number;
  source: UpdateSource;
}

/** A page of the journal in stream order; `last` is the id to read on from (entries that did not parse included). */
export interface JournalPage {
  entries: JournalEntry[];
  last: string | undefined;
  /** The page was cut at its size: more entries may follow. */
  full: boolean;
}

/** `entry` is set when something was journaled: the update itself, or the notice for the first update over the limit. */
export interface Admission {
  outcome: AcceptOutcome;
  entry?: JournalEntry;
}

/**
 * One round trip decides everything the answer depends on: seen before (SET NX, 24 h)? over the
 * user's limit (INCR in a fixed window)? If neither, the update is appended to the journal stream.
 * The first update over the limit is journaled as a 'limited' notice, so the user hears about it once.
 */
const ADMIT_LUA = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {'duplicate'} end
if ARGV[5] == '1' then
  local n = redis.call('INCR', KEYS[3])
  if n == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
  local limit = tonumber(ARGV[3])
  if n > limit then
    if n == limit + 1 then
      local ttl = tostring(redis.call('TTL', KEYS[3]))
      return {'limited', redis.call('XADD', KEYS[2], '*', 'k', 'limited', 'u', ARGV[2], 'r', ttl, 's', ARGV[6]), ttl}
    end
    return {'rate_limited'}
  end
end
return {'accepted', redis.call('XADD', KEYS[2], '*', 'k', 'update', 'u', ARGV[2], 'r', '0', 's', ARGV[6])}
`;

type AdmitArgs = [seen: string, journal: string, rate: string, ...args: (string | number)[]];
type AdmitReply = [string, string?, string?];
type AdmitCommand = (...args: AdmitArgs) => Promise<AdmitReply>;

interface PendingAdmission {
  args: AdmitArgs;
  resolve: (reply: AdmitReply) => void;
  reject: (err: Error) => void;
}

type AdmittedListener = (admission: Admission) => void;

interface PendingRemoval {
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
  private readonly removing = new Set<Promise<unknown>>();

  constructor(
    private readonly redis: WebhookRedis,
    private readonly config: AppConfig,
  ) {
    const client = redis.client as unknown as Record<string, unknown> & {
      defineCommand(name: string, def: object): void;
    };
    if (typeof client.tgAdmit !== 'function')
      client.defineCommand('tgAdmit', { numberOfKeys: 3, lua: ADMIT_LUA });
    this.admitCommand = (client.tgAdmit as AdmitCommand).bind(client);
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

  /** Admissions sent to Redis so far. */
  get sent(): number {
    return this.issued;
  }

  /** Every admission sent so far has been handed to the listener. */
  get settled(): boolean {
    return this.delivered === this.issued;
  }

  /**
   * The outcome for the request; throws service_unavailable when Redis does not confirm in time. An
   * admission Redis confirms after that still reaches the onAdmitted listener, so no journaled update
   * is left unprocessed.
   */
  async admit(
    update: Update,
    userId: number | undefined,
    source: UpdateSource,
    json = JSON.stringify(update),
  ): Promise<Admission> {
    const { rateLimit, rateWindowSeconds } = this.config.webhook;
    const ticket = this.issued++;
    const pending = this.batched([
      `${SEEN_PREFIX}${update.update_id}`,
      JOURNAL_KEY,
      `${RATE_PREFIX}${userId ?? 0}`,
      DEDUPE_TTL_SECONDS,
      json,
      rateLimit,
      rateWindowSeconds,
      userId === undefined ? '0' : '1',
      source,
    ]).then(
      ([outcome, id, ttl]) => {
        const admission = toAdmission(outcome, id, ttl, update, source);
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
    if (batch.length === 1) {
      const [only] = batch;
      this.admitCommand(...only.args).then(only.resolve, only.reject);
      return;
    }
    const pipeline = this.redis.client.pipeline() as unknown as {
      tgAdmit(...args: AdmitArgs): void;
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    for (const { args } of batch) pipeline.tgAdmit(...args);
    pipeline.exec().then(
      (results) =>
        batch.forEach(({ resolve, reject }, i) => {
          const [err, reply] = results?.[i] ?? [new Error('no reply from redis'), undefined];
          if (err) reject(err);
          else resolve(reply as AdmitReply);
        }),
      (err: Error) => batch.forEach(({ reject }) => reject(err)),
    );
  }

  /**
   * Removing an entry is the mark that its update was processed: a crash after the handler and
   * before the XDEL replays it. So it is sent at once, at the end of the current turn of the event
   * loop; removals asked for in one turn (many, under load) share one XDEL.
   */
  remove(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.removals.push({ id, resolve, reject }) === 1) setImmediate(() => this.flushRemovals());
    });
  }

  private flushRemovals(): void {
    const batch = this.removals;
    this.removals = [];
    const sent = this.redis.client.xdel(JOURNAL_KEY, ...batch.map((r) => r.id)).then(
      () => batch.forEach((r) => r.resolve()),
      (err: Error) => batch.forEach((r) => r.reject(err)),
    );
    this.removing.add(sent);
    void sent.finally(() => this.removing.delete(sent));
  }

  /** Waits for the removals already asked for (at shutdown). */
  async settle(): Promise<void> {
    await Promise.all(this.removing);
  }

  /** The id of the newest entry, if any. */
  async lastId(): Promise<string | undefined> {
    const [newest] = await this.redis.client.xrevrange(JOURNAL_KEY, '+', '-', 'COUNT', 1);
    return newest?.[0];
  }

  /** Up to `count` entries after the id `after` (from the start when undefined) up to `upTo` (inclusive), oldest first. */
  async page(after: string | undefined, count: number, upTo = '+'): Promise<JournalPage> {
    const rows = await this.redis.client.xrange(JOURNAL_KEY, after ? `(${after}` : '-', upTo, 'COUNT', count);
    const entries: JournalEntry[] = [];
    for (const [id, fields] of rows) {
      const entry = fromFields(id, fields);
      if (entry) entries.push(entry);
    }
    return { entries, last: rows.length ? rows[rows.length - 1][0] : after, full: rows.length === count };
  }
}

function toAdmission(
  outcome: string,
  id: string | undefined,
  ttl: string | undefined,
  update: Update,
  source: UpdateSource,
): Admission {
  if (outcome === 'limited') {
    return {
      outcome: 'rate_limited',
      entry: { id: id!, kind: 'limited', update, retryAfter: Math.max(1, Number(ttl)), source },
    };
  }
  if (outcome === 'accepted')
    return { outcome, entry: { id: id!, kind: 'update', update, retryAfter: 0, source } };
  return { outcome: outcome as AcceptOutcome };
}

/** Stream ids (`<ms>-<seq>`) in stream order: is `a` at or before `b`? */
export function streamIdAtMost(a: string, b: string): boolean {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs < bMs || (aMs === bMs && aSeq <= bSeq);
}

function fromFields(id: string, fields: string[]): JournalEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  try {
    return {
      id,
      kind: map.get('k') === 'limited' ? 'limited' : 'update',
      update: JSON.parse(map.get('u') ?? '') as Update,
      retryAfter: Number(map.get('r') ?? 0),
      source: (map.get('s') ?? 'webhook') as UpdateSource,
    };
  } catch {
    return undefined;
  }
}
