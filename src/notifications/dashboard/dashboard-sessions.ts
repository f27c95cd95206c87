import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { RedisService } from '../../infra/redis/redis.service';

/** A dashboard session lasts this long after its last request. */
export const SESSION_TTL_SECONDS = 15 * 60;
/** A login link opens the dashboard once, within this time. */
export const LOGIN_CODE_TTL_SECONDS = 10 * 60;

const SESSION_PREFIX = 'dash:session:';
const LOGIN_PREFIX = 'dash:login:';

/** Redis holds a digest of each secret, so whoever reads Redis cannot replay one. */
const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const newSecret = () => randomBytes(32).toString('base64url');

/**
 * Who may see the queue dashboard, in Redis: sessions (a random id in an HttpOnly cookie, the user
 * id in Redis, renewed on every use) and one-time login codes. Neither is an API token: a leaked
 * dashboard cookie or link opens the dashboard for minutes, never the API for 30 days.
 */
@Injectable()
export class DashboardSessions {
  constructor(private readonly redis: RedisService) {}

  async open(userId: number): Promise<string> {
    const id = newSecret();
    await this.redis.client.set(SESSION_PREFIX + digest(id), String(userId), 'EX', SESSION_TTL_SECONDS);
    return id;
  }

  /** The session's user, its lifetime renewed; null when it is unknown or expired. */
  async touch(id: string): Promise<number | null> {
    const userId = await this.redis.client.getex(SESSION_PREFIX + digest(id), 'EX', SESSION_TTL_SECONDS);
    return userId === null ? null : Number(userId);
  }

  async issueLoginCode(userId: number): Promise<{ code: string; expiresAt: Date }> {
    const code = newSecret();
    await this.redis.client.set(LOGIN_PREFIX + digest(code), String(userId), 'EX', LOGIN_CODE_TTL_SECONDS);
    return { code, expiresAt: new Date(Date.now() + LOGIN_CODE_TTL_SECONDS * 1000) };
  }

  /** The code's user, and the code is gone (GETDEL: two tabs racing, one wins); null when used or expired. */
  async redeemLoginCode(code: string): Promise<number | null> {
    const userId = await this.redis.client.getdel(LOGIN_PREFIX + digest(code));
    return userId === null ? null : Number(userId);
  }
}
