import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/background/handlers'
import { items } from '../../src/lib/storage'
import { fakeDeps, json, MEDIA, NOW, PROFILE, storedSession } from './fake-browser'

const cached = { data: { ...PROFILE, username: 'old.name' }, fetched_at: NOW - 1000 }

describe('refreshProfile', () => {
  it('revalidates with GET /me (Bearer) and /me/media?limit=6 and updates the cache', async () => {
    const { deps, calls, storage } = fakeDeps({ local: { session: storedSession(), profile: cached } })
    const reply = await createHandlers(deps).refreshProfile()
    expect(calls.fetch.map((c) => `${c.method} ${c.path} ${c.headers.Authorization}`).sort()).toEqual([
      'GET /me Bearer LONG',
      'GET /me/media?limit=6 Bearer LONG',
    ])
    expect(await items.profile.get(storage)).toEqual({ data: PROFILE, fetched_at: NOW })
    expect(reply.ok && reply.data.view).toEqual({ kind: 'connected', profile: PROFILE, media: MEDIA })
  })

  it('keeps the cached profile and asks to reconnect on invalid_token', async () => {
    const { deps, storage } = fakeDeps({
      local: { session: storedSession(), profile: cached },
      routes: {
        'GET /me': json(401, { error: 'invalid_token', error_description: 'Reconnect.' }),
        'GET /me/media': json(401, { error: 'invalid_token', error_description: 'Reconnect.' }),
      },
    })
    const reply = await createHandlers(deps).refreshProfile()
    expect(reply.ok && reply.data.view).toEqual({ kind: 'reconnect', profile: cached.data, reason: 'revoked' })
    expect(await items.profile.get(storage)).toEqual(cached)
    expect((await items.session.get(storage))?.needs_reconnect).toBe(true)
  })

  it('keeps the cache and reports other failures', async () => {
    const { deps, storage } = fakeDeps({
      local: { session: storedSession(), profile: cached },
      routes: { 'GET /me': json(502, { error: 'upstream_error', error_description: 'Instagram failed.' }) },
    })
    const reply = await createHandlers(deps).refreshProfile()
    expect(reply).toEqual({ ok: false, error: { code: 'upstream_error', message: 'Instagram failed.' } })
    expect(await items.profile.get(storage)).toEqual(cached)
    expect((await items.session.get(storage))?.needs_reconnect).toBeUndefined()
  })

  it('does not call the server without a usable session', async () => {
    for (const local of [{}, { session: storedSession({ needs_reconnect: true }) }, { session: storedSession({ expires_at: NOW - 1 }) }]) {
      const { deps, calls } = fakeDeps({ local })
      expect((await createHandlers(deps).refreshProfile()).ok).toBe(true)
      expect(calls.fetch).toEqual([])
    }
  })

  it('does not write back answers for a session that was replaced meanwhile', async () => {
    const { deps, storage } = fakeDeps({
      local: { session: storedSession() },
      routes: {
        'GET /me': () => {
          void items.session.set(storage, storedSession({ access_token: 'NEWER' }))
          return { status: 401, body: { error: 'invalid_token', error_description: 'x' } }
        },
      },
    })
    await createHandlers(deps).refreshProfile()
    const session = await items.session.get(storage)
    expect(session?.access_token).toBe('NEWER')
    expect(session?.needs_reconnect).toBeUndefined()
  })
})

describe('getState', () => {
  it('reports the view, the server URL and the redirect URL from storage alone', async () => {
    const { deps, calls } = fakeDeps({ local: { session: storedSession(), profile: { data: PROFILE, fetched_at: NOW } } })
    const reply = await createHandlers(deps).getState()
    expect(reply).toEqual({
      ok: true,
      data: {
        view: { kind: 'connected', profile: PROFILE, media: null },
        serverUrl: 'http://127.0.0.1:8787',
        redirectUri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/',
      },
    })
    expect(calls.fetch).toEqual([])
  })
})
