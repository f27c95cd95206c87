import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '../../common/errors';
import { currentTraceId } from '../cls/trace';
import { constraintKind, driverErrorOf } from '../database/constraints';
import { isRedisUnavailable } from '../redis/redis-errors';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  traceId: string | undefined;
  details?: Record<string, unknown>;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  408: ErrorCode.RequestTimeout,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.TooManyRequests,
  431: ErrorCode.HeadersTooLarge,
  503: ErrorCode.ServiceUnavailable,
};

/**
 * Last line of defence: a constraint the database enforced means the input was wrong (a null where a DTO let it
 * through, a duplicate, a dangling reference, a number out of the column's range), not that the server failed.
 */
export function constraintError(
  err: unknown,
): { status: number; code: ErrorCode; message: string } | undefined {
  const driver = driverErrorOf(err);
  const kind = constraintKind(err);
  if (!driver || !kind) return undefined;
  if (kind === 'not_null') {
    const column =
      driver.column ??
      /NOT NULL constraint failed: \w+\.(\w+)/.exec(driver.message ?? '')?.[1] ??
      'a required field';
    return { status: 400, code: ErrorCode.ValidationFailed, message: `${column} must not be null` };
  }
  if (kind === 'unique') {
    return {
      status: 409,
      code: ErrorCode.AlreadyExists,
      message: 'An object with these values already exists',
    };
  }
  if (kind === 'foreign_key') {
    return {
      status: 409,
      code: ErrorCode.BrokenReference,
      message: 'The change refers to an object that does not exist or is still in use',
    };
  }
  if (kind === 'out_of_range') {
    return {
      status: 400,
      code: ErrorCode.ValidationFailed,
      message: 'A value is out of range or of the wrong type',
    };
  }
  return undefined;
}

/** Maps any thrown value to `{statusCode, code, message, traceId}`; internals never reach the client. */
export function toErrorBody(err: unknown, traceId = currentTraceId()): ErrorBody {
  if (err instanceof DomainError) {
    return { statusCode: err.status, code: err.code, message: err.message, traceId, details: err.details };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? err.message);
    const fallback = status < 500 ? ErrorCode.ValidationFailed : ErrorCode.Internal;
    return { statusCode: status, code: CODE_BY_STATUS[status] ?? fallback, message, traceId };
  }
  if (isRedisUnavailable(err)) {
    // E.g. a bearer token cannot be checked: a temporary outage, not a server bug.
    return {
      statusCode: 503,
      code: ErrorCode.ServiceUnavailable,
      message: 'Redis is unavailable; try again shortly',
      traceId,
    };
  }
  const constraint = constraintError(err);
  if (constraint)
    return { statusCode: constraint.status, code: constraint.code, message: constraint.message, traceId };
  const fastifyStatus = (err as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    // Fastify's own client errors (bad JSON, body too large, wrong content type).
    return {
      statusCode: fastifyStatus,
      code: CODE_BY_STATUS[fastifyStatus] ?? ErrorCode.ValidationFailed,
      message: (err as Error).message,
      traceId,
    };
  }
  return { statusCode: 500, code: ErrorCode.Internal, message: 'Internal error', traceId };
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    // Global filters also see the bot's handlers (nestjs-telegraf's 'telegraf' context): those errors take the bot's own path.
    if (host.getType() !== 'http') throw exception;
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // A rate limit says when to come back: clients and proxies read the standard header.
    const retryAfter = body.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(body.statusCode).header('content-type', 'application/json').send(body);
  }
}
