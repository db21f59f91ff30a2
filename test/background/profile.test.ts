import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/background/handlers'
import { fakeDeps, json, localWith, MEDIA, NOW, PROFILE, SERVER, stored, storedAccount, USER } from './fake-browser'

const cached = { data: { ...PROFILE, username: 'old.name' }, fetched_at: NOW - 1000 }
const B = { id: '9876543210', username: 'small.shop' }
const withCache = (local: Record<string, unknown>) => ({ ...local, [`profile:${USER.id}`]: cached })

describe('refreshProfile', () => {
  it('revalidates the active account with GET /me (Bearer) and /me/media?limit=6 and updates its cache', async () => {
    const { deps, calls, storage } = fakeDeps({ local: withCache(localWith(storedAccount(), storedAccount({ user: B, access_token: 'B1' }))) })
    const reply = await createHandlers(deps).refreshProfile({})
    expect(calls.fetch.map((c) => `${c.method} ${c.path} ${c.headers.Authorization}`).sort()).toEqual([
      'GET /me Bearer LONG',
      'GET /me/media?limit=6 Bearer LONG',
    ])
    expect((await stored(storage)).profile).toEqual({ data: PROFILE, fetched_at: NOW })
    expect(storage.local.data.has(`profile:${B.id}`)).toBe(false)
    expect(reply.ok && reply.data.view).toEqual({ kind: 'connected', profile: PROFILE, media: MEDIA })
  })

  it('keeps the cached profile and marks that account alone for Reconnect on invalid_token', async () => {
    const { deps, storage } = fakeDeps({
      local: withCache(localWith(storedAccount(), storedAccount({ user: B, access_token: 'B1' }))),
      routes: {
        'GET /me': json(401, { error: 'invalid_token', error_description: 'Reconnect.' }),
        'GET /me/media': json(401, { error: 'invalid_token', error_description: 'Reconnect.' }),
      },
    })
    const reply = await createHandlers(deps).refreshProfile({})
    expect(reply.ok && reply.data.view).toMatchObject({ kind: 'reconnect', profile: cached.data, reason: 'revoked' })
    const now = await stored(storage)
    expect(now.profile).toEqual(cached)
    expect(now.account).toMatchObject({ needs_reconnect: true, reconnect: { code: 'invalid_token', message: 'Reconnect.' } })
    expect(now.accounts.list.find((e) => e.account.user.id === B.id)?.account).not.toHaveProperty('needs_reconnect')
  })

  it('names the missing permission on permission_missing', async () => {
    const message = 'Instagram did not grant instagram_business_basic. Reconnect and allow it.'
    const { deps } = fakeDeps({ local: localWith(storedAccount()), routes: { 'GET /me/media': json(403, { error: 'permission_missing', error_description: message }) } })
    const reply = await createHandlers(deps).refreshProfile({})
    expect(reply.ok && reply.data.view).toMatchObject({ kind: 'reconnect', reason: 'permission', account: { reconnect: { code: 'permission_missing', message } } })
  })

  it('keeps the cached profile when GET /me answers for another user than the account (newcomer review)', async () => {
    const { deps, storage } = fakeDeps({
      local: withCache(localWith(storedAccount())),
      routes: { 'GET /me': json(200, { ...PROFILE, id: B.id, username: B.username }) },
    })
    const reply = await createHandlers(deps).refreshProfile({})
    expect((await stored(storage)).profile).toEqual(cached)
    expect(reply.ok && reply.data.view).toMatchObject({ kind: 'connected', profile: { username: 'old.name' } })
  })

  it('keeps the cache and reports other failures', async () => {
    const { deps, storage } = fakeDeps({
      local: withCache(localWith(storedAccount())),
      routes: { 'GET /me': json(502, { error: 'upstream_error', error_description: 'Instagram failed.' }) },
    })
    const reply = await createHandlers(deps).refreshProfile({})
    expect(reply).toEqual({ ok: false, error: { code: 'upstream_error', message: 'Instagram failed.' } })
    expect((await stored(storage)).profile).toEqual(cached)
    expect((await stored(storage)).account?.needs_reconnect).toBeUndefined()
  })

  it('does not call any server without a usable account, nor another server than the one that issued the token', async () => {
    for (const local of [
      {},
      localWith(storedAccount({ needs_reconnect: true })),
      localWith(storedAccount({ expires_at: NOW - 1 })),
      { ...localWith(storedAccount()), serverUrl: 'http://127.0.0.1:9999' },
    ]) {
      const { deps, calls } = fakeDeps({ local })
      expect((await createHandlers(deps).refreshProfile({})).ok).toBe(true)
      expect(calls.fetch).toEqual([])
    }
  })

  it('does not write back answers for an account whose token was replaced meanwhile', async () => {
    const { deps, storage } = fakeDeps({
      local: localWith(storedAccount()),
      routes: {
        'GET /me': () => {
          void storage.local.set({ [`account:${USER.id}`]: storedAccount({ access_token: 'NEWER' }) })
          return { status: 401, body: { error: 'invalid_token', error_description: 'x' } }
        },
      },
    })
    await createHandlers(deps).refreshProfile({})
    const { account } = await stored(storage)
    expect(account?.access_token).toBe('NEWER')
    expect(account?.needs_reconnect).toBeUndefined()
  })
})

describe('getState', () => {
  it('reports the view, the server URL and the redirect URL from storage alone', async () => {
    const { deps, calls } = fakeDeps({ local: { ...localWith(storedAccount()), [`profile:${USER.id}`]: { data: PROFILE, fetched_at: NOW } } })
    const reply = await createHandlers(deps).getState({})
    expect(reply).toEqual({
      ok: true,
      data: {
        view: { kind: 'connected', profile: PROFILE, media: null },
        serverUrl: SERVER,
        redirectUri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/',
      },
    })
    expect(calls.fetch).toEqual([])
  })

  it('shows Reconnect for an account of another server, naming it', async () => {
    const { deps } = fakeDeps({ local: { ...localWith(storedAccount()), serverUrl: 'http://127.0.0.1:9999' } })
    const reply = await createHandlers(deps).getState({})
    expect(reply.ok && reply.data.view).toMatchObject({ kind: 'reconnect', reason: 'server', account: { server: SERVER } })
  })
})
