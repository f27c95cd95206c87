import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Actor, bearerToken } from '../../common/actor';
import { IS_PUBLIC } from '../../common/current-actor.decorator';
import { DomainError, ErrorCode } from '../../common/errors';
import { SessionTokensService } from './session-tokens.service';

/**
 * Global: every HTTP route needs `Authorization: Bearer <token>` unless marked @Public().
 * The role is read from the user row on each request, so a role change or a block applies at once.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionTokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new DomainError(ErrorCode.Unauthorized, 'Missing bearer token');
    const actor = await this.sessions.authenticate(token);
    if (!actor) throw new DomainError(ErrorCode.Unauthorized, 'Invalid or expired token');
    request.actor = actor;
    return true;
  }
}
