import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

interface ServerTimeouts {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

const byAdapter = new WeakMap<object, FrontDoor>();

/**
 * Routes answered by the Node HTTP server before Fastify and Nest see the request. Only for an
 * endpoint whose every microsecond counts and which needs none of the framework: the Telegram
 * webhook answers thousands of updates a second and must not pay for Nest's request hooks,
 * middleware, request context and reply pipeline on each. Every other request goes to Fastify.
 *
 * Fastify's inject() starts after the server, so these routes are reachable only over a socket.
 */
export class FrontDoor {
  private readonly routes = new Map<string, RawHandler>();

  /** The front door installed on an adapter by createAdapter(), if any. */
  static of(adapter: object | undefined): FrontDoor | undefined {
    return adapter ? byAdapter.get(adapter) : undefined;
  }

  attachTo(adapter: object): void {
    byAdapter.set(adapter, this);
  }

  /** `path` is matched exactly, without the query string. */
  add(method: string, path: string, handler: RawHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  serves(method: string, url: string): boolean {
    return this.routes.has(`${method} ${pathOf(url)}`);
  }

  /** A Fastify serverFactory: front-door routes first, then Fastify's handler. */
  serverFactory(): FastifyServerFactory {
    return (fastifyHandler, options) => {
      const server: Server = createServer((req, res) => {
        const handler =
          this.routes.size > 0 ? this.routes.get(`${req.method} ${pathOf(req.url ?? '/')}`) : undefined;
        if (handler) handler(req, res);
        else fastifyHandler(req, res);
      });
      // What Fastify sets on the server it creates itself.
      const timeouts = options as ServerTimeouts;
      if (timeouts.keepAliveTimeout) server.keepAliveTimeout = timeouts.keepAliveTimeout;
      if (timeouts.requestTimeout) server.requestTimeout = timeouts.requestTimeout;
      if (timeouts.connectionTimeout) server.setTimeout(timeouts.connectionTimeout);
      if (timeouts.maxRequestsPerSocket) server.maxRequestsPerSocket = timeouts.maxRequestsPerSocket;
      return server;
    };
  }
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
