import { describe, expect, it } from 'vitest'
import { isCovered, normalizeServerUrl, originPattern, patternCovers } from '../../src/lib/server-url'

describe('normalizeServerUrl', () => {
  it('accepts loopback http and drops the trailing slash', () => {
    expect(normalizeServerUrl(' http://127.0.0.1:8787/ ')).toEqual({ ok: true, data: 'http://127.0.0.1:8787' })
    expect(normalizeServerUrl('http://localhost:9000')).toEqual({ ok: true, data: 'http://localhost:9000' })
    expect(normalizeServerUrl('http://app.localhost:9000')).toEqual({ ok: true, data: 'http://app.localhost:9000' })
  })

  it('refuses http://[::1], which the pages\' CSP cannot allow, naming the localhost URL to use (issue 14)', () => {
    expect(normalizeServerUrl('http://[::1]:9000')).toEqual({
      ok: false,
      error: { code: 'insecure_url', message: 'Use http://localhost:9000 for a server on this computer: the extension cannot reach IPv6 addresses over plain http.' },
    })
  })

  it('accepts https anywhere, with a path prefix', () => {
    expect(normalizeServerUrl('https://connect.example.com/ig/')).toEqual({ ok: true, data: 'https://connect.example.com/ig' })
  })

  it('refuses plain http to another computer', () => {
    const result = normalizeServerUrl('http://connect.example.com')
    expect(result.ok === false && result.error.code).toBe('insecure_url')
  })

  it('refuses empty input, garbage, other schemes, credentials, queries', () => {
    for (const input of ['', 'not a url', 'ftp://127.0.0.1', 'http://u:p@127.0.0.1:8787', 'http://127.0.0.1:8787/?x=1', 'http://127.0.0.1:8787/#x']) {
      const result = normalizeServerUrl(input)
      expect(result.ok, input).toBe(false)
    }
  })
})

describe('patternCovers / isCovered', () => {
  it('matches scheme, host and port', () => {
    expect(patternCovers('http://127.0.0.1:8787/*', 'http://127.0.0.1:8787')).toBe(true)
    expect(patternCovers('http://127.0.0.1:8787/*', 'http://127.0.0.1:9000')).toBe(false)
    expect(patternCovers('http://127.0.0.1:8787/*', 'https://127.0.0.1:8787')).toBe(false)
    expect(patternCovers('http://localhost:8787/*', 'http://127.0.0.1:8787')).toBe(false)
  })

  it('treats a missing port as any port, as Chrome does', () => {
    expect(patternCovers('http://127.0.0.1/*', 'http://127.0.0.1:41234')).toBe(true)
    expect(patternCovers('http://127.0.0.1:*/*', 'http://127.0.0.1:41234')).toBe(true)
  })

  it('handles wildcards and <all_urls>', () => {
    expect(patternCovers('*://*/*', 'https://a.example')).toBe(true)
    expect(patternCovers('https://*.example.com/*', 'https://api.example.com')).toBe(true)
    expect(patternCovers('https://*.example.com/*', 'https://example.com')).toBe(true)
    expect(patternCovers('https://*.example.com/*', 'https://badexample.com')).toBe(false)
    expect(patternCovers('<all_urls>', 'http://10.0.0.1:1')).toBe(true)
  })

  it('checks the manifest host permissions', () => {
    const hosts = ['http://127.0.0.1:8787/*', 'http://localhost:8787/*']
    expect(isCovered('http://127.0.0.1:8787', hosts)).toBe(true)
    expect(isCovered('http://localhost:8787', hosts)).toBe(true)
    expect(isCovered('https://connect.example.com', hosts)).toBe(false)
  })

  it('builds the origin pattern to request', () => {
    expect(originPattern('https://connect.example.com/ig')).toBe('https://connect.example.com/*')
    expect(originPattern('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000/*')
  })
})
