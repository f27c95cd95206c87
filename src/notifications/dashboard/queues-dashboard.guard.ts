import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, bearerToken } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { AppConfig } from '../../config/app-config';
import { toErrorBody } from '../../infra/http/http-exception.filter';
import { RedisService } from '../../infra/redis/redis.service';
import { UsersApi } from '../../booking/api';
import { SessionsApi } from '../../gateway/api';
import { DashboardSessions } from './dashboard-sessions';

export const DASHBOARD_ROUTE = '/admin/queues';
export const DASHBOARD_LOGIN_ROUTE = `${DASHBOARD_ROUTE}/login`;
const COOKIE = 'queues_session';

const adminsOnly = () => new DomainError(ErrorCode.Forbidden, 'Admins only');

/**
 * Bull Board is a Fastify plugin, not Nest routes: Nest guards do not reach it, and its own
 * `middleware` option guards only the page, not `/admin/queues/api/*` or its assets. This hook
 * guards everything under the route, admins only, by one of:
 * - `Authorization: Bearer <API token>` (scripts);
 * - a dashboard session cookie (browsers), which a browser gets from a one-time login link
 *   (`/admin/queues/login?code=...`, QueuesDashboardApi) or from `/admin/queues?token=<API token>`;
 *   either way the cookie holds a session id of its own, never the API token, and both then
 *   redirect to the dashboard, dropping the secret from the address bar.
 */
@Injectable()
export class QueuesDashboardGuard implements OnModuleInit {
  private readonly secureCookie: boolean;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: SessionsApi,
    private readonly users: UsersApi,
    private readonly sessions: DashboardSessions,
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.secureCookie = config.telegram.publicUrl?.startsWith('https://') ?? false;
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRequest', (request, reply) => this.check(request, reply));
  }

  private async check(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const [path, query = ''] = request.url.split('?', 2);
    if (path !== DASHBOARD_ROUTE && !path.startsWith(`${DASHBOARD_ROUTE}/`)) return;
    try {
      if (path === DASHBOARD_LOGIN_ROUTE)
        return await this.login(request, reply, new URLSearchParams(query).get('code'));
      const fromLink = path === DASHBOARD_ROUTE ? new URLSearchParams(query).get('token') : null;
      if (fromLink) {
        const actor = await this.admin(fromLink);
        return await this.openSession(reply, actor.userId);
      }
      const bearer = bearerToken(request.headers.authorization);
      if (bearer) {
        await this.admin(bearer);
        return this.requireRedis();
      }
      const session = cookie(request.headers.cookie, COOKIE);
      if (session) {
        const userId = await this.sessions.touch(session);
        if (userId === null)
          throw new DomainError(
            ErrorCode.Unauthorized,
            'The dashboard session has expired; open the dashboard again',
          );
        // The role is read again on every request: a demoted or blocked admin is out at once.
        const subject = await this.users.authSubject(userId);
        if (!subject || subject.blocked || subject.role !== 'admin') throw adminsOnly();
        return;
      }
      throw new DomainError(ErrorCode.Unauthorized, 'An admin token is required');
    } catch (err) {
      return this.refuse(request, reply, err);
    }
  }

  /**
   * The dashboard is Redis (the queues): while it is down, Bull Board would wait out its client's 20
   * retries (about 8 s) and answer 500 with ioredis's words. A bearer token is checked in the database,
   * so this is said here; a session cookie's check already fails on Redis with the same 503.
   */
  private requireRedis(): void {
    if (this.redis.client.status !== 'ready')
      throw new DomainError(ErrorCode.ServiceUnavailable, 'Redis is unavailable; try again shortly');
  }

  private async admin(token: string): Promise<Actor> {
    const actor = await this.tokens.authenticate(token);
    if (!actor) throw new DomainError(ErrorCode.Unauthorized, 'An admin token is required');
    if (actor.role !== 'admin') throw adminsOnly();
    return actor;
  }

  private async login(request: FastifyRequest, reply: FastifyReply, code: string | null): Promise<void> {
    const userId = code ? await this.sessions.redeemLoginCode(code) : null;
    if (userId === null)
      throw new DomainError(
        ErrorCode.Unauthorized,
        'This login link has already been used or has expired; ask for a new one',
      );
    const subject = await this.users.authSubject(userId);
    if (!subject || subject.blocked || subject.role !== 'admin') throw adminsOnly();
    await this.openSession(reply, userId);
  }

  private async openSession(reply: FastifyReply, userId: number): Promise<void> {
    const id = await this.sessions.open(userId);
    const secure = this.secureCookie ? '; Secure' : '';
    await reply
      .header('set-cookie', `${COOKIE}=${id}; Path=${DASHBOARD_ROUTE}; HttpOnly; SameSite=Lax${secure}`)
      .header('cache-control', 'no-store')
      .redirect(DASHBOARD_ROUTE, 303);
  }

  /** JSON as everywhere; a browser following a link gets the same message as a page. */
  private async refuse(request: FastifyRequest, reply: FastifyReply, err: unknown): Promise<void> {
    const body = toErrorBody(err);
    void reply.status(body.statusCode);
    if (request.headers.accept?.includes('text/html')) {
      await reply.header('content-type', 'text/html; charset=utf-8').send(page(body.message));
      return;
    }
    await reply.header('content-type', 'application/json').send(body);
  }
}

function page(message: string): string {
  const text = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Queue dashboard</title></head><body><p>${text}</p></body></html>`;
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
