import { Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { DomainError, ErrorCode } from '../../common/errors';
import { RedisService } from '../../infra/redis/redis.service';

/** Redis keys of public auth (`otp:*`, `attempts:*`: the Redis key space the gateway owns), all under the app's prefix. */
export const otpKeys = {
  code: (phone: string) => `otp:${phone}`,
  lock: (phone: string) => `otp:lock:${phone}`,
  wrongCodes: (phone: string) => `attempts:otp:verify:${phone}`,
  phoneRequests: (phone: string) => `attempts:otp:request:phone:${phone}`,
  ipRequests: (ip: string) => `attempts:otp:request:ip:${ip}`,
};

export type RequestOutcome =
  { kind: 'stored' } | { kind: 'ip_limited' | 'phone_limited' | 'locked'; retryAfterMs: number };

export type VerifyOutcome =
  | { kind: 'ok' }
  | { kind: 'missing' }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'locked'; retryAfterMs: number; justLocked: boolean };

/**
 * Counts the request against the per-IP window, refuses a locked phone, counts it against the
 * per-phone window, then stores the code hash (replacing an older code). One script: no
 * interleaving between the checks and the write.
 * KEYS: ip counter, phone counter, lock, code. ARGV: ip limit, phone limit, window ms, hash, code ttl ms.
 */
const REQUEST_SCRIPT = `
local function hit(key, limit)
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[3])
    ttl = tonumber(ARGV[3])
  end
  if n > tonumber(limit) then return ttl end
  return 0
end
local wait = hit(KEYS[1], ARGV[1])
if wait > 0 then return {'ip_limited', wait} end
local lock = redis.call('PTTL', KEYS[3])
if lock > 0 then return {'locked', lock} end
wait = hit(KEYS[2], ARGV[2])
if wait > 0 then return {'phone_limited', wait} end
redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
return {'stored', 0}
`;

/**
 * Checks a candidate code hash and, on success, deletes the code in the same step (single use).
 * The hashes are compared byte by byte without an early exit (constant time). A wrong code
 * counts towards the lock; the last allowed mistake locks the phone and burns the code.
 * KEYS: code, wrong-code counter, lock. ARGV: candidate hash, max wrong codes, lock ms.
 */
const VERIFY_SCRIPT = `
local lock = redis.call('PTTL', KEYS[3])
if lock > 0 then return {'locked', lock} end
local stored = redis.call('GET', KEYS[1])
if not stored then return {'missing', 0} end
local candidate = ARGV[1]
local diff = 0
if #stored ~= #candidate then diff = 1 end
for i = 1, #candidate do
  diff = bit.bor(diff, bit.bxor(string.byte(stored, i) or 0, string.byte(candidate, i)))
end
if diff == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return {'ok', 0}
end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
if n >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1], KEYS[2])
  return {'locked_now', tonumber(ARGV[3])}
end
return {'wrong', tonumber(ARGV[2]) - n}
`;

type ScriptReply = [string, number];
interface OtpRedis extends Redis {
  otpRequest(...args: (string | number)[]): Promise<ScriptReply>;
  otpVerify(...args: (string | number)[]): Promise<ScriptReply>;
}

/** The OTP state in Redis; a Redis failure surfaces as 503, never as a 500 or a silent pass. */
@Injectable()
export class OtpStore {
  private readonly logger = new Logger(OtpStore.name);
  private readonly redis: OtpRedis;

  constructor(redis: RedisService) {
    this.redis = redis.client as OtpRedis;
    this.redis.defineCommand('otpRequest', { numberOfKeys: 4, lua: REQUEST_SCRIPT });
    this.redis.defineCommand('otpVerify', { numberOfKeys: 3, lua: VERIFY_SCRIPT });
  }

  async storeCode(
    phone: string,
    ip: string,
    codeHash: string,
    limits: { ip: number; phone: number; windowMs: number; codeTtlMs: number },
  ): Promise<RequestOutcome> {
    const [kind, retryAfterMs] = await this.call(() =>
      this.redis.otpRequest(
        otpKeys.ipRequests(ip),
        otpKeys.phoneRequests(phone),
        otpKeys.lock(phone),
        otpKeys.code(phone),
        limits.ip,
        limits.phone,
        limits.windowMs,
        codeHash,
        limits.codeTtlMs,
      ),
    );
    if (kind === 'stored') return { kind };
    return { kind: kind as 'ip_limited' | 'phone_limited' | 'locked', retryAfterMs };
  }

  async verify(
    phone: string,
    candidateHash: string,
    maxWrongCodes: number,
    lockMs: number,
  ): Promise<VerifyOutcome> {
    const [kind, value] = await this.call(() =>
      this.redis.otpVerify(
        otpKeys.code(phone),
        otpKeys.wrongCodes(phone),
        otpKeys.lock(phone),
        candidateHash,
        maxWrongCodes,
        lockMs,
      ),
    );
    switch (kind) {
      case 'ok':
        return { kind: 'ok' };
      case 'missing':
        return { kind: 'missing' };
      case 'wrong':
        return { kind: 'wrong', attemptsLeft: value };
      default:
        return { kind: 'locked', retryAfterMs: value, justLocked: kind === 'locked_now' };
    }
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      this.logger.error(`otp store: ${(err as Error).message}`);
      throw new DomainError(
        ErrorCode.ServiceUnavailable,
        'Login by code is unavailable right now, try again shortly',
      );
    }
  }
}
