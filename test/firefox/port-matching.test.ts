/**
 * Firefox does not support ports in match patterns (MDN "Match patterns": the host "must not
 * include a port number"); it accepts `http://127.0.0.1:8787/*` but that pattern matches
 * nothing. So in Firefox the extension asks for, and checks, `http://127.0.0.1/*`.
 */
import { describe, expect, it } from 'vitest'
import { connect } from '../../src/background/connect'
import { isCovered, originPattern, patternCovers, portMatchingOf } from '../../src/lib/server-url'
import { fakeDeps } from '../background/fake-browser'

describe('port matching in host permissions', () => {
  it('tells Firefox from Chrome by the extension URL', () => {
    expect(portMatchingOf('moz-extension://6f1d7f0e-3c1b-4b7a-9e55-0c2d1b6a9e41/')).toBe('host-only')
    expect(portMatchingOf('chrome-extension://keaflfdjmoomnhhnpdggooggjkklfomp/')).toBe('ports')
    expect(portMatchingOf('')).toBe('ports')
  })

  it('asks Firefox for the host without the port', () => {
    expect(originPattern('http://127.0.0.1:9000', 'host-only')).toBe('http://127.0.0.1/*')
    expect(originPattern('https://connect.example.com:8443/ig', 'host-only')).toBe('https://connect.example.com/*')
    expect(originPattern('http://[::1]:9000', 'host-only')).toBe('http://[::1]/*')
    expect(originPattern('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000/*')
  })

  it('counts a pattern with a port as covering nothing in Firefox', () => {
    expect(patternCovers('http://127.0.0.1:8787/*', 'http://127.0.0.1:8787', 'host-only')).toBe(false)
    expect(patternCovers('http://127.0.0.1:*/*', 'http://127.0.0.1:8787', 'host-only')).toBe(false)
    expect(patternCovers('http://127.0.0.1/*', 'http://127.0.0.1:41234', 'host-only')).toBe(true)
    expect(isCovered('http://localhost:9000', ['http://127.0.0.1/*', 'http://localhost/*'], 'host-only')).toBe(true)
    expect(isCovered('https://connect.example.com', ['http://127.0.0.1/*', 'http://localhost/*'], 'host-only')).toBe(false)
  })

  it('makes the worker check the port-less pattern in Firefox', async () => {
    const asked: string[][] = []
    const { deps } = fakeDeps()
    deps.browser.runtime = { getURL: (path) => `moz-extension://6f1d7f0e-3c1b-4b7a-9e55-0c2d1b6a9e41/${path}` }
    deps.browser.permissions.contains = async ({ origins = [] }) => (asked.push(origins), origins.every((o) => !/:\d+\//.test(o)))
    const reply = await connect(deps)
    expect(asked).toEqual([['http://127.0.0.1/*']])
    expect(reply.ok).toBe(true)
  })
})
