import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { EMULATOR_PATHS, KNOWN_SCOPES, type EmulatorConfig } from './config'
import { renderConsentPage, renderErrorPage } from './consent-page'
import { htmlResponse, requestOrigin } from './http'
import { avatarUrl } from './pictures'
import type { EmulatorState } from './state'
import { findUser } from './users'
import type { TestUser } from './users'

/**
 * The authorize dialog (`www.instagram.com/oauth/authorize`): validates the request, shows the
 * consent page (test users to pick, Authorize and Cancel) and redirects with `?code=…#_` or the
 * `access_denied` parameters, passing `state`.
 *
 * Like Instagram, it remembers who signed in (a cookie): a later request without
 * `force_reauth=true` goes straight back as that account, so only `force_reauth=true` lets the
 * person choose another one (INSTAGRAM-TODAY.md §1 and §10, "Account switching").
 */

/** The cookie that stands for being signed in to Instagram in this browser. */
export const SIGNED_IN_COOKIE = 'ig_emulator_signed_in'

interface AuthorizeParams {
  clientId: string | undefined
  redirectUri: string | undefined
  responseType: string | undefined
  scope: string | undefined
  state: string | undefined
}

type AuthorizeCheck = { ok: true; redirectUri: string; scopes: string[] } | { ok: false; message: string }

function splitScopes(raw: string): string[] {
  return raw.split(/[\s,]+/).filter(Boolean)
}

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

/** The authorize and decision routes. */
export function authorizeRoutes(state: EmulatorState, config: EmulatorConfig): Hono {
  const app = new Hono()

  /** The consent redirect, misbehaving once if the admin asked for it (`tamper_redirect`). */
  const redirect = (redirectUri: string, params: Record<string, string | undefined>, hash?: string, cookie?: string): Response => {
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
    const headers = new Headers({ Location: withParams(target, tampered, hash), 'Cache-Control': 'no-store' })
    if (cookie !== undefined) headers.append('Set-Cookie', cookie)
    return new Response(null, { status: 302, headers })
  }

  const approve = (redirectUri: string, user: TestUser, scopes: string[], st: string | undefined, cookie?: string): Response => {
    const code = state.issueCode({ clientId: config.clientId, redirectUri, user, scopes })
    return redirect(redirectUri, { code: code.code, state: st }, '_', cookie)
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
    if (!check.ok) return htmlResponse(renderErrorPage(check.message), 400)
    const auto = state.settings.autoApprove ? findUser(state.settings.autoApprove) : undefined
    if (auto) return approve(check.redirectUri, auto, check.scopes, params.state)
    const forceReauth = c.req.query('force_reauth') === 'true'
    const signedIn = findUser(getCookie(c, SIGNED_IN_COOKIE) ?? '')
    if (signedIn && !forceReauth) return approve(check.redirectUri, signedIn, check.scopes, params.state)
    const base = requestOrigin(c)
    return htmlResponse(
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
        forceReauth,
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
    if (!check.ok) return htmlResponse(renderErrorPage(check.message), 400)
    if (str('decision') === 'cancel') {
      return redirect(check.redirectUri, {
        error: 'access_denied',
        error_reason: 'user_denied',
        error_description: 'The user denied your request',
        state: params.state,
      })
    }
    const user = findUser(str('username') ?? '')
    if (!user) return htmlResponse(renderErrorPage('Choose an account to continue.'), 400)
    const cookie = `${SIGNED_IN_COOKIE}=${encodeURIComponent(user.username)}; Path=/; HttpOnly; SameSite=Lax`
    return approve(check.redirectUri, user, check.scopes, params.state, cookie)
  })

  return app
}
