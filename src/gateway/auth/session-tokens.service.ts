import { Injectable } from '@nestjs/common';
import { hash, randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import type { Actor, ClientType } from '../../common/actor';
import { UsersApi } from '../../booking/api';
import { RedisService } from '../../infra/redis/redis.service';
import { IssuedToken, SessionsApi } from '../api/sessions.api';

export interface TokenSession {
  userId: number;
  clientType: ClientType;
}

/** Only a hash of the token is stored, so a Redis dump does not hand out sessions. */
const keyOf = (token: string) => `auth:token:${hash('sha256', token, 'base64url')}`;

@Injectable()
export class SessionTokensService extends SessionsApi {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    private readonly users: UsersApi,
  ) {
    super();
  }

  async authenticate(token: string): Promise<Actor | null> {
    const session = await this.resolve(token);
    if (!session) return null;
    const subject = await this.users.authSubject(session.userId);
    if (!subject || subject.blocked) return null;
    return { userId: subject.userId, role: subject.role, clientType: session.clientType };
  }

  async issue(userId: number, clientType: ClientType): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const ttl = this.config.authTokenTtlSeconds;
    await this.redis.client.set(keyOf(token), JSON.stringify({ userId, clientType }), 'EX', ttl);
    return { token, expiresInSeconds: ttl };
  }

  async resolve(token: string): Promise<TokenSession | null> {
    if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return null;
    const raw = await this.redis.client.get(keyOf(token));
    return raw ? (JSON.parse(raw) as TokenSession) : null;
  }

  async revoke(token: string): Promise<void> {
    await this.redis.client.del(keyOf(token));
  }
}
