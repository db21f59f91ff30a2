import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clientKey, createClientAddress, invalidProxyEntries } from '../../server/client-ip'

describe('createClientAddress (TRUST_PROXY)', () => {
  it('false: the peer, whatever X-Forwarded-For says', () => {
    const address = createClientAddress(false)
    expect(address('198.51.100.4', '203.0.113.7')).toBe('198.51.100.4')
    expect(address(undefined, '203.0.113.7')).toBeUndefined()
  })

  it('true: the last hop from any peer; the peer when there is none', () => {
    const address = createClientAddress(true)
    expect(address('198.51.100.4', '1.1.1.1, 203.0.113.7')).toBe('203.0.113.7')
    expect(address('198.51.100.4', ' , ')).toBe('198.51.100.4')
    expect(address('198.51.100.4', undefined)).toBe('198.51.100.4')
  })

  it('a list: X-Forwarded-For is read only from a listed peer', () => {
    const address = createClientAddress(['10.0.0.2'])
    // A client reaching the port directly picks nothing (the exploit: HOST=0.0.0.0).
    fc.assert(fc.property(fc.ipV4(), fc.ipV4(), (peer, forged) => {
      fc.pre(peer !== '10.0.0.2')
      expect(address(peer, forged)).toBe(peer)
    }))
    expect(address('10.0.0.2', '203.0.113.7')).toBe('203.0.113.7')
  })

  it('a list: the client is the last hop not in it, past every listed proxy', () => {
    const address = createClientAddress(['127.0.0.1', '10.0.0.0/8', 'fd00::/8'])
    expect(address('127.0.0.1', '6.6.6.6, 203.0.113.7, 10.1.2.3')).toBe('203.0.113.7')
    expect(address('::ffff:127.0.0.1', '203.0.113.7')).toBe('203.0.113.7')
    expect(address('fd00::1', '2001:db8::5, fd12::9')).toBe('2001:db8::5')
    // Every hop a proxy: the first one is as far as the chain goes.
    expect(address('127.0.0.1', '10.0.0.9, 10.0.0.8')).toBe('10.0.0.9')
    // Text that is no address did not come from a proxy: the nearest proxy's word stops there.
    expect(address('127.0.0.1', 'bogus, 10.0.0.8')).toBe('10.0.0.8')
    expect(address('127.0.0.1', 'bogus')).toBe('127.0.0.1')
    expect(address('127.0.0.1', undefined)).toBe('127.0.0.1')
  })
})

describe('clientKey', () => {
  it('counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'))
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'))
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7')
    expect(clientKey('203.0.113.8')).not.toBe(clientKey('203.0.113.7'))
  })

  it('every address of one /64 has one key, and no two /64s share one', () => {
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })
    const groups = (n: bigint) => n.toString(16).padStart(16, '0').match(/.{4}/g)!.join(':')
    const ipv6 = (high: bigint, low: bigint) => `${groups(high)}:${groups(low)}`
    fc.assert(
      fc.property(u64, u64, u64, u64, (high, otherHigh, low, otherLow) => {
        // Not ::ffff:0:0/96 (IPv4-mapped), which counts as IPv4.
        fc.pre(high !== 0n && otherHigh !== 0n)
        expect(clientKey(ipv6(high, low))).toBe(clientKey(ipv6(high, otherLow)))
        if (otherHigh !== high) expect(clientKey(ipv6(high, low))).not.toBe(clientKey(ipv6(otherHigh, low)))
      }),
    )
  })
})

describe('invalidProxyEntries', () => {
  it('keeps addresses and CIDRs, names the rest', () => {
    expect(invalidProxyEntries(['10.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32', '0.0.0.0/0'])).toEqual([])
    expect(invalidProxyEntries(['10.0.0.0/33', 'proxy', '10.0.0.1/8/8', '::1/129', '10.0.0.256', '10.0.0.0/x', 'fe80::1%eth0'])).toHaveLength(7)
  })
})
