import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Address ranges a webhook must never reach from the server: they belong to the server's own host or
 * network (loopback, RFC 1918, ULA, link-local with the cloud metadata service at 169.254.169.254, CGNAT,
 * unspecified) or are not unicast destinations at all. IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is matched
 * against the IPv4 ranges by BlockList itself; NAT64 and 6to4 embed an IPv4 address and are checked by it.
 */
const nonPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  nonPublic.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: the real destination is hidden
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // ULA
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  nonPublic.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address embedded in a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
function embeddedIpv4(ipv6: string): string | undefined {
  const groups = expandIpv6(ipv6);
  if (!groups) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const isNat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (isNat64) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

function expandIpv6(ip: string): number[] | undefined {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

/** True when `ip` (a literal IPv4 or IPv6 address) is a public unicast address. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !nonPublic.check(ip, 'ipv4');
  if (family !== 6) return false;
  if (nonPublic.check(ip, 'ipv6')) return false;
  const v4 = embeddedIpv4(ip);
  return v4 === undefined || isPublicAddress(v4);
}

export type Resolve = (hostname: string) => Promise<string[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export type WebhookTargetVerdict = { ok: true } | { ok: false; reason: string; retryable: boolean };

/**
 * Whether the server may POST to `url`: http(s) only, and every address its host resolves to is public
 * (unless private targets are allowed — WEBHOOK_ALLOW_PRIVATE). The host comes from the WHATWG URL parser,
 * the same one fetch uses, so decimal, octal and hex IPv4 forms (`http://2130706433/`) are already the
 * dotted address here. A name that does not resolve is `retryable`: DNS may just be down.
 */
export async function checkWebhookTarget(
  url: string,
  opts: { allowPrivate: boolean; resolve?: Resolve },
): Promise<WebhookTargetVerdict> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'is not a URL', retryable: false };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { ok: false, reason: 'must be an http(s) URL', retryable: false };
  if (opts.allowPrivate) return { ok: true };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (opts.resolve ?? systemResolve)(host);
    } catch {
      return { ok: false, reason: `host ${host} does not resolve`, retryable: true };
    }
  }
  const blocked = addresses.find((a) => !isPublicAddress(a));
  if (addresses.length === 0 || blocked !== undefined) {
    return {
      ok: false,
      reason: `must point to a public address, not ${blocked ?? host} (WEBHOOK_ALLOW_PRIVATE=true allows private targets)`,
      retryable: false,
    };
  }
  return { ok: true };
}

/**
 * A `lookup` for the socket of a webhook POST: resolves the name and refuses to connect unless every
 * address is public. The connection then goes to the very address that was checked, so a name that
 * resolves to a public address for the check and to a private one a moment later (DNS rebinding) can't
 * slip through between the two.
 */
export function publicOnlyLookup(resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = addresses.filter((a) => wanted === 0 || isIP(a) === wanted);
        const blocked = usable.find((a) => !isPublicAddress(a));
        if (usable.length === 0 || blocked !== undefined) {
          const err = Object.assign(
            new Error(`webhook host ${hostname} resolves to ${blocked ?? 'nothing'}`),
            {
              code: 'ENOTPUBLIC',
            },
          );
          return callback(err, '', 0);
        }
        if (options.all) {
          const all = usable.map((address) => ({ address, family: isIP(address) }));
          return (callback as unknown as (e: null, a: typeof all) => void)(null, all);
        }
        return callback(null, usable[0]!, isIP(usable[0]!));
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/**
 * POSTs `body` to `url` and resolves with the status. Never follows a redirect (a 3xx is just a status),
 * so no host other than the checked one is reached. `lookup` pins the connection to checked addresses.
 */
export function postWebhookRequest(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { timeoutMs: number; lookup?: LookupFunction },
): Promise<number> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    timeout: opts.timeoutMs,
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = send(target, options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
