import { invalidProxyEntries, type TrustProxy } from './client-ip'
import { DEFAULT_REDIRECT_URIS } from './extension-ids'
import { API_DEFAULTS, INSTAGRAM_APIS, type InstagramApi } from './instagram/endpoints'
import { DEFAULT_GRAPH_VERSION, graphVersionWarning } from './instagram/graph-versions'
import { isLoopbackHostname } from './middleware/request-guards'

export interface ServerConfig {
  clientId: string
  clientSecret: string
  api: InstagramApi
  scopes: string[]
  authorizeUrl: string
  tokenUrl: string
  /** Graph base without a trailing slash, e.g. `https://graph.instagram.com`. */
  graphUrl: string
  /** `v25.0` for Instagram Login; empty for Basic Display, whose paths carry no version. */
  graphVersion: string
  /** `force_reauth=true` on the authorize URL `/config` hands out (IG_FORCE_REAUTH). */
  forceReauth: boolean
  allowedRedirectUris: string[]
  allowedOrigins: string[]
  tokenLifetime: 'long' | 'short'
  upstreamTimeoutMs: number
  rateLimitPerMinute: number
  /** Per client IP on `GET /me` and `GET /me/media`. */
  readRateLimitPerMinute: number
  /** Calls to Instagram in flight at once in this process; beyond it 503 `server_busy`. */
  upstreamMaxConcurrency: number
  /** Also verify Meta's `signed_request` callbacks against this secret (the Meta app's). */
  metaAppSecret?: string
  publicUrl: string
  host: string
  port: number
  /** Whose `X-Forwarded-For` is read for the client IP: nobody, anybody, or these proxies (./client-ip). */
  trustProxy: TrustProxy
}

export type Env = Record<string, string | undefined>

/** A valid configuration comes with the warnings to log once at start (e.g. an ending graph version). */
export type ConfigResult = { ok: true; config: ServerConfig; warnings: string[] } | { ok: false, errors: string[] }

/**
 * Reads and validates the server configuration (SPEC "Server configuration"). Every problem is
 * reported, one line each, naming the variable; the secret's value never appears in a message.
 */
export function loadConfig(env: Env, now: number = Date.now()): ConfigResult {
  const errors: string[] = []
  const warnings: string[] = []
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
  // The token endpoint gets the app secret, Graph gets tokens: plain http only to this machine.
  const allowInsecureUpstream = boolean('ALLOW_INSECURE_UPSTREAM', get('ALLOW_INSECURE_UPSTREAM'), false, errors)
  if (!allowInsecureUpstream) {
    for (const [name, value] of [['IG_AUTHORIZE_URL', authorizeUrl], ['IG_TOKEN_URL', tokenUrl], ['IG_GRAPH_URL', graphUrl]] as const) {
      const url = URL.parse(value)
      if (url?.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
        errors.push(`${name} must be https: for a host other than this machine (got "${value}"); set ALLOW_INSECURE_UPSTREAM=true only for a test upstream on a network you trust.`)
      }
    }
  }

  let graphVersion = ''
  if (defaults.versioned) {
    graphVersion = get('IG_GRAPH_VERSION') ?? DEFAULT_GRAPH_VERSION
    if (!/^v\d+\.\d+$/.test(graphVersion)) errors.push(`IG_GRAPH_VERSION must look like ${DEFAULT_GRAPH_VERSION} (got "${graphVersion}").`)
    else {
      const warning = graphVersionWarning(graphVersion, now)
      if (warning !== undefined) warnings.push(warning)
    }
  }

  // Meta's dashboard builds the Instagram Login authorize URL with force_reauth=true, so the
  // person can choose which Instagram account to sign in with (INSTAGRAM-TODAY.md §1).
  const forceReauthValue = get('IG_FORCE_REAUTH') ?? (api === 'instagram-login' ? 'true' : 'false')
  if (forceReauthValue !== 'true' && forceReauthValue !== 'false') errors.push(`IG_FORCE_REAUTH must be true or false (got "${forceReauthValue}").`)

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
  const readRateLimitPerMinute = integer('READ_RATE_LIMIT_PER_MINUTE', get('READ_RATE_LIMIT_PER_MINUTE'), 120, 1, 1_000_000, errors)
  const upstreamMaxConcurrency = integer('UPSTREAM_MAX_CONCURRENCY', get('UPSTREAM_MAX_CONCURRENCY'), 256, 1, 1_000_000, errors)
  const metaAppSecret = get('META_APP_SECRET')
  const host = get('HOST') ?? '127.0.0.1'
  const port = integer('PORT', get('PORT'), 8787, 0, 65_535, errors)

  const publicDefault = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const publicUrl = httpUrl('PUBLIC_URL', get('PUBLIC_URL') ?? publicDefault, errors).replace(/\/+$/, '')

  const trustProxyValue = get('TRUST_PROXY') ?? 'false'
  let trustProxy: TrustProxy = trustProxyValue === 'true'
  if (trustProxyValue !== 'true' && trustProxyValue !== 'false') {
    trustProxy = splitList(trustProxyValue)
    const invalid = invalidProxyEntries(trustProxy)
    if (trustProxy.length === 0 || invalid.length > 0) {
      errors.push(`TRUST_PROXY must be false, true, or a comma-separated list of proxy addresses or CIDRs such as 10.0.0.2,fd00::/8 (not an address: "${invalid.join('", "') || trustProxyValue}").`)
    }
  }

  if (errors.length > 0 || !clientId || !clientSecret) return { ok: false, errors }
  return {
    ok: true,
    warnings,
    config: {
      clientId,
      clientSecret,
      api,
      scopes,
      authorizeUrl,
      tokenUrl,
      graphUrl,
      graphVersion,
      forceReauth: forceReauthValue === 'true',
      allowedRedirectUris,
      allowedOrigins,
      tokenLifetime: lifetime as 'long' | 'short',
      upstreamTimeoutMs,
      rateLimitPerMinute,
      readRateLimitPerMinute,
      upstreamMaxConcurrency,
      ...(metaAppSecret ? { metaAppSecret } : {}),
      publicUrl,
      host,
      port,
      trustProxy,
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

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number, errors: string[]): number {
  if (value === undefined) return fallback
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    errors.push(`${name} must be a whole number from ${min} to ${max} (got "${value}").`)
    return fallback
  }
  return parsed
}

function boolean(name: string, value: string | undefined, fallback: boolean, errors: string[]): boolean {
  if (value === undefined) return fallback
  if (value === 'true' || value === 'false') return value === 'true'
  errors.push(`${name} must be true or false (got "${value}").`)
  return fallback
}
