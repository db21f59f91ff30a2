import { Hono } from 'hono'
import type { Context } from 'hono'
import type { EmulatorConfig } from './config'
import { KNOWN_SCOPES } from './config'
import { FAULT_KINDS, UPSTREAM_ENDPOINTS } from './faults'
import type { FaultError, FaultKind, UpstreamEndpoint } from './faults'
import { REDIRECT_TAMPERS } from './state'
import type { EmulatorSettings, EmulatorState, RedirectTamper, UsageSetting } from './state'
import { findUser } from './users'

/**
 * The `/__emulator` admin hook: JSON in and out, no auth (a loopback tool for tests and demos).
 * It never touches upstream-call faults or the call log by itself.
 *
 * It answers only the machine it runs on (issue 14): the `Host` must be a loopback name (no DNS
 * rebinding), an `Origin` or `Sec-Fetch-Site` must say same-origin, and a POST must be
 * `Content-Type: application/json`, which a cross-site form or `text/plain` fetch cannot send
 * without a CORS preflight the hook never grants.
 */
class AdminError extends Error {
  constructor(message: string, readonly status: 400 | 403 | 415 = 400) {
    super(message)
  }
}

const LOOPBACK_HOST = /^(?:localhost|[\w-]+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i

/** Refuses requests from anywhere but a same-origin page or a non-browser client on this machine. */
function checkCaller(c: Context): void {
  const host = c.req.header('host') ?? ''
  if (!LOOPBACK_HOST.test(host)) throw new AdminError('The admin hook answers loopback hosts only.', 403)
  const origin = c.req.header('origin')
  if (origin !== undefined && origin !== `http://${host}`) throw new AdminError('The admin hook answers same-origin requests only.', 403)
  const site = c.req.header('sec-fetch-site')
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new AdminError('The admin hook answers same-origin requests only.', 403)
  if (c.req.method === 'POST') {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/json') throw new AdminError('Send the admin hook JSON, with Content-Type: application/json.', 415)
  }
}

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text()
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AdminError('Body must be JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AdminError('Body must be a JSON object')
  return parsed as Record<string, unknown>
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw new AdminError(`${key} must be a string`)
  return value
}

function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new AdminError(`${key} must be a non-negative number`)
  return value
}

function optionalInteger(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new AdminError(`${key} must be a whole number`)
  return value
}

/** `graph-error` / `oauth-error` fields: `code`, `error_subcode`, `type`, `is_transient`, `message`. */
function faultError(body: Record<string, unknown>): FaultError | undefined {
  const error: FaultError = {}
  const code = optionalInteger(body, 'code')
  if (code !== undefined) error.code = code
  const subcode = optionalInteger(body, 'error_subcode')
  if (subcode !== undefined) error.error_subcode = subcode
  const type = optionalString(body, 'type')
  if (type !== undefined) error.type = type
  const message = optionalString(body, 'message')
  if (message !== undefined) error.message = message
  if (body.is_transient !== undefined) {
    if (typeof body.is_transient !== 'boolean') throw new AdminError('is_transient must be true or false')
    error.is_transient = body.is_transient
  }
  return Object.keys(error).length > 0 ? error : undefined
}

function usageSetting(value: unknown): UsageSetting | null {
  if (value === null || value === false) return null
  if (typeof value !== 'object' || Array.isArray(value)) throw new AdminError('usage must be {"level":0-100+,"header":"app"|"business"|"both","estimated_time_to_regain_access":minutes} or null')
  const body = value as Record<string, unknown>
  const level = optionalNumber(body, 'level')
  if (level === undefined) throw new AdminError('usage.level is required')
  const header = optionalString(body, 'header') ?? 'both'
  if (header !== 'app' && header !== 'business' && header !== 'both') throw new AdminError('usage.header must be "app", "business" or "both"')
  const regainMinutes = optionalNumber(body, 'estimated_time_to_regain_access') ?? 0
  return { level, header, regainMinutes }
}

function settingsJson(settings: EmulatorSettings, state: EmulatorState): Record<string, unknown> {
  return {
    token_shape: settings.tokenShape,
    permissions_as: state.permissionsAs(),
    me_shape: settings.meShape,
    me_ids: settings.meIds,
    usage: settings.usage === null ? null : { level: settings.usage.level, header: settings.usage.header, estimated_time_to_regain_access: settings.usage.regainMinutes },
    auto_approve: settings.autoApprove,
    latency_ms: settings.latencyMs,
    tamper_redirect: settings.tamperRedirect,
  }
}

export function createAdmin(state: EmulatorState, config: EmulatorConfig): Hono {
  const admin = new Hono()

  admin.onError((err, c) => {
    if (err instanceof AdminError) return c.json({ error: err.message }, err.status)
    return c.json({ error: err.message }, 500)
  })
  admin.use(async (c, next) => {
    checkCaller(c)
    await next()
  })

  admin.get('/', (c) =>
    c.json({
      client_id: config.clientId,
      redirect_uris: config.redirectUris,
      users: config.users.map((u) => ({ username: u.username, user_id: u.userId, id: u.id, account_type: u.accountType })),
      settings: settingsJson(state.settings, state),
      faults: state.faults.pending(),
      clock_offset_ms: state.clockOffsetMs,
    }),
  )

  admin.get('/users', (c) =>
    c.json({ users: config.users.map((u) => ({ username: u.username, user_id: u.userId, id: u.id, legacy_instagram_user_id: u.legacyId, name: u.name, account_type: u.accountType, media_count: u.media.length })) }),
  )

  admin.get('/faults', (c) => c.json({ faults: state.faults.pending() }))

  admin.post('/faults', async (c) => {
    const body = await jsonBody(c)
    const kind = optionalString(body, 'kind')
    if (!kind || !FAULT_KINDS.includes(kind as FaultKind)) {
      throw new AdminError(`kind must be one of ${FAULT_KINDS.join(', ')}`)
    }
    const match = optionalString(body, 'match')
    if (match !== undefined && !UPSTREAM_ENDPOINTS.includes(match as UpstreamEndpoint)) {
      throw new AdminError(`match must be one of ${UPSTREAM_ENDPOINTS.join(', ')}`)
    }
    const count = optionalNumber(body, 'count')
    if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new AdminError('count must be a positive integer')
    const delayMs = optionalNumber(body, 'delay_ms')
    const status = optionalInteger(body, 'status')
    if (status !== undefined && (status < 200 || status > 599)) throw new AdminError('status must be an HTTP status from 200 to 599')
    const error = faultError(body)
    state.faults.add({ kind: kind as FaultKind, count, delayMs, match: match as UpstreamEndpoint | undefined, status, error })
    return c.json({ faults: state.faults.pending() }, 201)
  })

  admin.delete('/faults', (c) => {
    state.faults.clear()
    return c.json({ faults: [] })
  })

  admin.post('/revoke', async (c) => {
    const body = await jsonBody(c)
    const accessToken = optionalString(body, 'access_token')
    const username = optionalString(body, 'username')
    const permission = optionalString(body, 'permission')
    if (username !== undefined && !findUser(username)) throw new AdminError(`No test user "${username}"`)
    if (permission !== undefined && !KNOWN_SCOPES.includes(permission)) throw new AdminError(`permission must be one of ${KNOWN_SCOPES.join(', ')}`)
    const filter: { accessToken?: string; username?: string } = {}
    if (accessToken !== undefined) filter.accessToken = accessToken
    if (username !== undefined) filter.username = username
    // With `permission`, the token stays valid but loses that permission (the person removed it).
    if (permission !== undefined) return c.json({ revoked_permission: permission, tokens: state.revokePermission(permission, filter) })
    return c.json({ revoked: state.revoke(filter) })
  })

  admin.post('/clock', async (c) => {
    const body = await jsonBody(c)
    const advance = optionalNumber(body, 'advance_ms')
    if (advance === undefined) throw new AdminError('advance_ms is required')
    state.advanceClock(advance)
    return c.json({ offset_ms: state.clockOffsetMs, now: new Date(state.now()).toISOString() })
  })

  admin.post('/settings', async (c) => {
    const body = await jsonBody(c)
    const next: EmulatorSettings = { ...state.settings }
    const shape = optionalString(body, 'token_shape')
    if (shape !== undefined) {
      if (shape !== 'flat' && shape !== 'wrapped') throw new AdminError('token_shape must be "flat" or "wrapped"')
      next.tokenShape = shape
    }
    const permissionsAs = optionalString(body, 'permissions_as')
    if (permissionsAs !== undefined) {
      if (permissionsAs !== 'string' && permissionsAs !== 'array') throw new AdminError('permissions_as must be "string" or "array"')
      next.permissionsAs = permissionsAs
    }
    const meShape = optionalString(body, 'me_shape')
    if (meShape !== undefined) {
      if (meShape !== 'flat' && meShape !== 'wrapped') throw new AdminError('me_shape must be "flat" or "wrapped"')
      next.meShape = meShape
    }
    const meIds = optionalString(body, 'me_ids')
    if (meIds !== undefined) {
      if (meIds !== 'string' && meIds !== 'number') throw new AdminError('me_ids must be "string" or "number"')
      next.meIds = meIds
    }
    if ('usage' in body) next.usage = usageSetting(body.usage)
    if ('auto_approve' in body) {
      const auto = body.auto_approve
      if (auto === false || auto === null) next.autoApprove = false
      else if (typeof auto === 'string' && findUser(auto)) next.autoApprove = auto
      else throw new AdminError('auto_approve must be a test username or false')
    }
    const latency = optionalNumber(body, 'latency_ms')
    if (latency !== undefined) next.latencyMs = latency
    if ('tamper_redirect' in body) {
      const tamper = body.tamper_redirect
      if (tamper === null) next.tamperRedirect = null
      else if (typeof tamper === 'string' && REDIRECT_TAMPERS.includes(tamper as RedirectTamper)) next.tamperRedirect = tamper as RedirectTamper
      else throw new AdminError(`tamper_redirect must be one of ${REDIRECT_TAMPERS.join(', ')}, or null`)
    }
    state.settings = next
    return c.json(settingsJson(state.settings, state))
  })

  admin.get('/calls', (c) => c.json({ calls: state.calls }))
  admin.delete('/calls', (c) => {
    state.calls.length = 0
    return c.json({ calls: [] })
  })

  admin.post('/reset', (c) => {
    state.reset()
    return c.json({ ok: true })
  })

  return admin
}
