import { Hono } from 'hono'
import type { Context } from 'hono'
import type { EmulatorConfig } from './app'
import { FAULT_KINDS, UPSTREAM_ENDPOINTS } from './faults'
import type { FaultKind, UpstreamEndpoint } from './faults'
import { REDIRECT_TAMPERS } from './state'
import type { EmulatorSettings, EmulatorState, RedirectTamper } from './state'
import { findUser } from './users'

/**
 * The `/__emulator` admin hook: JSON in and out, no auth (a loopback tool for tests and demos).
 * It never touches upstream-call faults or the call log by itself.
 */
class AdminError extends Error {}

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

function settingsJson(settings: EmulatorSettings, state: EmulatorState): Record<string, unknown> {
  return {
    token_shape: settings.tokenShape,
    permissions_as: state.permissionsAs(),
    auto_approve: settings.autoApprove,
    latency_ms: settings.latencyMs,
    tamper_redirect: settings.tamperRedirect,
  }
}

export function createAdmin(state: EmulatorState, config: EmulatorConfig): Hono {
  const admin = new Hono()

  admin.onError((err, c) => {
    if (err instanceof AdminError) return c.json({ error: err.message }, 400)
    return c.json({ error: err.message }, 500)
  })

  admin.get('/', (c) =>
    c.json({
      client_id: config.clientId,
      redirect_uris: config.redirectUris,
      users: config.users.map((u) => ({ username: u.username, user_id: u.userId, account_type: u.accountType })),
      settings: settingsJson(state.settings, state),
      faults: state.faults.pending(),
      clock_offset_ms: state.clockOffsetMs,
    }),
  )

  admin.get('/users', (c) =>
    c.json({ users: config.users.map((u) => ({ username: u.username, user_id: u.userId, id: u.id, name: u.name, account_type: u.accountType, media_count: u.media.length })) }),
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
    state.faults.add({ kind: kind as FaultKind, count, delayMs, match: match as UpstreamEndpoint | undefined })
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
    if (username !== undefined && !findUser(username)) throw new AdminError(`No test user "${username}"`)
    const filter: { accessToken?: string; username?: string } = {}
    if (accessToken !== undefined) filter.accessToken = accessToken
    if (username !== undefined) filter.username = username
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
