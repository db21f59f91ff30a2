import { ApiError } from '../errors'
import { idToString } from '../lossless-json'
import { classifyError, permissionNamed, quotable, readInstagramError, retryAfterSeconds, type InstagramError } from './error-table'
import type { LongLivedToken, MediaItem, Profile, ShortLivedToken } from './types'
import type { Usage } from './usage'

/**
 * Processing of Instagram's answers: each function takes the HTTP status and the parsed body
 * (big integers already kept as strings), and for refusals the answer's usage headers, and
 * returns typed data or throws the ApiError the client should see. Pure, so every shape
 * Instagram sends is unit-tested here.
 */

type Json = Record<string, unknown>

/** The upstream calls, by the names the log lines use. */
export type CallName = 'exchange' | 'long-lived' | 'refresh' | 'profile' | 'media'

const WHAT: Readonly<Record<CallName, string>> = {
  exchange: 'code exchange',
  'long-lived': 'long-lived token',
  refresh: 'token refresh',
  profile: 'profile',
  media: 'media',
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Instagram's own words reach the client only where the issue asks for them (a refused refresh,
 * issue 12), with anything like an id or a token cut out: elsewhere they can name the app, ids
 * or worse, and the operator reads them in the log line instead (./client).
 */
const said = (error: InstagramError): string => {
  const message = quotable(error.message)?.replace(/\d{6,}|[A-Za-z0-9_-]{24,}/g, '…')
  return message === undefined ? '' : ` (Instagram said: “${message}”)`
}

const SEE_LOG = 'the exchange server’s log has Instagram’s message'

const unexpected = (call: CallName) =>
  new ApiError('upstream_error', `Instagram answered the ${WHAT[call]} request in an unexpected way; try again in a moment.`)

/**
 * The ApiError for a refused answer (HTTP ≥ 400) of one call, from the one table in
 * ./error-table (SPEC error table): 401 `invalid_token`, 403 `permission_missing`,
 * 429 `instagram_rate_limited` with `Retry-After`, 400 `invalid_grant` (the code exchange, when
 * Instagram speaks of the code; a refused refresh), else 502 `upstream_error` saying which.
 */
export function refusal(call: CallName, error: InstagramError, usage?: Usage): ApiError {
  switch (classifyError(error, usage)) {
    case 'throttled': {
      const seconds = retryAfterSeconds(usage)
      return new ApiError(
        'instagram_rate_limited',
        `Instagram is limiting how often this app or account may call it; try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
        { headers: { 'Retry-After': String(seconds) } },
      )
    }
    case 'invalid_token':
      return new ApiError('invalid_token', 'Instagram says this access token is invalid, expired or revoked; connect again.')
    case 'permission_missing': {
      const permission = permissionNamed(error.message)
      return new ApiError(
        'permission_missing',
        permission === undefined
          ? 'Instagram says the app lacks a permission this needs (it was not granted or was removed); reconnect and allow every permission asked for.'
          : `Instagram says the permission ${permission} is missing (it was not granted or was removed); reconnect and allow it.`,
      )
    }
    case 'credentials':
      return new ApiError(
        'upstream_error',
        `Instagram rejected the app credentials; check IG_CLIENT_ID and IG_CLIENT_SECRET on the exchange server (${SEE_LOG}).`,
      )
    case 'temporary':
      return new ApiError('upstream_error', `Instagram had a temporary problem with the ${WHAT[call]}; try again in a moment.`)
    case 'bad_request':
      return badRequest(call, error)
    case 'other':
      return otherRefusal(call, error)
  }
}

/** Code 100: a malformed request, so the operator is told where to look. */
function badRequest(call: CallName, error: InstagramError): ApiError {
  switch (call) {
    case 'exchange':
      return new ApiError(
        'upstream_error',
        `Instagram refused the code-exchange request as malformed; check that IG_TOKEN_URL is https://api.instagram.com/oauth/access_token (a POST endpoint; ${SEE_LOG}).`,
      )
    case 'long-lived':
      return new ApiError(
        'upstream_error',
        `Instagram refused the long-lived token request as malformed; check IG_GRAPH_URL (https://graph.instagram.com, no version in it; ${SEE_LOG}).`,
      )
    case 'refresh':
      return new ApiError('invalid_grant', `Instagram refused to refresh this token${said(error)}.`)
    default:
      return new ApiError('upstream_error', `Instagram refused the ${WHAT[call]} request as malformed; check IG_GRAPH_URL and IG_GRAPH_VERSION (${SEE_LOG}).`)
  }
}

/** What the token endpoint says about the code itself (OAuth's invalid_grant). */
const REDIRECT_MISMATCH = /redirect[_ ]?ur[il]/i
const CODE_REFUSED = /\bcode\b.*\b(not found|used|expired|invalid)|(authorization|verification) code|\bcode has (expired|been used)/i
const DEVELOPER_ROLE = /insufficient developer role/i

function otherRefusal(call: CallName, error: InstagramError): ApiError {
  const message = error.message ?? ''
  const clientError = error.status >= 400 && error.status < 500
  if (call === 'exchange' && clientError) {
    if (REDIRECT_MISMATCH.test(message)) {
      return new ApiError(
        'invalid_grant',
        'Instagram says the redirect URI does not match the one the code was issued for or the ones registered for the app; check the Instagram app’s OAuth redirect URIs (exactly, including the trailing slash), then connect again.',
      )
    }
    if (CODE_REFUSED.test(message)) {
      return new ApiError('invalid_grant', 'Instagram says this authorization code was already used, has expired, or was never issued; connect again.')
    }
    if (DEVELOPER_ROLE.test(message)) {
      return new ApiError(
        'upstream_error',
        'Instagram refused this account: the app is in development mode and this Instagram account is not one of its testers; add it under App roles in the Meta App Dashboard and accept the invitation in Instagram, or make the app Live.',
      )
    }
  }
  if (call === 'refresh' && clientError && error.message !== undefined) {
    return new ApiError('invalid_grant', `Instagram refused to refresh this token${said(error)}.`)
  }
  if ((call === 'profile' || call === 'media') && error.status === 401) {
    return new ApiError('invalid_token', 'Instagram says this access token is invalid, expired or revoked; connect again.')
  }
  if (error.status >= 500) {
    return new ApiError('upstream_error', `Instagram is having trouble (HTTP ${error.status}); try again in a moment.`)
  }
  if (error.message === undefined) return unexpected(call)
  return new ApiError('upstream_error', `Instagram refused the ${WHAT[call]} request (HTTP ${error.status}); ${SEE_LOG}.`)
}

/** Throws the refusal of a non-2xx answer; a 2xx passes. */
function refuseUnlessOk(call: CallName, status: number, body: unknown, usage: Usage | undefined): void {
  if (status >= 400) throw refusal(call, readInstagramError(status, body), usage)
}

/** `POST /oauth/access_token`: documented both flat and wrapped in `data`. */
export function processCodeExchange(status: number, body: unknown, usage?: Usage): ShortLivedToken {
  refuseUnlessOk('exchange', status, body, usage)
  const item = isObject(body) && Array.isArray(body.data) ? body.data[0] : body
  if (!isObject(item) || typeof item.access_token !== 'string' || item.access_token === '') throw unexpected('exchange')
  const userId = idToString(item.user_id)
  if (userId === undefined) throw unexpected('exchange')
  return { accessToken: item.access_token, userId, permissions: parsePermissions(item.permissions) }
}

/** `permissions`: a comma-separated string or an array; anything else is dropped. */
export function parsePermissions(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : []
  return items.filter((p): p is string => typeof p === 'string').map((p) => p.trim()).filter((p) => p !== '')
}

/** `ig_exchange_token` (long-lived upgrade) and `ig_refresh_token` answers share one shape. */
export function processTokenGrant(status: number, body: unknown, kind: 'long-lived' | 'refresh', usage?: Usage): LongLivedToken {
  refuseUnlessOk(kind, status, body, usage)
  if (!isObject(body) || typeof body.access_token !== 'string' || body.access_token === '') throw unexpected(kind)
  // Whole seconds the client can count on: 0.5 would floor to 0, and ids-sized numbers lose digits.
  const expiresIn = Math.floor(Number(body.expires_in))
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'bearer',
    expiresIn: Number.isSafeInteger(expiresIn) && expiresIn > 0 ? expiresIn : 5_184_000,
  }
}

/**
 * `/me`, flat (what Instagram sends) or wrapped in `{"data":[{…}]}` (Meta's docs). `id` is the
 * professional account id: `user_id` for Instagram Login, else (Basic Display) `id`; with both,
 * `id` is the app-scoped id and is kept as `app_scoped_id`. Ids are exact decimal strings.
 */
export function processProfile(status: number, body: unknown, usage?: Usage): Profile {
  refuseUnlessOk('profile', status, body, usage)
  const node = isObject(body) && Array.isArray(body.data) ? body.data[0] : body
  if (!isObject(node)) throw unexpected('profile')
  const professionalId = idToString(node.user_id)
  const ownId = idToString(node.id)
  const id = professionalId ?? ownId
  if (id === undefined || typeof node.username !== 'string' || node.username === '') throw unexpected('profile')
  const profile: Profile = { id, username: node.username }
  if (professionalId !== undefined && ownId !== undefined) profile.app_scoped_id = ownId
  for (const key of ['name', 'account_type', 'profile_picture_url'] as const) {
    if (typeof node[key] === 'string' && node[key] !== '') profile[key] = node[key]
  }
  for (const key of ['media_count', 'followers_count', 'follows_count'] as const) {
    const value = node[key]
    if (typeof value === 'number' && Number.isFinite(value)) profile[key] = value
  }
  return profile
}

/**
 * `/me/media`: at most `limit` items, newest first. `media_url` is omitted for videos with
 * licensed audio, and `caption` and `thumbnail_url` may be missing: each is left out then.
 */
export function processMedia(status: number, body: unknown, limit = Number.POSITIVE_INFINITY, usage?: Usage): MediaItem[] {
  refuseUnlessOk('media', status, body, usage)
  if (!isObject(body) || !Array.isArray(body.data)) throw unexpected('media')
  const items: MediaItem[] = []
  for (const raw of body.data) {
    if (!isObject(raw)) continue
    const id = idToString(raw.id)
    if (id === undefined) continue
    const item: MediaItem = {
      id,
      media_type: typeof raw.media_type === 'string' ? raw.media_type : 'IMAGE',
      permalink: typeof raw.permalink === 'string' ? raw.permalink : '',
      timestamp: typeof raw.timestamp === 'string' ? raw.timestamp : '',
    }
    for (const key of ['media_url', 'thumbnail_url', 'caption'] as const) {
      if (typeof raw[key] === 'string' && raw[key] !== '') item[key] = raw[key]
    }
    items.push(item)
  }
  // Graph sends newest first; a stable sort keeps that order for equal or missing timestamps.
  const time = (item: MediaItem) => {
    const t = Date.parse(item.timestamp.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'))
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t
  }
  return items.sort((a, b) => time(b) - time(a)).slice(0, limit)
}
