import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, bearerToken } from '../../common/actor';
import { DomainError, ErrorCode } from '../../common/errors';
import { toErrorBody } from '../../infra/http/http-exception.filter';
import { SessionsApi } from '../../gateway/api';

export const DASHBOARD_ROUTE = '/admin/queues';
const COOKIE = 'queues_token';

/**
 * Bull Board is a Fastify plugin, not Nest routes: Nest guards do not reach it, and its own
 * `middleware` option guards only the page, not `/admin/queues/api/*` or its assets. This hook
 * guards everything under the route: admins only, by `Authorization: Bearer <token>` or, in a
 * browser, by a cookie that `GET /admin/queues?token=<token>` sets (then redirects to drop the
 * token from the address bar).
 */
@Injectable()
export class QueuesDashboardGuard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly sessions: SessionsApi,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onRequest', (request, reply) => this.check(request, reply));
  }

  private async check(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const [path, query = ''] = request.url.split('?', 2);
    if (path !== DASHBOARD_ROUTE && !path.startsWith(`${DASHBOARD_ROUTE}/`)) return;
    const fromLink = path === DASHBOARD_ROUTE ? new URLSearchParams(query).get('token') : null;
    const token = fromLink ?? bearerToken(request.headers.authorization) ?? cookie(request.headers.cookie, COOKIE);
    let actor: Actor | null = null;
    try {
      actor = token ? await this.sessions.authenticate(token) : null;
    } catch (err) {
      return this.refuse(reply, err);
    }
    if (!actor)
      return this.refuse(reply, new DomainError(ErrorCode.Unauthorized, 'An admin token is required'));
    if (actor.role !== 'admin')
      return this.refuse(reply, new DomainError(ErrorCode.Forbidden, 'Admins only'));
    if (fromLink) {
      await reply
        .header('set-cookie', `${COOKIE}=${fromLink}; Path=${DASHBOARD_ROUTE}; HttpOnly; SameSite=Strict`)
        .redirect(DASHBOARD_ROUTE, 303);
    }
  }

  private async refuse(reply: FastifyReply, err: unknown): Promise<void> {
    const body = toErrorBody(err);
    await reply.status(body.statusCode).header('content-type', 'application/json').send(body);
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
