import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config'
import { DEFAULT_REDIRECT_URIS } from '../../server/extension-ids'

const base = { IG_CLIENT_ID: '990602627938098', IG_CLIENT_SECRET: 's3cr3t-value' }

describe('loadConfig', () => {
  it('fills in the documented defaults', () => {
    const result = loadConfig(base)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.config).toMatchObject({
      api: 'instagram-login',
      scopes: ['instagram_business_basic'],
      authorizeUrl: 'https://www.instagram.com/oauth/authorize',
      tokenUrl: 'https://api.instagram.com/oauth/access_token',
      graphUrl: 'https://graph.instagram.com',
      graphVersion: 'v25.0',
      forceReauth: true,
      allowedRedirectUris: DEFAULT_REDIRECT_URIS,
      allowedOrigins: [],
      tokenLifetime: 'long',
      upstreamTimeoutMs: 10000,
      rateLimitPerMinute: 20,
      publicUrl: 'http://127.0.0.1:8787',
      host: '127.0.0.1',
      port: 8787,
    })
  })

  it('uses the Basic Display defaults', () => {
    const result = loadConfig({ ...base, IG_API: 'basic-display' })
    expect(result.ok && result.config).toMatchObject({
      authorizeUrl: 'https://api.instagram.com/oauth/authorize',
      scopes: ['user_profile', 'user_media'],
      graphVersion: '',
      forceReauth: false,
    })
  })

  it('reads lists and overrides', () => {
    const result = loadConfig({
      ...base,
      IG_SCOPES: 'instagram_business_basic, instagram_business_manage_messages',
      ALLOWED_REDIRECT_URIS: 'https://a.chromiumapp.org/, https://b.example/cb',
      ALLOWED_ORIGINS: 'https://app.example.com',
      TOKEN_LIFETIME: 'short',
      IG_GRAPH_URL: 'http://127.0.0.1:9/',
      PORT: '9000',
    })
    expect(result.ok && result.config).toMatchObject({
      scopes: ['instagram_business_basic', 'instagram_business_manage_messages'],
      allowedRedirectUris: ['https://a.chromiumapp.org/', 'https://b.example/cb'],
      allowedOrigins: ['https://app.example.com'],
      tokenLifetime: 'short',
      graphUrl: 'http://127.0.0.1:9',
      publicUrl: 'http://127.0.0.1:9000',
    })
  })

  it('reports every problem on its own line, naming the variable, never the secret', () => {
    const result = loadConfig({
      IG_CLIENT_SECRET: 'do-not-print-me',
      IG_API: 'graph',
      TOKEN_LIFETIME: 'forever',
      UPSTREAM_TIMEOUT_MS: '-5',
      RATE_LIMIT_PER_MINUTE: 'lots',
      PORT: '70000',
      IG_TOKEN_URL: 'ftp://x',
      ALLOWED_ORIGINS: 'https://a.example/path',
      ALLOWED_REDIRECT_URIS: 'not a url',
      IG_GRAPH_VERSION: '23',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    const names = ['IG_CLIENT_ID', 'IG_API', 'TOKEN_LIFETIME', 'UPSTREAM_TIMEOUT_MS', 'RATE_LIMIT_PER_MINUTE', 'PORT', 'IG_TOKEN_URL', 'ALLOWED_ORIGINS', 'ALLOWED_REDIRECT_URIS']
    for (const name of names) expect(result.errors.some((line) => line.startsWith(name))).toBe(true)
    expect(result.errors.join('\n')).not.toContain('do-not-print-me')
    expect(result.errors.every((line) => !line.includes('\n'))).toBe(true)
  })

  it('treats empty values as missing', () => {
    const result = loadConfig({ IG_CLIENT_ID: ' ', IG_CLIENT_SECRET: '' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors).toHaveLength(2)
  })

  it('IG_FORCE_REAUTH is true or false; anything else is a configuration error naming it', () => {
    expect(loadConfig({ ...base, IG_FORCE_REAUTH: 'false' })).toMatchObject({ ok: true, config: { forceReauth: false } })
    expect(loadConfig({ ...base, IG_API: 'basic-display', IG_FORCE_REAUTH: 'true' })).toMatchObject({ ok: true, config: { forceReauth: true } })
    for (const value of ['yes', '1', 'TRUE']) {
      const result = loadConfig({ ...base, IG_FORCE_REAUTH: value })
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.errors).toEqual([`IG_FORCE_REAUTH must be true or false (got "${value}").`])
    }
  })

  it('warns once at start when IG_GRAPH_VERSION ends within 180 days or has ended', () => {
    const on = (day: string) => Date.parse(`${day}T12:00:00Z`)
    const warnings = (version: string | undefined, day: string) => {
      const result = loadConfig({ ...base, ...(version ? { IG_GRAPH_VERSION: version } : {}) }, on(day))
      if (!result.ok) throw new Error(result.errors.join('\n'))
      return result.warnings
    }
    // The default, v25.0, is available until 2028-07-29.
    expect(warnings(undefined, '2026-11-30')).toEqual([])
    expect(warnings(undefined, '2028-03-01')).toEqual([expect.stringMatching(/^warning: IG_GRAPH_VERSION v25\.0 stops being available on 2028-07-29 \(in 150 days\)/)])
    // v21.0 ends 2027-01-21: 52 days after 2026-11-30.
    expect(warnings('v21.0', '2026-11-30')).toEqual([expect.stringContaining('v21.0 stops being available on 2027-01-21 (in 52 days)')])
    expect(warnings('v20.0', '2026-11-30')).toEqual([expect.stringContaining('v20.0 stopped being available on 2026-09-24')])
    expect(warnings('v19.0', '2026-11-30')).toEqual([expect.stringContaining('v19.0 is no longer available')])
    expect(warnings('v27.0', '2026-11-30')).toEqual([])
    // v23.0 ends 2027-10-08: 181 days after 2027-04-10 is not yet within 180.
    expect(warnings('v23.0', '2027-04-10')).toEqual([])
    for (const line of warnings('v20.0', '2026-11-30')) expect(line).not.toContain(base.IG_CLIENT_SECRET)
  })
})

describe('loadConfig: limits, proxies, callbacks and upstream transport (issue 14)', () => {
  const errorsOf = (env: Record<string, string>) => {
    const result = loadConfig({ ...base, ...env })
    return result.ok ? [] : result.errors
  }

  it('defaults: 120 reads a minute, 256 upstream calls at once, no proxy trusted, no Meta secret', () => {
    const result = loadConfig(base)
    expect(result.ok && result.config).toMatchObject({ readRateLimitPerMinute: 120, upstreamMaxConcurrency: 256, trustProxy: false })
    expect(result.ok && result.config.metaAppSecret).toBeUndefined()
  })

  it('reads READ_RATE_LIMIT_PER_MINUTE, UPSTREAM_MAX_CONCURRENCY, META_APP_SECRET', () => {
    const result = loadConfig({ ...base, READ_RATE_LIMIT_PER_MINUTE: '30', UPSTREAM_MAX_CONCURRENCY: '4', META_APP_SECRET: 'meta-secret' })
    expect(result.ok && result.config).toMatchObject({ readRateLimitPerMinute: 30, upstreamMaxConcurrency: 4, metaAppSecret: 'meta-secret' })
  })

  it('TRUST_PROXY takes false, true, or a list of addresses and CIDRs', () => {
    const trust = (value: string) => {
      const result = loadConfig({ ...base, TRUST_PROXY: value })
      return result.ok ? result.config.trustProxy : result.errors
    }
    expect(trust('false')).toBe(false)
    expect(trust('true')).toBe(true)
    expect(trust('10.0.0.2')).toEqual(['10.0.0.2'])
    expect(trust(' 127.0.0.1, ::1 ,10.0.0.0/8, fd00::/8 ')).toEqual(['127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8'])
  })

  it('one line per bad value, naming the variable', () => {
    for (const [name, value] of [
      ['READ_RATE_LIMIT_PER_MINUTE', '0'],
      ['READ_RATE_LIMIT_PER_MINUTE', 'many'],
      ['UPSTREAM_MAX_CONCURRENCY', '0'],
      ['UPSTREAM_MAX_CONCURRENCY', '1.5'],
      ['TRUST_PROXY', 'yes'],
      ['TRUST_PROXY', '10.0.0.0/33'],
      ['TRUST_PROXY', '10.0.0.1, proxy.internal'],
      ['TRUST_PROXY', '::1/129'],
      ['TRUST_PROXY', ','],
      ['ALLOW_INSECURE_UPSTREAM', 'yes'],
    ] as const) {
      const errors = errorsOf({ [name]: value })
      expect(errors, `${name}=${value}`).toHaveLength(1)
      expect(errors[0]!.startsWith(name)).toBe(true)
    }
    expect(errorsOf({ TRUST_PROXY: '10.0.0.1, proxy.internal' })[0]).toContain('"proxy.internal"')
  })

  it('refuses an http: Instagram URL on a host other than this machine, unless ALLOW_INSECURE_UPSTREAM=true', () => {
    const insecure = { IG_AUTHORIZE_URL: 'http://ig.example/oauth/authorize', IG_TOKEN_URL: 'http://10.1.2.3/oauth/access_token', IG_GRAPH_URL: 'http://graph.example' }
    const errors = errorsOf(insecure)
    expect(errors).toHaveLength(3)
    expect(errors.map((line) => line.split(' ')[0])).toEqual(['IG_AUTHORIZE_URL', 'IG_TOKEN_URL', 'IG_GRAPH_URL'])
    for (const line of errors) expect(line).toContain('ALLOW_INSECURE_UPSTREAM')
    expect(errorsOf({ ...insecure, ALLOW_INSECURE_UPSTREAM: 'true' })).toEqual([])
    // Loopback (the emulator) and https are fine.
    for (const url of ['http://127.0.0.1:8788', 'http://localhost:8788', 'http://[::1]:8788', 'http://emulator.localhost', 'https://graph.example']) {
      expect(errorsOf({ IG_GRAPH_URL: url }), url).toEqual([])
    }
  })
})
