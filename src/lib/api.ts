import { fail, ok, type Result } from './result'

/** `GET /config`: public settings the extension needs to build the authorize URL. */
export interface ServerConfig {
  api: string
  client_id: string
  authorize_url: string
  scope: string[]
  redirect_uris: string[]
}

/** The Instagram user as the server returns it; `id` is an exact decimal string. */
export interface InstagramUser {
  id: string
  username: string
  [field: string]: unknown
}

export interface TokenResponse {
  access_token: string
  token_type: string
  expires_in: number
  user: InstagramUser
  permissions: string[]
}

export interface RefreshResponse {
  access_token: string
  token_type: string
  expires_in: number
}

export interface Profile {
  id: string
  username: string
  name?: string
  account_type?: string
  profile_picture_url?: string
  media_count?: number
  followers_count?: number
  follows_count?: number
}

export interface MediaItem {
  id: string
  media_type: string
  media_url?: string
  permalink?: string
  thumbnail_url?: string
  caption?: string
  timestamp?: string
}

export interface ApiClientOptions {
  /** The server URL from the options page, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string
  fetch?: typeof fetch
  /** Per request; the server itself waits up to `UPSTREAM_TIMEOUT_MS` (10 s) for Instagram. */
  timeoutMs?: number
}

export const DEFAULT_TIMEOUT_MS = 15_000

type Shape<T> = (value: unknown) => value is T

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)

const isHealth: Shape<{ status: string }> = (v): v is { status: string } => isObject(v) && v.status === 'ok'
const isConfig: Shape<ServerConfig> = (v): v is ServerConfig =>
  isObject(v) && isString(v.client_id) && isString(v.authorize_url) && isStringArray(v.scope) && isStringArray(v.redirect_uris)
const isUser: Shape<InstagramUser> = (v): v is InstagramUser => isObject(v) && isString(v.id) && isString(v.username)
const isToken: Shape<TokenResponse> = (v): v is TokenResponse =>
  isObject(v) && isString(v.access_token) && v.access_token !== '' && typeof v.expires_in === 'number' && isUser(v.user)
const isRefresh: Shape<RefreshResponse> = (v): v is RefreshResponse =>
  isObject(v) && isString(v.access_token) && v.access_token !== '' && typeof v.expires_in === 'number'
const isProfile: Shape<Profile> = (v): v is Profile => isUser(v)
const isMediaList: Shape<{ data: MediaItem[] }> = (v): v is { data: MediaItem[] } =>
  isObject(v) && Array.isArray(v.data) && v.data.every((m) => isObject(m) && isString(m.id))

/**
 * A client for the exchange server's HTTP API (SPEC "Server HTTP API"). Every call resolves,
 * never rejects: `{ ok: true, data }`, or `{ ok: false, error }` where `error.code` is the
 * server's own `error` code, `server_unreachable` (nothing answered), `server_timeout`,
 * `server_redirect` (a 3xx, never followed), or `invalid_response` (an answer that is not the
 * documented JSON).
 */
export function createApiClient(options: ApiClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS

  async function request<T>(
    method: 'GET' | 'POST',
    path: string,
    shape: Shape<T>,
    init: { token?: string; body?: unknown } = {},
  ): Promise<Result<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`
    if (init.body !== undefined) headers['Content-Type'] = 'application/json'
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    let status: number
    let text: string
    let retryAfter: number | undefined
    try {
      const response = await doFetch(base + path, {
        method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
        // Never followed (SPEC "Extension behaviour"): a 307 would re-send the code or the token
        // to wherever it points. 'manual', not 'error', so a redirect is told from no answer.
        redirect: 'manual',
      })
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        return fail('server_redirect', `${method} ${path} answered with a redirect, which the extension does not follow.`)
      }
      status = response.status
      retryAfter = parseRetryAfter(response.headers?.get('retry-after') ?? null)
      text = await response.text()
    } catch {
      // fetch rejects with a bare TypeError for refused connections, DNS failures and
      // missing host permission alike; none of them says more than "no answer".
      return timedOut
        ? fail('server_timeout', `${base} did not answer within ${Math.round(timeoutMs / 1000)} seconds.`)
        : fail('server_unreachable', `Could not reach ${base}.`)
    } finally {
      clearTimeout(timer)
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return fail('invalid_response', `${method} ${path} answered HTTP ${status} with a body that is not JSON.`)
    }
    if (status < 200 || status > 299) {
      if (isObject(body) && isString(body.error) && body.error !== '') {
        const description = isString(body.error_description) ? body.error_description : `HTTP ${status}`
        return fail(body.error, description, retryAfter === undefined ? {} : { retryAfter })
      }
      return fail('invalid_response', `${method} ${path} answered HTTP ${status} without an error code.`)
    }
    if (!shape(body)) return fail('invalid_response', `${method} ${path} answered with an unexpected JSON shape.`)
    return ok(body)
  }

  return {
    baseUrl: base,
    health: () => request('GET', '/health', isHealth),
    config: () => request('GET', '/config', isConfig),
    token: (code: string, redirectUri: string) =>
      request('POST', '/token', isToken, { body: { code, redirect_uri: redirectUri } }),
    refresh: (accessToken: string) => request('POST', '/refresh', isRefresh, { body: { access_token: accessToken } }),
    me: (accessToken: string) => request('GET', '/me', isProfile, { token: accessToken }),
    media: async (accessToken: string, limit: number): Promise<Result<MediaItem[]>> => {
      const result = await request('GET', `/me/media?limit=${limit}`, isMediaList, { token: accessToken })
      return result.ok ? ok(result.data.data) : result
    },
  }
}

export type ApiClient = ReturnType<typeof createApiClient>

/**
 * `Retry-After` in seconds (RFC 9110 §10.2.3): delay-seconds, or an HTTP date turned into the
 * seconds from now; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}
