import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '../../common/errors';
import { currentTraceId } from '../cls/trace';

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
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  429: ErrorCode.TooManyRequests,
  503: ErrorCode.ServiceUnavailable,
};

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
    return { statusCode: status, code: CODE_BY_STATUS[status] ?? ErrorCode.Internal, message, traceId };
  }
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
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) this.logger.error(exception);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // A rate limit says when to come back: clients and proxies read the standard header.
    const retryAfter = body.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(body.statusCode).header('content-type', 'application/json').send(body);
  }
}
