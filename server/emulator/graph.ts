import { Hono } from 'hono'
import type { Context } from 'hono'
import { EMULATOR_PATHS, type EmulatorConfig } from './config'
import { graphError, jsonResponse } from './errors'
import { accessToken, requestOrigin } from './http'
import { avatarUrl, mediaUrl } from './pictures'
import { LONG_TOKEN_TTL_S, REFRESH_MIN_AGE_MS } from './state'
import type { EmulatorState, TokenCheck, TokenRecord } from './state'
import { upstreamCall } from './upstream'
import type { TestMedia, TestUser } from './users'

/**
 * Graph (`graph.instagram.com`): the long-lived exchange, refresh, `/me` and `/me/media`, bare
 * and under `/vNN.N` (the token paths only bare: a versioned one is refused with code 100, as
 * Instagram does). Errors are Graph's `{"error":{…}}`, `IGApiException` without `error_subcode`
 * where Instagram answers so.
 */

const PROFILE_FIELDS = Object.freeze([
  'id', 'user_id', 'username', 'name', 'account_type', 'profile_picture_url',
  'followers_count', 'follows_count', 'media_count', 'biography', 'legacy_instagram_user_id',
])
const MEDIA_FIELDS = Object.freeze([
  'id', 'caption', 'media_type', 'media_url', 'permalink', 'thumbnail_url', 'timestamp', 'username',
])
const BASIC_DISPLAY_SCOPES = new Set(['user_profile', 'user_media'])
/** The permission each read needs, by API. */
const READ_PERMISSIONS: Readonly<Record<'profile' | 'media', readonly string[]>> = {
  profile: ['instagram_business_basic', 'user_profile'],
  media: ['instagram_business_basic', 'user_media'],
}

function splitList(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).filter(Boolean)
}

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: source.id }
  for (const f of fields) if (source[f] !== undefined) out[f] = source[f]
  return out
}

function tokenError(check: Extract<TokenCheck, { ok: false }>, now: number): Response {
  switch (check.reason) {
    case 'missing':
      return graphError({ message: 'An active access token must be used to query information about the current user.', code: 190, type: 'IGApiException' })
    case 'unknown':
      return graphError({ message: 'Invalid OAuth access token - Cannot parse access token', code: 190, type: 'IGApiException' })
    case 'revoked':
      return graphError({
        message: 'Error validating access token: The session has been invalidated because the user changed their password or Instagram has changed the session for security reasons.',
        code: 190,
        subcode: 460,
      })
    case 'expired':
      return graphError({
        message: `Error validating access token: Session has expired on ${new Date(check.record?.expiresAt ?? now).toUTCString()}. The current time is ${new Date(now).toUTCString()}.`,
        code: 190,
        subcode: 463,
      })
  }
}

function isBasicDisplay(record: TokenRecord): boolean {
  return record.scopes.some((s) => BASIC_DISPLAY_SCOPES.has(s))
}

function mediaNode(m: TestMedia, user: TestUser, base: string): Record<string, unknown> {
  const video = m.mediaType === 'VIDEO'
  return {
    id: m.id,
    caption: m.caption === '' ? undefined : m.caption,
    media_type: m.mediaType,
    // Omitted for videos with licensed audio, the owner's own included (INSTAGRAM-TODAY.md §5).
    media_url: m.licensedAudio ? undefined : mediaUrl(base, m.id),
    permalink: `https://www.instagram.com/p/${m.shortcode}/`,
    thumbnail_url: video && !m.noThumbnail ? mediaUrl(base, m.id) : undefined,
    timestamp: m.timestamp,
    username: user.username,
  }
}

function profileNode(record: TokenRecord, base: string, basicDisplay: boolean): Record<string, unknown> {
  const user = record.user
  // Basic Display tokens see the Instagram user id as `id` (seed, Step 6); Instagram Login
  // tokens see an app-scoped `id` beside the professional `user_id`.
  return {
    id: basicDisplay ? user.userId : user.id,
    user_id: basicDisplay ? undefined : user.userId,
    username: user.username,
    name: user.name,
    account_type: user.accountType,
    profile_picture_url: user.hasProfilePicture ? avatarUrl(base, user.username) : undefined,
    followers_count: user.followersCount,
    follows_count: user.followsCount,
    media_count: user.media.length,
    biography: user.biography,
    legacy_instagram_user_id: user.legacyId,
  }
}

function unsupportedNode(node: string): Response {
  return graphError({
    message: `Unsupported get request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    code: 100,
    subcode: 33,
  })
}

/** A token path asked under a version: Instagram refuses it (openreply#31). */
function versionedTokenPath(c: Context): Response | undefined {
  const version = c.req.param('version')
  if (version === undefined) return undefined
  return graphError({ message: `Unsupported request - method type: get (/${version}${c.req.path.replace(/^\/v[0-9.]+/, '')})`, code: 100, type: 'IGApiException' })
}

function missingPermission(record: TokenRecord, read: 'profile' | 'media'): Response | undefined {
  const needed = READ_PERMISSIONS[read]
  if (record.scopes.some((s) => needed.includes(s))) return undefined
  const permission = isBasicDisplay(record) ? needed[1] : needed[0]
  return graphError({ message: `(#10) Application does not have permission for this action: the ${permission} permission is not granted`, code: 10, type: 'IGApiException' })
}

function encodeCursor(index: number): string {
  return Buffer.from(`i:${index}`).toString('base64url')
}

function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined
  const match = /^i:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  return match?.[1] === undefined ? undefined : Number(match[1])
}

/** The Graph routes, without the version prefix (./app mounts them bare and under `/vNN.N`). */
export function graphRoutes(state: EmulatorState, config: EmulatorConfig): Hono {
  const graph = new Hono()

  const longLivedBody = (record: TokenRecord): Response =>
    jsonResponse(JSON.stringify({ access_token: record.token, token_type: 'bearer', expires_in: LONG_TOKEN_TTL_S }))

  graph.get(EMULATOR_PATHS.longLived, upstreamCall(state, 'long-lived'), (c) => {
    const versioned = versionedTokenPath(c)
    if (versioned) return versioned
    const grantType = c.req.query('grant_type')
    if (grantType !== 'ig_exchange_token') {
      return graphError({ message: `Unsupported grant_type: ${grantType ?? '(missing)'}; expected ig_exchange_token`, code: 100 })
    }
    const secret = c.req.query('client_secret')
    if (!secret) return graphError({ message: 'Missing client_secret parameter.', code: 100 })
    if (secret !== config.clientSecret) return graphError({ message: 'Error validating client secret.', code: 101 })
    const check = state.checkToken(accessToken(c))
    if (!check.ok) return tokenError(check, state.now())
    if (check.record.kind !== 'short') {
      return graphError({ message: 'Invalid parameter: only a short-lived access token can be exchanged.', code: 100 })
    }
    return longLivedBody(state.issueToken('long', check.record.user, check.record.scopes))
  })

  graph.get(EMULATOR_PATHS.refresh, upstreamCall(state, 'refresh'), (c) => {
    const versioned = versionedTokenPath(c)
    if (versioned) return versioned
    const grantType = c.req.query('grant_type')
    if (grantType !== 'ig_refresh_token') {
      return graphError({ message: `Unsupported grant_type: ${grantType ?? '(missing)'}; expected ig_refresh_token`, code: 100 })
    }
    const check = state.checkToken(accessToken(c))
    if (!check.ok) return tokenError(check, state.now())
    if (check.record.kind !== 'long') {
      return graphError({ message: 'Invalid parameter: only a long-lived access token can be refreshed.', code: 100 })
    }
    if (state.now() - check.record.issuedAt < REFRESH_MIN_AGE_MS) {
      return graphError({ message: 'Invalid parameter: the access token must be at least 24 hours old to be refreshed.', code: 100 })
    }
    return longLivedBody(state.issueToken('long', check.record.user, check.record.scopes))
  })

  const owner = (c: Context, read: 'profile' | 'media'): { record: TokenRecord } | { refused: Response } => {
    const check = state.checkToken(accessToken(c))
    if (!check.ok) return { refused: tokenError(check, state.now()) }
    const node = c.req.param('node')
    const user = check.record.user
    if (node !== undefined && node !== user.userId && node !== user.id) return { refused: unsupportedNode(node) }
    const missing = missingPermission(check.record, read)
    if (missing) return { refused: missing }
    return { record: check.record }
  }

  const profile = (c: Context): Response => {
    const found = owner(c, 'profile')
    if ('refused' in found) return found.refused
    const basicDisplay = isBasicDisplay(found.record)
    const fields = splitList(c.req.query('fields'))
    // A field this account cannot have fails the whole call (INSTAGRAM-TODAY.md §4).
    const unavailable = fields.filter((f) => !PROFILE_FIELDS.includes(f) || (basicDisplay && f === 'user_id'))
    if (unavailable.length > 0) {
      return graphError({ message: `Tried accessing nonexisting field (${unavailable[0]}) on node type (User)`, code: 100, type: 'IGApiException' })
    }
    const node = pick(profileNode(found.record, requestOrigin(c), basicDisplay), fields)
    let text = JSON.stringify(state.settings.meShape === 'wrapped' ? { data: [node] } : node)
    // Ids as bare JSON numbers, exact even above 2^53 (what JSON.stringify of a number cannot do).
    if (state.settings.meIds === 'number') text = text.replace(/"(id|user_id|legacy_instagram_user_id)":"(\d+)"/g, '"$1":$2')
    return jsonResponse(text)
  }

  const media = (c: Context): Response => {
    const found = owner(c, 'media')
    if ('refused' in found) return found.refused
    const user = found.record.user
    const rawLimit = Number(c.req.query('limit') ?? 25)
    const limit = Number.isInteger(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, 100) : 25
    const after = decodeCursor(c.req.query('after'))
    const start = after === undefined ? 0 : after + 1
    const page = user.media.slice(start, start + limit)
    const fields = splitList(c.req.query('fields')).filter((f) => MEDIA_FIELDS.includes(f))
    const base = requestOrigin(c)
    const body: Record<string, unknown> = { data: page.map((m) => pick(mediaNode(m, user, base), fields)) }
    if (page.length > 0) {
      const paging: Record<string, unknown> = {
        cursors: { before: encodeCursor(start), after: encodeCursor(start + page.length - 1) },
      }
      if (start + page.length < user.media.length) {
        const next = new URL(c.req.url)
        next.searchParams.set('limit', String(limit))
        next.searchParams.set('after', encodeCursor(start + page.length - 1))
        paging.next = next.toString()
      }
      body.paging = paging
    }
    return jsonResponse(JSON.stringify(body))
  }

  graph.get(EMULATOR_PATHS.profile, upstreamCall(state, 'profile'), profile)
  graph.get(EMULATOR_PATHS.media, upstreamCall(state, 'media'), media)
  graph.get(EMULATOR_PATHS.userNode, upstreamCall(state, 'profile'), profile)
  graph.get(EMULATOR_PATHS.userMedia, upstreamCall(state, 'media'), media)
  return graph
}
