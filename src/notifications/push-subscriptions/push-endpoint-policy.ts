import { Injectable } from '@nestjs/common';
import dns, { LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppConfig } from '../../config/app-config';

/** The push services browsers use: Chrome/Edge (FCM), Firefox (autopush), Safari (Apple), legacy Edge (WNS). */
export const KNOWN_PUSH_HOSTS = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  '*.push.apple.com',
  '*.notify.windows.com',
];

/** Loopback, private, link-local, shared, multicast and reserved ranges: nothing a push service lives on. */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 ranges.
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A registration does not wait longer than this for DNS; the check on connecting is the one that counts. */
const REGISTRATION_LOOKUP_MS = 2000;

/** A push endpoint the server must not connect to; never worth a retry. */
export class PushEndpointRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushEndpointRefused';
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Where the server may send Web Push (a browser hands us any URL as its "endpoint", so without this
 * anyone could make the server connect to 127.0.0.1 or a cloud metadata address): https on a known
 * push service or a host the operator listed in WEB_PUSH_ALLOWED_HOSTS, never an IP literal, and a
 * known service's name must resolve to public addresses only. Listed hosts are the operator's own
 * choice (a self-hosted push service may live on a private network): their addresses are not checked.
 * Checked at registration and again on every connection (lookup), so a name that later resolves
 * elsewhere is refused too.
 */
@Injectable()
export class PushEndpointPolicy {
  private readonly configured: string[];

  constructor(config: AppConfig) {
    this.configured = config.webPushDelivery.allowedHosts;
  }

  /** Why the URL may not be a push endpoint, or undefined; no DNS. */
  refusal(endpoint: string): string | undefined {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return 'endpoint must be an https:// URL';
    }
    if (url.protocol !== 'https:') return 'endpoint must be an https:// URL';
    if (url.username || url.password) return 'endpoint must not carry credentials';
    const host = hostOf(url);
    if (isIP(host)) return 'endpoint must name a push service, not an IP address';
    if (!this.known(host) && !this.listed(host))
      return 'endpoint must be on a known push service (FCM, Mozilla, Apple, Windows) or a host this server allows';
    return undefined;
  }

  /**
   * refusal() plus the addresses the host resolves to now. A name that does not resolve in time (or no
   * DNS at all) is not refused here: the check on connecting still applies.
   */
  async check(endpoint: string): Promise<string | undefined> {
    const refused = this.refusal(endpoint);
    if (refused) return refused;
    const host = hostOf(new URL(endpoint));
    if (this.listed(host)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), REGISTRATION_LOOKUP_MS)),
    );
    try {
      const addresses = await Promise.race([dns.promises.lookup(host, { all: true }), slow]);
      return addresses?.every((a) => isPublicAddress(a.address)) === false ? notPublic(host) : undefined;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A `lookup` for net/tls connections to push services: a known service resolving to a non-public address fails the connection. */
  readonly lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    dns.lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, []);
      if (!this.listed(host) && !addresses.every((a) => isPublicAddress(a.address)))
        return callback(new PushEndpointRefused(notPublic(host)), []);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };

  private known(host: string): boolean {
    return KNOWN_PUSH_HOSTS.some((pattern) => matches(pattern, host));
  }

  private listed(host: string): boolean {
    return this.configured.some((pattern) => matches(pattern, host));
  }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** `*.example.com` matches any name below example.com (not example.com itself); anything else, exactly. */
function matches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
}

function notPublic(host: string): string {
  return `endpoint host ${host} resolves to a loopback, private or link-local address`;
}
