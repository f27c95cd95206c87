import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TelegrafExecutionContext } from 'nestjs-telegraf';
import type { Role } from '../../common/actor';
import { DomainError } from '../../common/errors';
import type { BotContext } from './bot-context';

const ROLES = Symbol('bot roles');

/**
 * Screens that only some roles have (the admin's, the specialist's). The contracts still decide
 * every read and write; this keeps a client who forges an admin button from even seeing a screen
 * built from data clients may read. A refusal takes the bot's error path: localized and audited.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const { user } = TelegrafExecutionContext.create(context).getContext<BotContext>().state;
    if (user && roles.includes(user.role)) return true;
    throw DomainError.forbidden(`Only ${roles.join(', ')} may use this screen`);
  }
}

/** The handlers of this class (or method) are for these roles only. */
export const ForRoles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES, roles), UseGuards(RolesGuard));
