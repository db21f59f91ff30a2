import { DEFAULT_REDIRECT_URIS } from './extension-ids'
import { API_DEFAULTS, DEFAULT_GRAPH_VERSION, INSTAGRAM_APIS, type InstagramApi } from './instagram/endpoints'

export interface ServerConfig {
  clientId: string
  clientSecret: string
  api: InstagramApi
  scopes: string[]
  authorizeUrl: string
  tokenUrl: string
  /** Graph base without a trailing slash, e.g. `https://graph.instagram.com`. */
  graphUrl: string
  /** `v23.0` for Instagram Login; empty for Basic Display, whose paths carry no version. */
  graphVersion: string
  allowedRedirectUris: string[]
  allowedOrigins: string[]
  tokenLifetime: 'long' | 'short'
  upstreamTimeoutMs: number
  rateLimitPerMinute: number
  publicUrl: string
  host: string
  port: number
  /** Take the client IP from `X-Forwarded-For` (only behind a proxy you run). */
  trustProxy: boolean
  /** On SIGTERM/SIGINT, how long in-flight requests may still run (ms); then 503 `shutting_down`. */
  shutdownGraceMs: number
  /** `redis://…` or `rediss://…`: the per-IP limit of `POST /token` and `/refresh` is shared through it. */
  rateLimitRedisUrl?: string
}

export type Env = Record<string, string | undefined>

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false, errors: string[] }

/**
 * Reads and validates the server configuration (SPEC "Server configuration"). Every problem is
 * reported, one line each, naming the variable; the secret's value never appears in a message.
 */
export function loadConfig(env: Env): ConfigResult {
  const errors: string[] = []
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }

  const clientId = get('IG_CLIENT_ID')
  if (!clientId) errors.push('IG_CLIENT_ID is required: the Instagram app id (App Dashboard > Instagram > API setup with Instagram login).')
  const clientSecret = get('IG_CLIENT_SECRET')
  if (!clientSecret) errors.push('IG_CLIENT_SECRET is required: the Instagram app secret, from the same page as the app id.')

  const apiValue = get('IG_API') ?? 'instagram-login'
  const api: InstagramApi = (INSTAGRAM_APIS as readonly string[]).includes(apiValue) ? (apiValue as InstagramApi) : 'instagram-login'
  if (api !== apiValue) errors.push(`IG_API must be one of ${INSTAGRAM_APIS.join(', ')} (got "${apiValue}").`)
  const defaults = API_DEFAULTS[api]

  const scopesValue = get('IG_SCOPES')
  const scopes = scopesValue ? splitList(scopesValue) : [...defaults.scopes]
  if (scopes.length === 0 || scopes.some((s) => !/^[a-z_]+$/.test(s))) {
    errors.push('IG_SCOPES must be a comma-separated list of scope names such as instagram_business_basic.')
  }

  const authorizeUrl = httpUrl('IG_AUTHORIZE_URL', get('IG_AUTHORIZE_URL') ?? defaults.authorizeUrl, errors)
  const tokenUrl = httpUrl('IG_TOKEN_URL', get('IG_TOKEN_URL') ?? defaults.tokenUrl, errors)
  const graphUrl = httpUrl('IG_GRAPH_URL', get('IG_GRAPH_URL') ?? defaults.graphUrl, errors).replace(/\/+$/, '')

  let graphVersion = ''
  if (defaults.versioned) {
    graphVersion = get('IG_GRAPH_VERSION') ?? DEFAULT_GRAPH_VERSION
    if (!/^v\d+\.\d+$/.test(graphVersion)) errors.push(`IG_GRAPH_VERSION must look like v23.0 (got "${graphVersion}").`)
  }

  const redirectValue = get('ALLOWED_REDIRECT_URIS')
  const allowedRedirectUris = redirectValue ? splitList(redirectValue) : [...DEFAULT_REDIRECT_URIS]
  for (const uri of allowedRedirectUris) {
    if (!isAbsoluteUrl(uri)) errors.push(`ALLOWED_REDIRECT_URIS has "${uri}", which is not an absolute URL such as https://<id>.chromiumapp.org/.`)
  }

  const allowedOrigins = splitList(get('ALLOWED_ORIGINS') ?? '')
  for (const origin of allowedOrigins) {
    if (!isOrigin(origin)) errors.push(`ALLOWED_ORIGINS has "${origin}", which is not an origin such as https://app.example.com (scheme, host and port only).`)
  }

  const lifetime = get('TOKEN_LIFETIME') ?? 'long'
  if (lifetime !== 'long' && lifetime !== 'short') errors.push(`TOKEN_LIFETIME must be long or short (got "${lifetime}").`)

  const upstreamTimeoutMs = integer('UPSTREAM_TIMEOUT_MS', get('UPSTREAM_TIMEOUT_MS'), 10_000, 1, 600_000, errors)
  const rateLimitPerMinute = integer('RATE_LIMIT_PER_MINUTE', get('RATE_LIMIT_PER_MINUTE'), 20, 1, 1_000_000, errors)
  const host = get('HOST') ?? '127.0.0.1'
  const port = integer('PORT', get('PORT'), 8787, 0, 65_535, errors)

  const publicDefault = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const publicUrl = httpUrl('PUBLIC_URL', get('PUBLIC_URL') ?? publicDefault, errors).replace(/\/+$/, '')

  const shutdownGraceMs = integer('SHUTDOWN_GRACE_MS', get('SHUTDOWN_GRACE_MS'), 10_000, 0, 600_000, errors)
  const rateLimitRedisUrl = redisUrl(get('RATE_LIMIT_REDIS_URL'), errors)

  const trustProxyValue = get('TRUST_PROXY') ?? 'false'
  if (trustProxyValue !== 'true' && trustProxyValue !== 'false') errors.push(`TRUST_PROXY must be true or false (got "${trustProxyValue}").`)

  if (errors.length > 0 || !clientId || !clientSecret) return { ok: false, errors }
  return {
    ok: true,
    config: {
      clientId,
      clientSecret,
      api,
      scopes,
      authorizeUrl,
      tokenUrl,
      graphUrl,
      graphVersion,
      allowedRedirectUris,
      allowedOrigins,
      tokenLifetime: lifetime as 'long' | 'short',
      upstreamTimeoutMs,
      rateLimitPerMinute,
      publicUrl,
      host,
      port,
      trustProxy: trustProxyValue === 'true',
      shutdownGraceMs,
      ...(rateLimitRedisUrl ? { rateLimitRedisUrl } : {}),
    },
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value)
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
  } catch {
    return false
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}

function httpUrl(name: string, value: string, errors: string[]): string {
  try {
    const url = new URL(value)
    if (url.protocol === 'http:' || url.protocol === 'https:') return value
  } catch {
    // reported below
  }
  errors.push(`${name} must be an http(s) URL (got "${value}").`)
  return value
}

/**
 * `RATE_LIMIT_REDIS_URL`: a `redis:` or `rediss:` URL with a host (the form node-redis reads,
 * `redis[s]://[[user][:password]@]host[:port][/db]`). The value is never echoed: it may carry
 * the Redis password.
 */
function redisUrl(value: string | undefined, errors: string[]): string | undefined {
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    // reported below
  }
  const db = url?.pathname.replace(/^\//, '') ?? ''
  if (url && (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^\d*$/.test(db)) return value
  errors.push('RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL with a host, such as redis://127.0.0.1:6379 (its value is not shown: it may hold a password).')
  return undefined
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number, errors: string[]): number {
  if (value === undefined) return fallback
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    errors.push(`${name} must be a whole number from ${min} to ${max} (got "${value}").`)
    return fallback
  }
  return parsed
}
