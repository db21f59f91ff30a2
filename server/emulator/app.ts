import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { Context, MiddlewareHandler } from 'hono'
import { DEFAULT_REDIRECT_URIS } from '../extension-ids'
import { createAdmin } from './admin'
import { renderConsentPage, renderErrorPage } from './consent-page'
import { graphError, jsonResponse, oauthError } from './errors'
import { NO_ANSWER_LIMIT_MS, sleep } from './faults'
import type { UpstreamEndpoint } from './faults'
import { avatarUrl, createPictures, mediaUrl, PICTURES_PATH } from './pictures'
import { EmulatorState, LONG_TOKEN_TTL_S, REFRESH_MIN_AGE_MS } from './state'
import type { PermissionsAs, TokenCheck, TokenRecord, TokenShape } from './state'
import { findUser, TEST_USERS } from './users'
import type { TestMedia, TestUser } from './users'

export const DEFAULT_CLIENT_ID = '990602627938098'
export const DEFAULT_CLIENT_SECRET = 'emulator-secret-5f2b7c1e9a'
export const DEFAULT_APP_NAME = 'Instagram Connect'

/** Every path the emulator serves, in one place. Graph paths are also served under `/vNN.N`. */
export const EMULATOR_PATHS = Object.freeze({
  authorize: '/oauth/authorize',
  authorizeDecision: '/oauth/authorize/decision',
  token: '/oauth/access_token',
  longLived: '/access_token',
  refresh: '/refresh_access_token',
  profile: '/me',
  media: '/me/media',
  userNode: '/:node{[0-9]+}',
  userMedia: '/:node{[0-9]+}/media',
  graphVersionPrefix: '/:version{v[0-9]+\\.[0-9]+}',
  admin: '/__emulator',
  pictures: PICTURES_PATH,
})

/** Scopes of both APIs (Instagram Login and the retired Basic Display). */
export const KNOWN_SCOPES: readonly string[] = Object.freeze([
  'instagram_business_basic',
  'instagram_business_content_publish',
  'instagram_business_manage_messages',
  'instagram_business_manage_comments',
  'instagram_business_manage_insights',
  'user_profile',
  'user_media',
])

export interface EmulatorOptions {
  clientId?: string
  clientSecret?: string
  /** Registered redirect URIs, matched exactly. Default: the extension's two. */
  redirectUris?: readonly string[]
  /** Code-exchange success body: flat `{access_token,…}` or `{data:[{…}]}`. */
  tokenShape?: TokenShape
  /** Default: a string for `flat`, an array for `wrapped`. */
  permissionsAs?: PermissionsAs
  /** A username: `/oauth/authorize` redirects at once as that user (benchmarks). */
  autoApprove?: string | false
  /** Every upstream call waits this long first. */
  latencyMs?: number
  now?: () => number
  appName?: string
  /** One line per request (method, path, status, ms). Never given codes or tokens. */
  log?: (line: string) => void
}

export interface EmulatorConfig {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUris: readonly string[]
  readonly appName: string
  readonly users: readonly TestUser[]
}

export interface Emulator {
  readonly app: Hono
  readonly state: EmulatorState
  readonly config: EmulatorConfig
}

const PROFILE_FIELDS = Object.freeze([
  'id', 'user_id', 'username', 'name', 'account_type', 'profile_picture_url',
  'followers_count', 'follows_count', 'media_count', 'biography',
])
const MEDIA_FIELDS = Object.freeze([
  'id', 'caption', 'media_type', 'media_url', 'permalink', 'thumbnail_url', 'timestamp', 'username',
])
const BASIC_DISPLAY_SCOPES = new Set(['user_profile', 'user_media'])

function checkOptions(options: EmulatorOptions): void {
  if (options.redirectUris !== undefined && options.redirectUris.length === 0) {
    throw new TypeError('EmulatorOptions.redirectUris must list at least one redirect URI')
  }
  if (options.autoApprove && !findUser(options.autoApprove)) {
    throw new TypeError(`EmulatorOptions.autoApprove: no test user "${options.autoApprove}"`)
  }
  if (options.latencyMs !== undefined && !(options.latencyMs >= 0)) {
    throw new TypeError('EmulatorOptions.latencyMs must be a non-negative number')
  }
}

function origin(c: Context): string {
  return new URL(c.req.url).origin
}

function html(body: string, status: 200 | 400 = 200): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=UTF-8',
      // No form-action: Chrome applies it to the redirect that follows the POST.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'",
      'Cache-Control': 'no-store',
    },
  })
}

function splitScopes(raw: string): string[] {
  return raw.split(/[\s,]+/).filter(Boolean)
}

interface AuthorizeParams {
  clientId: string | undefined
  redirectUri: string | undefined
  responseType: string | undefined
  scope: string | undefined
  state: string | undefined
}

type AuthorizeCheck = { ok: true; redirectUri: string; scopes: string[] } | { ok: false; message: string }

function validateAuthorize(config: EmulatorConfig, p: AuthorizeParams): AuthorizeCheck {
  const invalid = (detail: string): AuthorizeCheck => ({
    ok: false,
    message: `Invalid Request: Request parameters are invalid: ${detail}`,
  })
  if (!p.clientId) return invalid('Missing client_id')
  if (p.clientId !== config.clientId) return invalid('Invalid platform app')
  if (!p.redirectUri) return invalid('Missing redirect_uri')
  if (!config.redirectUris.includes(p.redirectUri)) return invalid('Invalid redirect_uri')
  if (!p.responseType) return invalid('Missing response_type')
  if (p.responseType !== 'code') return invalid(`Invalid response_type: ${p.responseType}`)
  const scopes = splitScopes(p.scope ?? '')
  if (scopes.length === 0) return invalid('Missing scope')
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s))
  if (unknown.length > 0) return { ok: false, message: `Invalid Scopes: ${unknown.join(', ')}` }
  return { ok: true, redirectUri: p.redirectUri, scopes: [...new Set(scopes)] }
}

function withParams(redirectUri: string, params: Record<string, string | undefined>, hash?: string): string {
  const url = new URL(redirectUri)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  if (hash !== undefined) url.hash = hash
  return url.toString()
}

function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: source.id }
  for (const f of fields) if (source[f] !== undefined) out[f] = source[f]
  return out
}

function requestedFields(raw: string | undefined, known: readonly string[]): string[] {
  return splitScopes(raw ?? '').filter((f) => known.includes(f))
}

function bearer(c: Context): string | undefined {
  const query = c.req.query('access_token')
  if (query) return query
  const header = c.req.header('Authorization')
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null
  return match?.[1]
}

function tokenError(check: Extract<TokenCheck, { ok: false }>, now: number): Response {
  switch (check.reason) {
    case 'missing':
      return graphError({ message: 'An active access token must be used to query information about the current user.', code: 190 })
    case 'unknown':
      return graphError({ message: 'Invalid OAuth access token - Cannot parse access token', code: 190 })
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

function mediaNode(m: TestMedia, user: TestUser, base: string): Record<string, unknown> {
  return {
    id: m.id,
    caption: m.caption === '' ? undefined : m.caption,
    media_type: m.mediaType,
    media_url: mediaUrl(base, m.id),
    permalink: `https://www.instagram.com/p/${m.shortcode}/`,
    thumbnail_url: m.mediaType === 'VIDEO' ? mediaUrl(base, m.id) : undefined,
    timestamp: m.timestamp,
    username: user.username,
  }
}

function profileNode(record: TokenRecord, base: string): Record<string, unknown> {
  const user = record.user
  // Basic Display tokens see the Instagram user id as `id` (seed, Step 6); Instagram Login
  // tokens see an app-scoped `id` beside `user_id`.
  const basicDisplay = record.scopes.some((s) => BASIC_DISPLAY_SCOPES.has(s))
  return {
    id: basicDisplay ? user.userId : user.id,
    user_id: user.userId,
    username: user.username,
    name: user.name,
    account_type: user.accountType,
    profile_picture_url: avatarUrl(base, user.username),
    followers_count: user.followersCount,
    follows_count: user.followsCount,
    media_count: user.media.length,
    biography: user.biography,
  }
}

/**
 * Builds the emulator: one Hono app serving the authorize dialog, the token endpoint, the
 * Graph endpoints (bare and under `/vNN.N`), generated pictures and the `/__emulator` admin.
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  checkOptions(options)
  const config: EmulatorConfig = Object.freeze({
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    redirectUris: Object.freeze([...(options.redirectUris ?? DEFAULT_REDIRECT_URIS)]),
    appName: options.appName ?? DEFAULT_APP_NAME,
    users: TEST_USERS,
  })
  const state = new EmulatorState(
    {
      tokenShape: options.tokenShape ?? 'flat',
      permissionsAs: options.permissionsAs,
      autoApprove: options.autoApprove ?? false,
      latencyMs: options.latencyMs ?? 0,
      tamperRedirect: null,
    },
    options.now,
  )

  /** Records the call, applies latency and any pending fault, then lets the handler answer. */
  const upstream = (endpoint: UpstreamEndpoint): MiddlewareHandler => async (c, next) => {
    state.recordCall({ endpoint, method: c.req.method, path: c.req.path })
    const signal = AbortSignal.any([c.req.raw.signal, state.closing])
    if (state.settings.latencyMs > 0) await sleep(state.settings.latencyMs, signal)
    const fault = state.faults.take(endpoint)
    switch (fault?.kind) {
      case undefined:
        break
      case 'http500':
        return graphError({
          message: 'An unexpected error has occurred. Please retry your request later.',
          code: 2,
          type: 'OAuthException',
          isTransient: true,
          status: 500,
        })
      case 'non-json':
        return new Response('<html>oops</html>', { status: 200, headers: { 'Content-Type': 'text/html; charset=UTF-8' } })
      case 'no-answer':
        // Hold the request until the client gives up, the emulator closes, or 5 minutes pass.
        await sleep(NO_ANSWER_LIMIT_MS, signal)
        return graphError({ message: 'No answer (emulated fault).', code: 2, status: 504, isTransient: true })
      case 'delay':
        await sleep(fault.delayMs, signal)
        break
    }
    await next()
  }

  const app = new Hono()

  if (options.log) {
    const log = options.log
    app.use(async (c, next) => {
      const started = performance.now()
      await next()
      log(`${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms`)
    })
  }

  app.route(EMULATOR_PATHS.pictures, createPictures())
  app.route(EMULATOR_PATHS.admin, createAdmin(state, config))

  // --- Authorize dialog -------------------------------------------------------------------
  /** The consent redirect, misbehaving once if the admin asked for it (`tamper_redirect`). */
  const redirect = (redirectUri: string, params: Record<string, string | undefined>, hash?: string): Response => {
    let target = redirectUri
    const tampered = { ...params }
    switch (state.takeRedirectTamper()) {
      case null:
        break
      case 'wrong-state':
        tampered.state = `tampered-${randomBytes(16).toString('base64url')}`
        break
      case 'drop-state':
        delete tampered.state
        break
      case 'other-url':
        target = new URL('/tampered-redirect/', redirectUri).toString()
        break
    }
    return new Response(null, {
      status: 302,
      headers: { Location: withParams(target, tampered, hash), 'Cache-Control': 'no-store' },
    })
  }

  const approve = (redirectUri: string, user: TestUser, scopes: string[], clientId: string, st: string | undefined): Response => {
    const code = state.issueCode({ clientId, redirectUri, user, scopes })
    return redirect(redirectUri, { code: code.code, state: st }, '_')
  }

  app.get(EMULATOR_PATHS.authorize, (c) => {
    const params: AuthorizeParams = {
      clientId: c.req.query('client_id'),
      redirectUri: c.req.query('redirect_uri'),
      responseType: c.req.query('response_type'),
      scope: c.req.query('scope'),
      state: c.req.query('state'),
    }
    const check = validateAuthorize(config, params)
    if (!check.ok) return html(renderErrorPage(check.message), 400)
    // `force_reauth=true`: Instagram asks which account to use even when one is signed in, so
    // the consent page (with its account choice) shows even when auto-approve is on.
    const auto = state.settings.autoApprove && c.req.query('force_reauth') !== 'true' ? findUser(state.settings.autoApprove) : undefined
    if (auto) return approve(check.redirectUri, auto, check.scopes, config.clientId, params.state)
    const base = origin(c)
    return html(
      renderConsentPage({
        appName: config.appName,
        clientId: config.clientId,
        redirectUri: check.redirectUri,
        responseType: 'code',
        scopes: check.scopes,
        rawScope: params.scope ?? '',
        state: params.state,
        users: config.users,
        avatarUrl: (username) => avatarUrl(base, username),
        action: EMULATOR_PATHS.authorizeDecision,
      }),
    )
  })

  app.post(EMULATOR_PATHS.authorizeDecision, async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const str = (key: string): string | undefined => (typeof body[key] === 'string' ? (body[key] as string) : undefined)
    const params: AuthorizeParams = {
      clientId: str('client_id'),
      redirectUri: str('redirect_uri'),
      responseType: str('response_type') ?? 'code',
      scope: str('scope'),
      state: str('state'),
    }
    const check = validateAuthorize(config, params)
    if (!check.ok) return html(renderErrorPage(check.message), 400)
    if (str('decision') === 'cancel') {
      return redirect(check.redirectUri, {
        error: 'access_denied',
        error_reason: 'user_denied',
        error_description: 'The user denied your request',
        state: params.state,
      })
    }
    const user = findUser(str('username') ?? '')
    if (!user) return html(renderErrorPage('Choose an account to continue.'), 400)
    return approve(check.redirectUri, user, check.scopes, config.clientId, params.state)
  })

  // --- Code exchange (api.instagram.com) ---------------------------------------------------
  app.post(EMULATOR_PATHS.token, upstream('token'), async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const field = (key: string): string | undefined => {
      const value = body[key]
      return typeof value === 'string' && value !== '' ? value : undefined
    }
    for (const key of ['client_id', 'client_secret', 'grant_type', 'redirect_uri', 'code']) {
      if (!field(key)) return oauthError(`Missing required field ${key}`)
    }
    if (field('client_id') !== config.clientId) return oauthError('Invalid platform app')
    if (field('client_secret') !== config.clientSecret) return oauthError('Error validating client secret.')
    if (field('grant_type') !== 'authorization_code') return oauthError('Unsupported grant_type')
    // One try: the code is consumed even when this attempt fails on redirect_uri.
    const code = state.consumeCode(field('code') ?? '')
    if (!code || code.clientId !== config.clientId) return oauthError('Matching code was not found or was already used')
    if (code.redirectUri !== field('redirect_uri')) {
      return oauthError(
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      )
    }
    const token = state.issueToken('short', code.user, code.scopes)
    const permissions =
      state.permissionsAs() === 'string' ? JSON.stringify(code.scopes.join(',')) : JSON.stringify(code.scopes)
    // Built by hand so user_id stays an exact JSON number even above 2^53.
    const inner = `{"access_token":${JSON.stringify(token.token)},"user_id":${code.user.userId},"permissions":${permissions}}`
    return jsonResponse(state.settings.tokenShape === 'wrapped' ? `{"data":[${inner}]}` : inner)
  })

  // --- Graph (graph.instagram.com), bare and under /vNN.N ----------------------------------
  const graph = new Hono()

  const longLivedBody = (record: TokenRecord): Response =>
    jsonResponse(JSON.stringify({ access_token: record.token, token_type: 'bearer', expires_in: LONG_TOKEN_TTL_S }))

  graph.get(EMULATOR_PATHS.longLived, upstream('long-lived'), (c) => {
    const grantType = c.req.query('grant_type')
    if (grantType !== 'ig_exchange_token') {
      return graphError({ message: `Unsupported grant_type: ${grantType ?? '(missing)'}; expected ig_exchange_token`, code: 100 })
    }
    const secret = c.req.query('client_secret')
    if (!secret) return graphError({ message: 'Missing client_secret parameter.', code: 100 })
    if (secret !== config.clientSecret) return graphError({ message: 'Error validating client secret.', code: 101 })
    const check = state.checkToken(bearer(c))
    if (!check.ok) return tokenError(check, state.now())
    if (check.record.kind !== 'short') {
      return graphError({ message: 'Invalid parameter: only a short-lived access token can be exchanged.', code: 100 })
    }
    return longLivedBody(state.issueToken('long', check.record.user, check.record.scopes))
  })

  graph.get(EMULATOR_PATHS.refresh, upstream('refresh'), (c) => {
    const grantType = c.req.query('grant_type')
    if (grantType !== 'ig_refresh_token') {
      return graphError({ message: `Unsupported grant_type: ${grantType ?? '(missing)'}; expected ig_refresh_token`, code: 100 })
    }
    const check = state.checkToken(bearer(c))
    if (!check.ok) return tokenError(check, state.now())
    if (check.record.kind !== 'long') {
      return graphError({ message: 'Invalid parameter: only a long-lived access token can be refreshed.', code: 100 })
    }
    if (state.now() - check.record.issuedAt < REFRESH_MIN_AGE_MS) {
      return graphError({ message: 'Invalid parameter: the access token must be at least 24 hours old to be refreshed.', code: 100 })
    }
    return longLivedBody(state.issueToken('long', check.record.user, check.record.scopes))
  })

  const profile = (c: Context): Response => {
    const check = state.checkToken(bearer(c))
    if (!check.ok) return tokenError(check, state.now())
    const node = c.req.param('node')
    if (node !== undefined && node !== check.record.user.userId && node !== check.record.user.id) return unsupportedNode(node)
    return jsonResponse(JSON.stringify(pick(profileNode(check.record, origin(c)), requestedFields(c.req.query('fields'), PROFILE_FIELDS))))
  }

  const media = (c: Context): Response => {
    const check = state.checkToken(bearer(c))
    if (!check.ok) return tokenError(check, state.now())
    const node = c.req.param('node')
    if (node !== undefined && node !== check.record.user.userId && node !== check.record.user.id) return unsupportedNode(node)
    const user = check.record.user
    const rawLimit = Number(c.req.query('limit') ?? 25)
    const limit = Number.isInteger(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, 100) : 25
    const after = decodeCursor(c.req.query('after'))
    const start = after === undefined ? 0 : after + 1
    const page = user.media.slice(start, start + limit)
    const fields = requestedFields(c.req.query('fields'), MEDIA_FIELDS)
    const base = origin(c)
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

  graph.get(EMULATOR_PATHS.profile, upstream('profile'), profile)
  graph.get(EMULATOR_PATHS.media, upstream('media'), media)
  graph.get(EMULATOR_PATHS.userNode, upstream('profile'), profile)
  graph.get(EMULATOR_PATHS.userMedia, upstream('media'), media)

  app.route('/', graph)
  app.route(EMULATOR_PATHS.graphVersionPrefix, graph)

  app.notFound((c) =>
    graphError({ message: `Unknown path components: ${c.req.path}`, code: 2500, status: 404 }),
  )
  app.onError((err) =>
    graphError({ message: `An unexpected error has occurred: ${err.message}`, code: 1, status: 500 }),
  )

  return { app, state, config }
}

function unsupportedNode(node: string): Response {
  return graphError({
    message: `Unsupported get request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    code: 100,
    subcode: 33,
  })
}

function encodeCursor(index: number): string {
  return Buffer.from(`i:${index}`).toString('base64url')
}

function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined
  const match = /^i:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  return match?.[1] === undefined ? undefined : Number(match[1])
}
