import { ApiError } from '../errors'
import { idToString } from '../lossless-json'
import type { LongLivedToken, MediaItem, Profile, ShortLivedToken } from './types'

/**
 * Processing of Instagram's answers: each function takes the HTTP status and the parsed body
 * (big integers already kept as strings) and returns typed data or throws the ApiError the
 * client should see. Pure, so every shape Instagram documents is unit-tested here.
 */

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Instagram rejected the app itself (wrong id or secret): the operator must fix it, not the user. */
const CREDENTIALS_PATTERN = /client[_ ]?secret|client[_ ]?id|platform app|app secret|invalid app/i

export function upstreamMessage(body: unknown): string | undefined {
  if (!isObject(body)) return undefined
  if (typeof body.error_message === 'string') return body.error_message
  if (isObject(body.error) && typeof body.error.message === 'string') return body.error.message
  if (typeof body.error_description === 'string') return body.error_description
  return undefined
}

function graphErrorCode(body: unknown): number | undefined {
  if (isObject(body) && isObject(body.error) && typeof body.error.code === 'number') return body.error.code
  return undefined
}

function credentialsRejected(body: unknown): boolean {
  const code = graphErrorCode(body)
  if (code === 101 || code === 1) return true
  return CREDENTIALS_PATTERN.test(upstreamMessage(body) ?? '')
}

const credentialsError = () =>
  new ApiError(
    'upstream_error',
    'Instagram rejected the app credentials; check IG_CLIENT_ID and IG_CLIENT_SECRET on the exchange server.',
  )

const unexpected = (what: string) =>
  new ApiError('upstream_error', `Instagram answered the ${what} request in an unexpected way; try again in a moment.`)

/** Status ≥ 500 never reaches these functions: the client turns it into upstream_error. */
export function processCodeExchange(status: number, body: unknown): ShortLivedToken {
  if (status >= 400) {
    if (credentialsRejected(body)) throw credentialsError()
    if (status >= 400 && status < 500 && upstreamMessage(body) !== undefined) {
      throw new ApiError(
        'invalid_grant',
        'Instagram rejected the authorization code (it is used, expired, or was issued for another redirect URI); connect again.',
      )
    }
    throw unexpected('code exchange')
  }
  // Documented both flat and wrapped in `data`.
  const item = isObject(body) && Array.isArray(body.data) ? body.data[0] : body
  if (!isObject(item) || typeof item.access_token !== 'string' || item.access_token === '') throw unexpected('code exchange')
  const userId = idToString(item.user_id)
  if (userId === undefined) throw unexpected('code exchange')
  return { accessToken: item.access_token, userId, permissions: parsePermissions(item.permissions) }
}

export function parsePermissions(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : []
  return items.filter((p): p is string => typeof p === 'string').map((p) => p.trim()).filter((p) => p !== '')
}

/** `ig_exchange_token` (long-lived upgrade) and `ig_refresh_token` answers share one shape. */
export function processTokenGrant(status: number, body: unknown, kind: 'long-lived' | 'refresh'): LongLivedToken {
  if (status >= 400) {
    if (graphErrorCode(body) === 190) {
      throw new ApiError('invalid_token', 'Instagram says this access token is invalid, expired or revoked; connect again.')
    }
    if (credentialsRejected(body)) throw credentialsError()
    if (kind === 'refresh' && status < 500 && upstreamMessage(body) !== undefined) {
      throw new ApiError(
        'invalid_grant',
        'Instagram refused to refresh this token: only long-lived tokens that are at least 24 hours old and not expired can be refreshed.',
      )
    }
    throw unexpected(kind === 'refresh' ? 'token refresh' : 'long-lived token')
  }
  if (!isObject(body) || typeof body.access_token !== 'string' || body.access_token === '') {
    throw unexpected(kind === 'refresh' ? 'token refresh' : 'long-lived token')
  }
  // Whole seconds the client can count on: 0.5 would floor to 0, and ids-sized numbers lose digits.
  const expiresIn = Math.floor(Number(body.expires_in))
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'bearer',
    expiresIn: Number.isSafeInteger(expiresIn) && expiresIn > 0 ? expiresIn : 5_184_000,
  }
}

function graphReadError(status: number, body: unknown, what: string): ApiError {
  if (graphErrorCode(body) === 190 || status === 401) {
    return new ApiError('invalid_token', 'Instagram says this access token is invalid, expired or revoked; connect again.')
  }
  if (credentialsRejected(body)) return credentialsError()
  return unexpected(what)
}

/** `/me`: Instagram Login names the account id `user_id` (and `id` is app-scoped); Basic Display has `id`. */
export function processProfile(status: number, body: unknown): Profile {
  if (status >= 400) throw graphReadError(status, body, 'profile')
  if (!isObject(body)) throw unexpected('profile')
  const id = idToString(body.user_id) ?? idToString(body.id)
  if (id === undefined || typeof body.username !== 'string') throw unexpected('profile')
  const profile: Profile = { id, username: body.username }
  for (const key of ['name', 'account_type', 'profile_picture_url'] as const) {
    if (typeof body[key] === 'string') profile[key] = body[key]
  }
  for (const key of ['media_count', 'followers_count', 'follows_count'] as const) {
    const value = body[key]
    if (typeof value === 'number' && Number.isFinite(value)) profile[key] = value
  }
  return profile
}

export function processMedia(status: number, body: unknown): MediaItem[] {
  if (status >= 400) throw graphReadError(status, body, 'media')
  if (!isObject(body) || !Array.isArray(body.data)) throw unexpected('media')
  const items: MediaItem[] = []
  for (const raw of body.data) {
    if (!isObject(raw)) continue
    const id = idToString(raw.id)
    if (id === undefined) continue
    const item: MediaItem = {
      id,
      media_type: typeof raw.media_type === 'string' ? raw.media_type : 'IMAGE',
      media_url: typeof raw.media_url === 'string' ? raw.media_url : '',
      permalink: typeof raw.permalink === 'string' ? raw.permalink : '',
      timestamp: typeof raw.timestamp === 'string' ? raw.timestamp : '',
    }
    if (typeof raw.thumbnail_url === 'string') item.thumbnail_url = raw.thumbnail_url
    if (typeof raw.caption === 'string') item.caption = raw.caption
    items.push(item)
  }
  return items
}
