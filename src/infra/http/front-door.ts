import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyServerFactory } from 'fastify';
import { DomainError, ErrorCode } from '../../common/errors';
import { traceIdFrom } from '../cls/trace';
import { toErrorBody } from './http-exception.filter';

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** What one request may cost the server before any handler runs. */
export interface HttpLimits {
  /** Bytes of a request body, unless its route says otherwise. */
  bodyLimit: number;
  headersTimeoutSeconds: number;
  requestTimeoutSeconds: number;
  keepAliveTimeoutSeconds: number;
}

interface Route {
  handler: RawHandler;
  bodyLimit?: number;
}

const byAdapter = new WeakMap<object, FrontDoor>();

/** Responses that never end by themselves (event streams): a drain ends them instead of waiting. */
const endless = new WeakSet<ServerResponse>();

/** Marks a response that stays open until the client leaves (server-sent events): draining ends it. */
export function endOnDrain(res: ServerResponse): void {
  endless.add(res);
}

/**
 * Routes answered by the Node HTTP server before Fastify and Nest see the request. Only for an
 * endpoint whose every microsecond counts and which needs none of the framework: the Telegram
 * webhook answers thousands of updates a second and must not pay for Nest's request hooks,
 * middleware, request context and reply pipeline on each. Every other request goes to Fastify.
 *
 * The server also bounds every request, Fastify's included: the request head and the whole request
 * must arrive in time, an idle kept-alive connection is closed, and a body declared over its route's
 * limit is refused (413) before a byte of it is read, without inviting it (`Expect: 100-continue`).
 *
 * Fastify's inject() starts after the server, so these routes and checks are reachable only over a socket.
 */
export class FrontDoor {
  private readonly routes = new Map<string, Route>();
  private server: Server | undefined;
  private draining = false;
  /** Fastify's requests under way (the front-door routes answer within their own handlers). */
  private readonly inFlight = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly limits: HttpLimits) {}

  /** The front door installed on an adapter by createAdapter(), if any. */
  static of(adapter: object | undefined): FrontDoor | undefined {
    return adapter ? byAdapter.get(adapter) : undefined;
  }

  attachTo(adapter: object): void {
    byAdapter.set(adapter, this);
  }

  /** `path` is matched exactly, without the query string; `bodyLimit` replaces the server's for this route. */
  add(method: string, path: string, handler: RawHandler, options: { bodyLimit?: number } = {}): void {
    this.routes.set(`${method} ${path}`, { handler, bodyLimit: options.bodyLimit });
  }

  serves(method: string, url: string): boolean {
    return this.routes.has(`${method} ${pathOf(url)}`);
  }

  /** A Fastify serverFactory: front-door routes first, then Fastify's handler. */
  serverFactory(): FastifyServerFactory {
    const { headersTimeoutSeconds, requestTimeoutSeconds, keepAliveTimeoutSeconds } = this.limits;
    const requestTimeout = requestTimeoutSeconds * 1000;
    return (fastifyHandler) => {
      const dispatch = (req: IncomingMessage, res: ServerResponse) => {
        const route =
          this.routes.size > 0 ? this.routes.get(`${req.method} ${pathOf(req.url ?? '/')}`) : undefined;
        if (this.draining) res.setHeader('connection', 'close');
        if (this.refusedAsTooLarge(req, res, route?.bodyLimit ?? this.limits.bodyLimit)) return;
        if (route) return route.handler(req, res);
        this.inFlight.add(res);
        res.once('close', () => this.inFlight.delete(res));
        fastifyHandler(req, res);
      };
      const server: Server = (this.server = createServer(
        {
          // Node checks these on a timer; its default 30 s would let a silent socket outlive its timeout by that much.
          connectionsCheckingInterval: Math.min(1000, requestTimeout),
          headersTimeout: Math.min(headersTimeoutSeconds * 1000, requestTimeout),
          requestTimeout,
          keepAliveTimeout: keepAliveTimeoutSeconds * 1000,
        },
        dispatch,
      ));
      server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
        const route = this.routes.get(`${req.method} ${pathOf(req.url ?? '/')}`);
        if (this.refusedAsTooLarge(req, res, route?.bodyLimit ?? this.limits.bodyLimit)) return;
        res.writeContinue();
        dispatch(req, res);
      });
      server.on('connection', (socket: Socket) => {
        lingerOnClose(socket, requestTimeout);
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
      });
      return server;
    };
  }

  /**
   * The first step of a shutdown, while every module still works: no new connection is taken, idle
   * kept-alive ones are closed, and the requests under way finish with their real answers (each
   * closing its connection), event streams excepted, which end at once. Past `graceMs` the remaining
   * connections are cut. Only then may the modules behind the requests (Redis, the database) close.
   */
  async drain(graceMs: number): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    this.draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of this.inFlight) {
      if (endless.has(res)) res.end();
      else if (!res.headersSent) res.setHeader('connection', 'close');
    }
    // A connection whose answer began before the drain stays open once it is sent: closed when idle.
    // Node counts a connection that has not sent a byte yet as busy, not idle: it would hold the drain
    // until its head timed out, so one still silent a tick after the drain began is closed too.
    const silent = [...this.sockets].filter((socket) => socket.bytesRead === 0);
    const reap = setInterval(() => {
      server.closeIdleConnections();
      for (const socket of silent) if (socket.bytesRead === 0) socket.destroy();
    }, 100);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearInterval(reap);
    clearTimeout(cut);
  }

  /** A declared length over the limit is answered at once: the body is never read, nor invited. */
  private refusedAsTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): boolean {
    const declared = Number(req.headers['content-length']);
    if (!(declared > limit)) return false;
    const traceId = traceIdFrom(req.headers['x-request-id']);
    const body = toErrorBody(
      new DomainError(ErrorCode.PayloadTooLarge, `The body is over ${limit} bytes`),
      traceId,
    );
    sendJson(res, body.statusCode, body, { connection: 'close', 'x-request-id': traceId });
    return true;
  }
}

/**
 * Node destroys a connection it closes as soon as its answer is flushed; with a body still arriving,
 * that is a reset, and the client often loses the answer (a broken pipe instead of a 413). Instead
 * the connection is half-closed and the rest of the body swallowed until the client closes, for at
 * most `lingerMs` (the request timeout: no longer than the body could have taken anyway).
 */
function lingerOnClose(socket: Socket, lingerMs: number): void {
  socket.destroySoon = function lingeringDestroySoon(this: Socket) {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), lingerMs);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Sends a JSON body with the status; the shape and headers every error answer of the API has. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export class BodyTooLarge extends Error {}

/**
 * The request body as a string, at most `limit` bytes. Over the limit (declared or streamed) it
 * rejects with BodyTooLarge and discards the rest of the body, so the connection can still answer.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () =>
      resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.once('error', reject);
    // 'close' follows every request; only one that closed before its end is an error (and worth an Error's stack trace).
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client went away before the body was complete'));
    });
  });
}
