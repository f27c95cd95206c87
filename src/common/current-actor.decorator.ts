import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor } from './actor';
import { DomainError, ErrorCode } from './errors';

export const IS_PUBLIC = 'isPublicRoute';
/** The route needs no bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The authenticated Actor the global auth guard attached to the request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new DomainError(ErrorCode.Unauthorized, 'Authentication required');
  return actor;
});
