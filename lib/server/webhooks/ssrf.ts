/**
 * No server-side request forgery through a webhook URL: a delivery goes to http(s) only, and unless
 * the operator allows it (FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE), never to an address inside the server's
 * own networks: loopback, private, link-local (cloud metadata at 169.254.169.254), shared (CGNAT),
 * unspecified, multicast or reserved, in any of their spellings (IPv4-mapped and NAT64 IPv6 included).
 *
 * The name is resolved once, every address it resolves to is checked, and the request then connects to
 * the address that was checked (`pinnedLookup`): a DNS answer that changes between the check and the
 * connection (rebinding) cannot send it elsewhere.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { DomainError } from '../../shared/domain/errors';

/** [first address, prefix length, what it is] */
type Range4 = readonly [string, number, string];

const REFUSED_V4: readonly Range4[] = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

function v4ToInt(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function classifyV4(address: string): string | null {
  const n = v4ToInt(address);
  if (n === null) return 'not an address';
  for (const [first, bits, what] of REFUSED_V4) {
    const base = v4ToInt(first) as number;
    const size = 2 ** (32 - bits);
    if (n >= base && n < base + size) return what;
  }
  return null;
}

const side = (s: string | undefined) => (s ? s.split(':') : []);

/** An IPv6 address as its eight 16-bit groups; null when it is not one. */
function v6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  // A zone (fe80::1%eth0) names an interface: link-local anyway, the groups decide.
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A dotted IPv4 tail (::ffff:127.0.0.1) is the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[2] as string);
    if (n === null) return null;
    text = `${dotted[1]}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = side(halves[0]);
  const tail = side(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

const v4Of = (high: number, low: number) => `${high >>> 8}.${high & 0xff}.${low >>> 8}.${low & 0xff}`;

function classifyV6(address: string): string | null {
  const g = v6Groups(address);
  if (!g) return 'not an address';
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h7 = 0, h8 = 0] = g;
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'an unspecified address';
  if (zeroTo(7) && h8 === 1) return 'a loopback address';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 address decides.
  if (zeroTo(5) && f === 0xffff) return classifyV4(v4Of(h7, h8));
  if (zeroTo(6)) return classifyV4(v4Of(h7, h8));
  // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return classifyV4(v4Of(h7, h8));
  // 6to4 (2002::/16) embeds an IPv4 address in its second and third groups.
  if (a === 0x2002) return classifyV4(v4Of(b, c));
  if ((a & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((a & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((a & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((a & 0xff00) === 0xff00) return 'a multicast address';
  if (a === 0x2001 && b === 0x0db8) return 'a documentation address';
  if (a === 0x0100 && b === 0 && c === 0 && d === 0) return 'a discard address';
  return null;
}

/** Why a delivery may not go to this IP address (null: it may). */
export function refusedAddress(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return classifyV4(address);
  if (family === 6) return classifyV6(address);
  return 'not an address';
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/** A URL checked for sending: the address it resolved to, which the request must connect to. */
export interface VettedUrl {
  url: URL;
  address: string;
  family: 4 | 6;
}

const refuse = (message: string) => new DomainError('WEBHOOK_URL_REFUSED', message);

/**
 * Checks a webhook URL for a delivery (at registration and before each send). Throws
 * WEBHOOK_URL_REFUSED with the reason; `allowPrivate` lets the operator reach internal receivers.
 */
export async function vetWebhookUrl(raw: string, options: { allowPrivate: boolean; resolve?: Resolver }): Promise<VettedUrl> {
  if (!URL.canParse(raw)) throw refuse('The webhook URL is not a URL');
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('A webhook URL must start with http:// or https://');
  // The URL parser has already turned 2130706433, 0x7f.1 and the like into dotted IPv4.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: LookupAddress[];
  const literal = isIP(host);
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      throw refuse(`The webhook's host ${host} could not be resolved`);
    }
    if (addresses.length === 0) throw refuse(`The webhook's host ${host} could not be resolved`);
  }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const why = refusedAddress(address);
      if (why) throw refuse(`Webhooks may not be sent to ${host === address ? address : `${host} (${address})`}: it is ${why}. An operator can allow internal receivers with FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE=true`);
    }
  }
  const first = addresses[0] as LookupAddress;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The lookup a request connects with: always the checked address, whatever DNS says by then. */
export function pinnedLookup(vetted: VettedUrl): LookupFunction {
  return (_hostname, options, callback) => {
    const cb = callback as (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
    if ((options as { all?: boolean }).all) cb(null, [{ address: vetted.address, family: vetted.family }]);
    else cb(null, vetted.address, vetted.family);
  };
}
