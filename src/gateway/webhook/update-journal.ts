import { Injectable } from '@nestjs/common';
import type { Update } from 'telegraf/types';
import { AppConfig } from '../../config/app-config';
import { DomainError, ErrorCode } from '../../common/errors';
import type { AcceptOutcome } from '../api/telegram-gateway.api';
import { Deadline, DeadlineExceeded } from './deadline';
import { WebhookRedis } from './webhook-redis';

export const JOURNAL_KEY = 'tg:journal';
const SEEN_PREFIX = 'tg:seen:';
const RATE_PREFIX = 'rl:tg:';
const DEDUPE_TTL_SECONDS = 24 * 3600;
/** The webhook answers within this budget or says 503; Telegram retries and dedupe absorbs a late success. */
const ADMIT_BUDGET_MS = 1000;
const REMOVE_BATCH_MS = 5;

export type JournalKind = 'update' | 'limited';

export interface JournalEntry {
  /** The stream id: its order is the arrival order. */
  id: string;
  kind: JournalKind;
  update: Update;
  /** For 'limited': seconds until the user's window ends. */
  retryAfter: number;
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
      return {'limited', redis.call('XADD', KEYS[2], '*', 'k', 'limited', 'u', ARGV[2], 'r', ttl), ttl}
    end
    return {'rate_limited'}
  end
end
return {'accepted', redis.call('XADD', KEYS[2], '*', 'k', 'update', 'u', ARGV[2], 'r', '0')}
`;

type AdmitArgs = [seen: string, journal: string, rate: string, ...args: (string | number)[]];
type AdmitReply = [string, string?, string?];
type AdmitCommand = (...args: AdmitArgs) => Promise<AdmitReply>;

interface PendingAdmission {
  args: AdmitArgs;
  resolve: (reply: AdmitReply) => void;
  reject: (err: Error) => void;
}

/** The Redis side of the pipeline: dedupe, per-user rate limit and the durable journal of accepted updates. */
@Injectable()
export class UpdateJournal {
  private readonly admitCommand: AdmitCommand;
  private readonly admitDeadline = new Deadline(ADMIT_BUDGET_MS);
  private admissions: PendingAdmission[] = [];
  private removals: string[] = [];
  private removing: Promise<void> | undefined;

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
   * Throws service_unavailable when Redis does not confirm in time. `late` still receives an
   * admission that Redis confirms after the budget, so no journaled update is left unprocessed.
   */
  async admit(
    update: Update,
    userId: number | undefined,
    late: (admission: Admission) => void,
    json = JSON.stringify(update),
  ): Promise<Admission> {
    const { rateLimit, rateWindowSeconds } = this.config.webhook;
    const pending = this.batched([
      `${SEEN_PREFIX}${update.update_id}`,
      JOURNAL_KEY,
      `${RATE_PREFIX}${userId ?? 0}`,
      DEDUPE_TTL_SECONDS,
      json,
      rateLimit,
      rateWindowSeconds,
      userId === undefined ? '0' : '1',
    ]).then(([outcome, id, ttl]) => toAdmission(outcome, id, ttl, update));
    try {
      return await this.admitDeadline.guard(pending);
    } catch (err) {
      if (err instanceof DeadlineExceeded) pending.then(late, () => undefined);
      throw new DomainError(ErrorCode.ServiceUnavailable, 'Update journal unavailable, retry later', {
        reason: (err as Error).message,
      });
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
   * Removals within REMOVE_BATCH_MS go to Redis as one XDEL: processing an update then costs no
   * round trip of its own. A crash inside that window replays those updates (at least once, as ever).
   */
  remove(id: string): Promise<void> {
    this.removals.push(id);
    this.removing ??= new Promise<void>((resolve) => setTimeout(resolve, REMOVE_BATCH_MS)).then(async () => {
      const ids = this.removals;
      this.removals = [];
      this.removing = undefined;
      await this.redis.client.xdel(JOURNAL_KEY, ...ids);
    });
    return this.removing;
  }

  /** Waits for the removals already asked for (at shutdown). */
  async settle(): Promise<void> {
    await this.removing?.catch(() => undefined);
  }

  /** Every journaled entry, oldest first, in pages. */
  async *entries(pageSize = 500): AsyncGenerator<JournalEntry> {
    let from = '-';
    for (;;) {
      const page = await this.redis.client.xrange(JOURNAL_KEY, from, '+', 'COUNT', pageSize);
      for (const [id, fields] of page) {
        const entry = fromFields(id, fields);
        if (entry) yield entry;
      }
      if (page.length < pageSize) return;
      from = `(${page[page.length - 1][0]}`;
    }
  }
}

function toAdmission(
  outcome: string,
  id: string | undefined,
  ttl: string | undefined,
  update: Update,
): Admission {
  if (outcome === 'limited') {
    return {
      outcome: 'rate_limited',
      entry: { id: id!, kind: 'limited', update, retryAfter: Math.max(1, Number(ttl)) },
    };
  }
  if (outcome === 'accepted') return { outcome, entry: { id: id!, kind: 'update', update, retryAfter: 0 } };
  return { outcome: outcome as AcceptOutcome };
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
    };
  } catch {
    return undefined;
  }
}
