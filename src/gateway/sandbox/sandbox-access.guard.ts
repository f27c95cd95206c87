import { CanActivate, ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * The sandbox lets anyone act as any user: it exists only without BOT_TOKEN, and by default only for
 * this machine (the client address honours TRUST_PROXY, so a local reverse proxy does not open it).
 * Anything else gets the router's own 404: the page is not there.
 */
@Injectable()
export class SandboxAccessGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const open = this.config.telegram.token === undefined;
    if (open && (this.config.sandboxAllowRemote || LOOPBACK.test(request.ip))) return true;
    throw new NotFoundException(`Cannot ${request.method} ${request.url.split('?')[0]}`);
  }
}
