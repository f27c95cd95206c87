import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

type Trust = (address: string, hop: number) => boolean;

/**
 * The client's address as Fastify's `request.ip` gives it under the same `trustProxy` setting
 * (TRUST_PROXY), for requests answered before Fastify (the front door): behind a trusted proxy, the
 * X-Forwarded-For hop it vouches for; otherwise the socket's peer.
 */
export function clientAddress(
  trustProxy: boolean | number | string,
): (req: IncomingMessage) => string | undefined {
  if (trustProxy === false) return (req) => req.socket.remoteAddress;
  const trust: Trust =
    trustProxy === true
      ? () => true
      : typeof trustProxy === 'number'
        ? (_address, hop) => hop < trustProxy
        : proxyAddr.compile(trustProxy.split(',').map((value) => value.trim()));
  return (req) => (req.socket.remoteAddress === undefined ? undefined : proxyAddr(req, trust));
}
