import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** Whether the peer at `address`, `hop` proxies away from us, may tell us who its client is. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The TRUST_PROXY setting as one function, given both to Fastify (its `trustProxy`, behind
 * `request.ip`) and to clientAddress() for the routes answered before Fastify, so the two agree.
 */
export function proxyTrust(setting: boolean | number | string): ProxyTrust {
  if (typeof setting === 'boolean') return () => setting;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting.split(',').map((value) => value.trim()));
}

/** The client's address: behind a trusted proxy, the X-Forwarded-For hop it vouches for; otherwise the socket's peer. */
export function clientAddress(trust: ProxyTrust): (req: IncomingMessage) => string | undefined {
  return (req) => (req.socket.remoteAddress === undefined ? undefined : proxyAddr(req, trust));
}
