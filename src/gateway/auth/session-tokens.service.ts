import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import type { Actor, ClientType } from '../../common/actor';
import { UsersApi } from '../../booking/api';
import { queryRows } from '../../infra/database/sql';
import { UnitOfWork } from '../../infra/database/unit-of-work';
import { IssuedToken, SessionsApi } from '../api/sessions.api';

/** Only a hash of the token is stored, so a database dump does not hand out sessions. */
const hashOf = (token: string) => hash('sha256', token, 'base64url');

/**
 * Sessions live in the `sessions` table, not in Redis, so the REST API keeps authenticating while Redis
 * is down. No cache in front: the lookup is one primary-key read, cheaper than the Redis round trip it
 * replaces, and the user row is read on every request anyway. Writes go through the UnitOfWork (SQLite
 * shares one connection); expiry uses the wall clock, as Redis TTLs did.
 */
@Injectable()
export class SessionTokensService extends SessionsApi {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersApi,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  async authenticate(token: string): Promise<Actor | null> {
    if (!/^[A-Za-z0-9_-]{20,128}$/.test(token)) return null;
    const [session] = await queryRows<{ userId: number; clientType: ClientType }>(
      this.db,
      `SELECT user_id AS "userId", client_type AS "clientType" FROM sessions WHERE token_hash = :hash AND expires_at > :now`,
      { hash: hashOf(token), now: new Date() },
    );
    if (!session) return null;
    const subject = await this.users.authSubject(Number(session.userId));
    if (!subject || subject.blocked) return null;
    return { userId: subject.userId, role: subject.role, clientType: session.clientType };
  }

  async issue(userId: number, clientType: ClientType): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const ttl = this.config.authTokenTtlSeconds;
    const now = new Date();
    await this.uow.run(async (em) => {
      await queryRows(em, `DELETE FROM sessions WHERE expires_at <= :now`, { now });
      await queryRows(
        em,
        `INSERT INTO sessions (token_hash, user_id, client_type, expires_at, created_at) VALUES (:hash, :userId, :clientType, :expiresAt, :now)`,
        { hash: hashOf(token), userId, clientType, expiresAt: new Date(now.getTime() + ttl * 1000), now },
      );
    });
    return { token, expiresInSeconds: ttl };
  }

  async revoke(token: string): Promise<void> {
    await this.uow.run((em) =>
      queryRows(em, `DELETE FROM sessions WHERE token_hash = :hash`, { hash: hashOf(token) }),
    );
  }
}
