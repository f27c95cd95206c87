import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../common/errors';
import { traceIdFrom } from '../cls/trace';
import type { ErrorBody } from './http-exception.filter';

/**
 * Fastify rejects some URLs before any Nest code runs (bad percent-encoding, a path parameter over
 * maxParamLength): answer them in the usual error shape, with the trace id the request would have had.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const traceId = traceIdFrom(request.headers['x-request-id']);
  const statusCode = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const body: ErrorBody = { statusCode, code: ErrorCode.ValidationFailed, message: error.message, traceId };
  void reply.status(statusCode).header('content-type', 'application/json').header('x-request-id', traceId).send(body);
}
