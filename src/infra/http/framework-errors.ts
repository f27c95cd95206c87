import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../../common/errors';
import { traceIdFrom } from '../cls/trace';
import type { ErrorBody } from './http-exception.filter';

const CLIENT_ERROR_LINGER_MS = 5000;

/**
 * Fastify rejects some URLs before any Nest code runs (bad percent-encoding, a path parameter over
 * maxParamLength): answer them in the usual error shape, with the trace id the request would have had.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const traceId = traceIdFrom(request.headers['x-request-id']);
  const statusCode =
    typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
      ? error.statusCode
      : 400;
  const body: ErrorBody = { statusCode, code: ErrorCode.ValidationFailed, message: error.message, traceId };
  void reply
    .status(statusCode)
    .header('content-type', 'application/json')
    .header('x-request-id', traceId)
    .send(body);
}

const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: ErrorCode.RequestTimeout,
    message: 'The request did not arrive in time',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: ErrorCode.HeadersTooLarge,
    message: 'The request headers are too large',
  },
};
const MALFORMED = {
  status: 400,
  code: ErrorCode.MalformedRequest,
  message: 'The request is not valid HTTP/1.1',
};

/**
 * Node's HTTP parser rejects some requests before Fastify has one (headers too large, a malformed
 * request line, a timeout): answer them in the usual error shape too, say Connection: close, and
 * close. A connection that never sent a byte gets no answer, just the close.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // After our answer Node may report the same broken request again; the first answer stands.
  if (!socket.writable) return;
  const started = (socket as Duplex & { bytesRead?: number }).bytesRead ?? 0;
  const answered = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    ?.headersSent;
  if (started === 0 || answered) {
    socket.destroy();
    return;
  }
  const known = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
  const body: ErrorBody = {
    statusCode: known.status,
    code: known.code,
    message: known.message,
    traceId: randomUUID(),
  };
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(payload)}\r\n` +
      `x-request-id: ${body.traceId}\r\n` +
      'connection: close\r\n\r\n' +
      payload,
  );
  // end() half-closes: the rest of what the client sends is swallowed until it closes, or this runs out.
  setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
}
