import type { IncomingMessage } from 'node:http';
import { clientAddress, proxyTrust } from './client-address';

const from = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddress (TRUST_PROXY)', () => {
  const chain = '198.51.100.23, 203.0.113.7';

  it('false: always the socket peer', () => {
    expect(clientAddress(proxyTrust(false))(from('10.0.0.2', chain))).toBe('10.0.0.2');
  });

  it('true: the first address of X-Forwarded-For', () => {
    expect(clientAddress(proxyTrust(true))(from('10.0.0.2', chain))).toBe('198.51.100.23');
  });

  it('a hop count: that many proxies are trusted', () => {
    expect(clientAddress(proxyTrust(1))(from('10.0.0.2', chain))).toBe('203.0.113.7');
    expect(clientAddress(proxyTrust(2))(from('10.0.0.2', chain))).toBe('198.51.100.23');
  });

  it('names and CIDRs: only a listed peer may forward', () => {
    const trust = clientAddress(proxyTrust('loopback, 10.0.0.0/8'));
    expect(trust(from('10.1.2.3', chain))).toBe('203.0.113.7');
    expect(trust(from('192.0.2.9', chain))).toBe('192.0.2.9');
    expect(trust(from('127.0.0.1'))).toBe('127.0.0.1');
  });
});
