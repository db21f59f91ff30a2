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
      graphVersion: 'v23.0',
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
})

describe('loadConfig: the fleet settings', () => {
  it('defaults SHUTDOWN_GRACE_MS to 10 s and has no Redis', () => {
    const result = loadConfig(base)
    expect(result.ok && result.config.shutdownGraceMs).toBe(10_000)
    expect(result.ok && result.config.rateLimitRedisUrl).toBeUndefined()
  })

  it('reads SHUTDOWN_GRACE_MS and RATE_LIMIT_REDIS_URL', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://user:pw@redis.example:6380/2', 'redis://[::1]:6379/0']) {
      const result = loadConfig({ ...base, SHUTDOWN_GRACE_MS: '0', RATE_LIMIT_REDIS_URL: url })
      expect(result.ok && result.config).toMatchObject({ shutdownGraceMs: 0, rateLimitRedisUrl: url })
    }
  })

  it('refuses a bad grace and a bad Redis URL, without echoing the URL (it may hold a password)', () => {
    for (const url of ['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis://', 'redis:///0', 'redis://:hunter2@host/db', 'not a url hunter2']) {
      const result = loadConfig({ ...base, SHUTDOWN_GRACE_MS: 'soon', RATE_LIMIT_REDIS_URL: url })
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.errors).toContain('SHUTDOWN_GRACE_MS must be a whole number from 0 to 600000 (got "soon").')
      expect(result.errors).toContain(
        'RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL with a host, such as redis://127.0.0.1:6379 (its value is not shown: it may hold a password).',
      )
      expect(result.errors.join('\n')).not.toContain('hunter2')
    }
  })
})
