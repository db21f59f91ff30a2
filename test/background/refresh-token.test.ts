import { describe, expect, it } from 'vitest'
import { ensureRefreshAlarm, refreshTokenIfDue } from '../../src/background/refresh-token'
import { items } from '../../src/lib/storage'
import { fakeDeps, json, NOW } from './fake-browser'

const DAY = 86_400_000
const due = { access_token: 'LONG', token_type: 'bearer', issued_at: NOW - 54 * DAY, expires_at: NOW + 6 * DAY, user: { id: '1', username: 'u' }, permissions: [] }

describe('refreshTokenIfDue', () => {
  it('refreshes a long-lived token over 24 h old expiring within 7 days', async () => {
    const { deps, calls, storage } = fakeDeps({ local: { session: due } })
    expect(await refreshTokenIfDue(deps)).toBe('refreshed')
    expect(calls.fetch).toEqual([{ method: 'POST', path: '/refresh', body: { access_token: 'LONG' }, headers: expect.any(Object) }])
    expect(await items.session.get(storage)).toEqual({ ...due, access_token: 'REFRESHED', issued_at: NOW, expires_at: NOW + 60 * DAY })
  })

  it('leaves a token that is not due', async () => {
    const { deps, calls } = fakeDeps({ local: { session: { ...due, issued_at: NOW - 2 * DAY, expires_at: NOW + 58 * DAY } } })
    expect(await refreshTokenIfDue(deps)).toBe('not_due')
    expect(calls.fetch).toEqual([])
  })

  it('does nothing without a session', async () => {
    const { deps, calls } = fakeDeps()
    expect(await refreshTokenIfDue(deps)).toBe('not_due')
    expect(calls.fetch).toEqual([])
  })

  it('marks the session for Reconnect on invalid_token', async () => {
    const { deps, storage } = fakeDeps({ local: { session: due }, routes: { 'POST /refresh': json(401, { error: 'invalid_token', error_description: 'x' }) } })
    expect(await refreshTokenIfDue(deps)).toBe('needs_reconnect')
    expect(await items.session.get(storage)).toEqual({ ...due, needs_reconnect: true })
  })

  it('keeps the session on other failures, for the next alarm', async () => {
    const { deps, storage } = fakeDeps({ local: { session: due }, routes: { 'POST /refresh': () => 'network-error' } })
    expect(await refreshTokenIfDue(deps)).toBe('failed')
    expect(await items.session.get(storage)).toEqual(due)
  })
})

describe('ensureRefreshAlarm', () => {
  it('creates the daily refresh-token alarm when it is missing', async () => {
    const { deps, calls } = fakeDeps()
    await ensureRefreshAlarm(deps)
    expect(calls.alarms).toEqual([{ name: 'refresh-token', info: { periodInMinutes: 1440 } }])
  })

  it('leaves an existing alarm alone, unless asked to replace it', async () => {
    const { deps, calls } = fakeDeps({ alarmExists: true })
    await ensureRefreshAlarm(deps)
    expect(calls.alarms).toEqual([])
    await ensureRefreshAlarm(deps, true)
    expect(calls.alarms).toEqual([{ name: 'refresh-token', info: { periodInMinutes: 1440 } }])
  })
})
