import { describe, expect, it } from 'vitest'
import { ensureRefreshAlarm, refreshTokensIfDue } from '../../src/background/refresh-token'
import { fakeDeps, json, localWith, NOW, stored, storedAccount, type Route } from './fake-browser'

const DAY = 86_400_000
const user = (id: string) => ({ id, username: `u${id}` })
const due = (id: string, over: Record<string, unknown> = {}) =>
  storedAccount({ access_token: `T${id}`, issued_at: NOW - 54 * DAY, expires_at: NOW + 6 * DAY, user: user(id), ...over })
const accountOf = async (storage: Parameters<typeof stored>[0], id: string) => (await stored(storage)).accounts.list.find((e) => e.account.user.id === id)?.account

describe('refreshTokensIfDue', () => {
  it('refreshes a long-lived token over 24 h old expiring within 7 days', async () => {
    const { deps, calls, storage } = fakeDeps({ local: localWith(due('1')) })
    expect(await refreshTokensIfDue(deps)).toEqual({ 1: 'refreshed' })
    expect(calls.fetch).toEqual([{ method: 'POST', path: '/refresh', body: { access_token: 'T1' }, headers: expect.any(Object) }])
    expect(await accountOf(storage, '1')).toEqual({ ...due('1'), access_token: 'REFRESHED', issued_at: NOW, expires_at: NOW + 60 * DAY })
  })

  it('leaves a token that is not due, and does nothing without accounts', async () => {
    const { deps, calls } = fakeDeps({ local: localWith(due('1', { issued_at: NOW - 2 * DAY, expires_at: NOW + 58 * DAY })) })
    expect(await refreshTokensIfDue(deps)).toEqual({ 1: 'not_due' })
    const empty = fakeDeps()
    expect(await refreshTokensIfDue(empty.deps)).toEqual({})
    expect([...calls.fetch, ...empty.calls.fetch]).toEqual([])
  })

  it('refreshes every due account; one failing stops none of the others, and each is marked alone', async () => {
    const answers: Record<string, ReturnType<Route>> = {
      T1: { status: 200, body: { access_token: 'R1', token_type: 'bearer', expires_in: 5_184_000 } },
      T2: { status: 401, body: { error: 'invalid_token', error_description: 'revoked' } },
      T3: 'network-error',
      T4: { status: 403, body: { error: 'permission_missing', error_description: 'no basic' } },
      T5: { status: 200, body: { access_token: 'R5', token_type: 'bearer', expires_in: 5_184_000 } },
    }
    const refresh: Route = ({ body }) => answers[(body as { access_token: string }).access_token]!
    const notDue = storedAccount({ access_token: 'T6', user: user('6') })
    const { deps, calls, storage } = fakeDeps({
      local: localWith(due('1'), due('2'), due('3'), due('4'), due('5'), notDue, due('7', { needs_reconnect: true })),
      routes: { 'POST /refresh': refresh },
    })
    expect(await refreshTokensIfDue(deps)).toEqual({ 1: 'refreshed', 2: 'needs_reconnect', 3: 'failed', 4: 'needs_reconnect', 5: 'refreshed', 6: 'not_due', 7: 'not_due' })
    expect(calls.fetch.map((c) => (c.body as { access_token: string }).access_token)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5'])
    expect((await accountOf(storage, '1'))?.access_token).toBe('R1')
    expect(await accountOf(storage, '2')).toMatchObject({ access_token: 'T2', needs_reconnect: true, reconnect: { code: 'invalid_token' } })
    expect(await accountOf(storage, '3')).toEqual(due('3'))
    expect(await accountOf(storage, '4')).toMatchObject({ needs_reconnect: true, reconnect: { code: 'permission_missing', message: 'no basic' } })
    expect((await accountOf(storage, '5'))?.access_token).toBe('R5')
    expect(await accountOf(storage, '6')).toEqual(notDue)
  })

  it('sends each token to the server that issued it, and leaves accounts of another server than the saved one', async () => {
    const { deps, calls } = fakeDeps({ local: { ...localWith(due('1'), due('2', { server: 'https://old.example' })) } })
    expect(await refreshTokensIfDue(deps)).toEqual({ 1: 'refreshed', 2: 'not_due' })
    expect(calls.origins).toEqual(['POST http://127.0.0.1:8787/refresh'])
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
