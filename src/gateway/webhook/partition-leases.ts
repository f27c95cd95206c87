import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { factsOf } from './update-facts';
import { JOURNAL_KEY, leaseOf, partitionOf, PARTITIONS_KEY, streamOf, UpdateJournal } from './update-journal';
import { WebhookRedis } from './webhook-redis';

/** Live instances: each one's id, scored by the time (Redis clock, ms) its heartbeat runs out. */
const INSTANCES_KEY = 'tg:instances';
const LEGACY_PAGE = 500;

/**
 * One heartbeat: announce this instance, count the live ones, renew this instance's leases, and take
 * free partitions up to its fair share, ceil(partitions / live instances). Returns the Redis clock,
 * the share and the partitions held. Refuses when the agreed number of partitions is another.
 */
const BEAT_LUA = `
local agreed = redis.call('GET', KEYS[2])
if agreed and tonumber(agreed) ~= tonumber(ARGV[5]) then
  return redis.error_reply('PARTITIONS this Redis is set up for ' .. agreed .. ' journal partitions')
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], lease * 2)
local n = #KEYS - 2
local share = math.ceil(n / redis.call('ZCARD', KEYS[1]))
local mine = {}
for i = 0, n - 1 do
  if redis.call('GET', KEYS[i + 3]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i + 3], lease)
    mine[#mine + 1] = i
  end
end
if ARGV[3] == '1' then
  local offset = tonumber(ARGV[4])
  for j = 0, n - 1 do
    if #mine >= share then break end
    local i = (offset + j) % n
    if redis.call('SET', KEYS[i + 3], ARGV[1], 'NX', 'PX', lease) then mine[#mine + 1] = i end
  end
end
return {now, share, mine}
`;

const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

/**
 * Writes the number of partitions if none is agreed yet and returns the agreed one; when it matches,
 * moves the entries of the single journal of earlier versions (KEYS[2]) into their partitions, in order.
 */
const PREPARE_LUA = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  local agreed = tonumber(redis.call('GET', KEYS[1]))
  if agreed ~= tonumber(ARGV[1]) then return agreed end
end
for i = 2, #ARGV, 6 do
  redis.call('XADD', KEYS[3 + tonumber(ARGV[i])], '*', 'k', ARGV[i + 2], 'u', ARGV[i + 3], 'r', ARGV[i + 4], 's', ARGV[i + 5])
  redis.call('XDEL', KEYS[2], ARGV[i + 1])
end
return tonumber(ARGV[1])
`;

/** What the gateway does as leases come and go. */
export interface PartitionOwner {
  /** This instance now holds the partition: read it from its start. `since` is Redis's clock (ms). */
  acquired(partition: number, since: number): void;
  /** The lease ran out or went to another instance: take nothing more of it. */
  lost(partition: number): void;
  /** Over its fair share: take nothing more of it, finish what is in flight, then call release(). */
  relinquish(partition: number): void;
}

export class PartitionsMismatch extends Error {}

type RedisScripts = {
  tgBeat(...args: (string | number)[]): Promise<[number, number, number[]]>;
  tgRelease(key: string, id: string): Promise<number>;
  tgPrepare(...args: (string | number)[]): Promise<number>;
  defineCommand(name: string, def: object): void;
};

/**
 * Each journal partition is processed by one instance at a time: the one holding its lease in Redis
 * (`tg:lease:{n}` = instance id, SET NX PX), renewed by a heartbeat every TG_HEARTBEAT_MS and running
 * out TG_LEASE_MS after the last one. Instances share the partitions fairly; an instance alone holds
 * them all. Locally a lease counts only until TG_LEASE_MS after the heartbeat that last renewed it was
 * sent, so an instance cut off from Redis stops before another one may take over.
 */
@Injectable()
export class PartitionLeases {
  private readonly logger = new Logger(PartitionLeases.name);
  private readonly scripts: RedisScripts;
  private readonly partitions: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly offset: number;
  /** Partitions held, each with the local time its lease counts until. */
  private readonly held = new Map<number, number>();
  private readonly releasing = new Set<number>();
  private owner: PartitionOwner | undefined;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private prepared = false;
  private stopped = false;
  private failing = false;

  constructor(
    private readonly redis: WebhookRedis,
    private readonly journal: UpdateJournal,
    config: AppConfig,
  ) {
    this.partitions = config.webhook.partitions;
    this.leaseMs = config.webhook.leaseMs;
    this.heartbeatMs = config.webhook.heartbeatMs;
    let hash = 0;
    for (const c of journal.instanceId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    this.offset = hash % this.partitions;
    this.scripts = redis.client as unknown as RedisScripts;
    if (typeof this.scripts.tgBeat !== 'function') {
      this.scripts.defineCommand('tgBeat', { lua: BEAT_LUA });
      this.scripts.defineCommand('tgRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
      this.scripts.defineCommand('tgPrepare', { lua: PREPARE_LUA });
    }
  }

  /** The partition's lease is this instance's and still counts. */
  holds(partition: number): boolean {
    const until = this.held.get(partition);
    return until !== undefined && Date.now() < until;
  }

  /** Holds the partition and is not giving it up: its new entries are this instance's to take. */
  takes(partition: number): boolean {
    return this.holds(partition) && !this.releasing.has(partition);
  }

  /** Partitions whose lease this instance holds (counting or not). */
  get owned(): number[] {
    return [...this.held.keys()];
  }

  /**
   * Checks the agreed number of partitions (throws PartitionsMismatch) and takes the first leases
   * before the first update is accepted. With Redis unreachable it starts anyway: the heartbeat
   * checks and takes them once Redis answers.
   */
  async start(owner: PartitionOwner): Promise<void> {
    this.owner = owner;
    try {
      await this.prepare();
    } catch (err) {
      if (err instanceof PartitionsMismatch) throw err;
      this.logger.warn(`journal partitions not checked yet: ${(err as Error).message}`);
    }
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs).unref();
  }

  /** Gives every lease up (what was in flight is done) and leaves the instances. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.beating;
    await Promise.all(this.owned.map((p) => this.release(p).catch(() => undefined)));
    await this.redis.client.zrem(INSTANCES_KEY, this.journal.instanceId).catch(() => undefined);
  }

  /** Lets a partition go, so another instance may take it at its next heartbeat. */
  async release(partition: number): Promise<void> {
    this.held.delete(partition);
    this.releasing.delete(partition);
    await this.scripts.tgRelease(leaseOf(partition), this.journal.instanceId);
  }

  private async prepare(): Promise<void> {
    if (this.prepared) return;
    const client = this.redis.client;
    const keys = [
      PARTITIONS_KEY,
      JOURNAL_KEY,
      ...Array.from({ length: this.partitions }, (_, p) => streamOf(p)),
    ];
    let moved = 0;
    for (;;) {
      const rows = (await client.exists(JOURNAL_KEY))
        ? await client.xrange(JOURNAL_KEY, '-', '+', 'COUNT', LEGACY_PAGE)
        : [];
      const args: (string | number)[] = [];
      for (const [id, fields] of rows) {
        const map = new Map<string, string>();
        for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
        let partition = 0;
        try {
          const update = JSON.parse(map.get('u') ?? '');
          partition = partitionOf(update, factsOf(update), this.partitions);
        } catch {
          // Not an update: it goes to partition 0, whose owner drops it as today's journal did.
        }
        args.push(
          partition,
          id,
          map.get('k') ?? 'update',
          map.get('u') ?? '',
          map.get('r') ?? '0',
          map.get('s') ?? 'webhook',
        );
      }
      const agreed = await this.scripts.tgPrepare(keys.length, ...keys, this.partitions, ...args);
      if (agreed !== this.partitions)
        throw new PartitionsMismatch(
          `TG_JOURNAL_PARTITIONS is ${this.partitions} but the instances on this Redis use ${agreed} ` +
            `(${PARTITIONS_KEY}). Every instance must use the same number; to change it, stop them all, ` +
            `let the journal drain and delete that key.`,
        );
      moved += rows.length;
      if (rows.length < LEGACY_PAGE) break;
    }
    if (moved > 0)
      this.logger.log(`moved ${moved} updates of the single journal into ${this.partitions} partitions`);
    this.prepared = true;
  }

  private beat(): Promise<void> {
    this.beating ??= this.renew().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    const sentAt = Date.now();
    try {
      await this.prepare();
      const keys = [
        INSTANCES_KEY,
        PARTITIONS_KEY,
        ...Array.from({ length: this.partitions }, (_, p) => leaseOf(p)),
      ];
      const acquire = this.releasing.size === 0 ? '1' : '0';
      const [now, share, mine] = await this.scripts.tgBeat(
        keys.length,
        ...keys,
        this.journal.instanceId,
        this.leaseMs,
        acquire,
        this.offset,
        this.partitions,
      );
      if (this.failing) this.logger.log('partition leases renewed again');
      this.failing = false;
      if (this.stopped) return;
      this.apply(new Set(mine.map(Number)), Number(now), Number(share), sentAt + this.leaseMs);
    } catch (err) {
      if (!this.failing) this.logger.error(`partition leases not renewed: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  private apply(mine: Set<number>, now: number, share: number, until: number): void {
    const owner = this.owner!;
    for (const p of this.owned) {
      if (mine.has(p)) continue;
      this.held.delete(p);
      this.releasing.delete(p);
      this.logger.warn(`lost the lease of journal partition ${p}`);
      owner.lost(p);
    }
    for (const p of mine) {
      const had = this.held.has(p);
      this.held.set(p, until);
      if (!had) owner.acquired(p, now);
    }
    // Over the fair share (another instance came up): the highest-numbered partitions go first.
    let excess = this.held.size - this.releasing.size - share;
    for (const p of [...this.held.keys()].sort((a, b) => b - a)) {
      if (excess <= 0) break;
      if (this.releasing.has(p)) continue;
      this.releasing.add(p);
      excess--;
      owner.relinquish(p);
    }
  }
}
