import {
  convertIPv4BinaryToString,
  convertIPv4MappedIPv6ToIPv4,
  convertIPv4ToBinary,
  convertIPv6BinaryToString,
  convertIPv6ToBinary,
  distinctRemoteAddr,
  isIPv4MappedIPv6,
} from 'hono/utils/ipaddr'

/**
 * `TRUST_PROXY` (SPEC "Server configuration"): `false`, the client is the socket's peer; `true`,
 * the last `X-Forwarded-For` hop, from any peer; or the proxies' addresses and CIDRs, whose
 * `X-Forwarded-For` alone is read.
 */
export type TrustProxy = boolean | readonly string[]

interface Address {
  v4: boolean
  /** The address as a number: 32 bits for IPv4 (IPv4-mapped IPv6 included), 128 for IPv6. */
  bits: bigint
}

interface Range extends Address {
  prefix: number
}

/** An IPv4 or IPv6 address (no zone, no port), or undefined. IPv4-mapped IPv6 reads as IPv4. */
function parseAddress(text: string): Address | undefined {
  const kind = distinctRemoteAddr(text)
  try {
    if (kind === 'IPv4') return { v4: true, bits: convertIPv4ToBinary(text) }
    if (kind !== 'IPv6' || text.includes('%')) return undefined
    const bits = convertIPv6ToBinary(text)
    return isIPv4MappedIPv6(bits) ? { v4: true, bits: convertIPv4MappedIPv6ToIPv4(bits) } : { v4: false, bits }
  } catch {
    return undefined
  }
}

/** `10.0.0.2`, `10.0.0.0/8`, `::1`, `2001:db8::/32`; undefined when it is none of these. */
function parseRange(text: string): Range | undefined {
  const [address, prefixText, extra] = text.split('/')
  if (address === undefined || extra !== undefined) return undefined
  const parsed = parseAddress(address)
  if (parsed === undefined) return undefined
  const width = parsed.v4 ? 32 : 128
  if (prefixText === undefined) return { ...parsed, prefix: width }
  // A prefix on an IPv4-mapped address counts in IPv6 bits; keep it simple and refuse it.
  if (!/^\d{1,3}$/.test(prefixText) || (parsed.v4 && address.includes(':'))) return undefined
  const prefix = Number(prefixText)
  return prefix <= width ? { ...parsed, prefix } : undefined
}

const inRange = (address: Address, range: Range): boolean => {
  if (address.v4 !== range.v4) return false
  const shift = BigInt((address.v4 ? 32 : 128) - range.prefix)
  return address.bits >> shift === range.bits >> shift
}

/**
 * Checks a `TRUST_PROXY` list item by item; returns the entries that are not an IPv4 or IPv6
 * address or CIDR (empty when all are).
 */
export function invalidProxyEntries(entries: readonly string[]): string[] {
  return entries.filter((entry) => parseRange(entry) === undefined)
}

/**
 * The key a client is counted under: its address, IPv6 clients by their /64 (one subscriber
 * usually holds a whole /64, so counting single IPv6 addresses would give each one 2^64 keys).
 */
export function clientKey(address: string): string {
  const parsed = parseAddress(address)
  if (parsed === undefined) return address
  if (parsed.v4) return convertIPv4BinaryToString(parsed.bits)
  return `${convertIPv6BinaryToString((parsed.bits >> 64n) << 64n)}/64`
}

/**
 * Who the client is, given the runtime's peer address and the request's `X-Forwarded-For`
 * (a comma-separated list a proxy appends the address it saw to). Returns the address to count
 * the request under, or undefined when neither gives one.
 *
 * - `false`: the peer; `X-Forwarded-For` is the client's own text and ignored.
 * - `true`: the last hop, whoever sent it (only when nothing but the proxy can reach the port).
 * - a list: `X-Forwarded-For` is read only when the peer is in the list; walking it from the
 *   end, the client is the first hop not in the list (earlier hops are the client's own words).
 */
export function createClientAddress(trust: TrustProxy): (peer: string | undefined, forwarded: string | undefined) => string | undefined {
  if (trust === false) return (peer) => peer
  if (trust === true) {
    return (peer, forwarded) => forwarded?.split(',').at(-1)?.trim() || peer
  }
  const ranges = trust.map(parseRange).filter((range): range is Range => range !== undefined)
  const trusted = (text: string): boolean => {
    const address = parseAddress(text)
    return address !== undefined && ranges.some((range) => inRange(address, range))
  }
  return (peer, forwarded) => {
    if (peer === undefined || forwarded === undefined || !trusted(peer)) return peer
    let client = peer
    const hops = forwarded.split(',').map((hop) => hop.trim())
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!
      // A trusted proxy appends the address it saw; text that is no address did not come from
      // one, so the nearest trusted hop is as far as the chain can be believed.
      if (parseAddress(hop) === undefined) return client
      client = hop
      if (!trusted(hop)) return hop
    }
    return client
  }
}
