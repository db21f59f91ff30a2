import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/background/handlers'
import { items } from '../../src/lib/storage'
import { approve, cancel, fakeDeps, json, MEDIA, NOW, PROFILE, REDIRECT, SERVER, storedSession, USER } from './fake-browser'

describe('connect', () => {
  it('runs /config → authorize → state check → /token and saves the session and profile', async () => {
    const { deps, calls, storage } = fakeDeps()
    const reply = await createHandlers(deps).connect()

    expect(calls.authorize).toHaveLength(1)
    const authorize = new URL(calls.authorize[0]!)
    expect(authorize.origin + authorize.pathname).toBe('http://127.0.0.1:9000/oauth/authorize')
    expect(authorize.searchParams.get('client_id')).toBe('990602627938098')
    expect(authorize.searchParams.get('redirect_uri')).toBe(REDIRECT)
    expect(authorize.searchParams.get('scope')).toBe('instagram_business_basic')
    expect(authorize.searchParams.get('response_type')).toBe('code')
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const token = calls.fetch.find((c) => c.path === '/token')
    expect(token?.method).toBe('POST')
    expect(token?.body).toEqual({ code: 'CODE123', redirect_uri: REDIRECT })

    expect(await items.session.get(storage)).toEqual({
      access_token: 'LONG',
      token_type: 'bearer',
      issued_at: NOW,
      expires_at: NOW + 5_184_000_000,
      user: USER,
      permissions: ['instagram_business_basic'],
    })
    expect((await items.profile.get(storage))?.data).toEqual(PROFILE)
    expect((await items.media.get(storage))?.data).toEqual(MEDIA)
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
    expect(await items.pendingAuth.get(storage)).toBeNull()
    expect(reply).toEqual({ ok: true, data: { view: { kind: 'connected', profile: PROFILE, media: MEDIA }, serverUrl: SERVER, redirectUri: REDIRECT } })
  })

  it('keeps the pending state in storage.session while the window is open, and says it is waiting', async () => {
    const { deps, storage } = fakeDeps({
      consent: async (url) => {
        expect(await items.pendingAuth.get(storage)).toEqual({ state: url.searchParams.get('state'), redirect_uri: REDIRECT, started_at: NOW })
        expect(await items.flow.get(storage)).toEqual({ phase: 'authorizing', started_at: NOW })
        return approve(url)
      },
    })
    expect((await createHandlers(deps).connect()).ok).toBe(true)
  })

  it('reports Cancel on the consent page as cancelled and sends nothing to /token', async () => {
    const { deps, calls, storage } = fakeDeps({ consent: cancel })
    const reply = await createHandlers(deps).connect()
    expect(reply).toEqual({ ok: false, error: { code: 'cancelled', message: 'The user denied your request' } })
    expect(calls.fetch.map((c) => c.path)).toEqual(['/config'])
    expect(await items.flow.get(storage)).toEqual({
      phase: 'error',
      error: { code: 'cancelled', message: 'The user denied your request' },
      notice: {
        title: 'Connection cancelled',
        detail: 'You chose Cancel on the Instagram page, so nothing was connected. Connect again whenever you are ready.',
        next: ['retry'],
      },
      at: NOW,
    })
    expect(await items.pendingAuth.get(storage)).toBeNull()
  })

  it('reports a closed window (Chromium wording) as window_closed', async () => {
    const { deps } = fakeDeps({
      consent: async () => {
        throw new Error('The user did not approve access.')
      },
    })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('window_closed')
  })

  it('reports a closed window (Firefox wording) as window_closed', async () => {
    const { deps } = fakeDeps({
      consent: async () => {
        throw new Error('User cancelled or denied access.')
      },
    })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('window_closed')
  })

  it('reports an authorization page that did not load as auth_page_failed', async () => {
    const { deps } = fakeDeps({
      consent: async () => {
        throw new Error('Authorization page could not be loaded.')
      },
    })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('auth_page_failed')
  })

  it('ends on a wrong state without sending the code', async () => {
    const { deps, calls } = fakeDeps({ consent: async () => `${REDIRECT}?code=STOLEN&state=attacker#_` })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('state_mismatch')
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
  })

  it('ends on a missing state without sending the code', async () => {
    const { deps, calls } = fakeDeps({ consent: async () => `${REDIRECT}?code=STOLEN#_` })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('state_mismatch')
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
  })

  it('ends on a redirect to somewhere else', async () => {
    const { deps, calls } = fakeDeps({ consent: async (url) => `https://evil.example/?code=X&state=${url.searchParams.get('state')}` })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('invalid_redirect')
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
  })

  it('reports an unreachable server without opening a window', async () => {
    const { deps, calls, storage } = fakeDeps({ routes: { 'GET /config': () => 'network-error' } })
    const reply = await createHandlers(deps).connect()
    expect(reply).toEqual({ ok: false, error: { code: 'server_unreachable', message: `Could not reach ${SERVER}.` } })
    expect(calls.authorize).toEqual([])
    const state = await createHandlers(deps).getState()
    expect(state.ok && state.data.view).toMatchObject({ kind: 'error', error: { code: 'server_unreachable', message: `Could not reach ${SERVER}.` } })
    const view = state.ok ? state.data.view : null
    expect(view?.kind === 'error' && view.notice.detail).toContain(`Nothing answered at ${SERVER}.`)
    expect(await items.session.get(storage)).toBeNull()
  })

  it('stops before the consent page when the server does not allow the redirect URL', async () => {
    const { deps, calls, storage } = fakeDeps({
      routes: {
        'GET /config': json(200, { api: 'instagram-login', client_id: '1', authorize_url: 'http://127.0.0.1:9000/oauth/authorize', scope: ['s'], redirect_uris: ['https://other.chromiumapp.org/'] }),
      },
    })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('redirect_uri_not_allowed')
    expect(calls.authorize).toEqual([])
    const flow = await items.flow.get(storage)
    expect(flow.phase === 'error' && flow.notice.copy).toBe(REDIRECT)
  })

  it('passes the server’s redirect_uri_not_allowed from /token through', async () => {
    const { deps } = fakeDeps({ routes: { 'POST /token': json(400, { error: 'redirect_uri_not_allowed', error_description: 'Not allowed.' }) } })
    const reply = await createHandlers(deps).connect()
    expect(reply).toEqual({ ok: false, error: { code: 'redirect_uri_not_allowed', message: 'Not allowed.' } })
  })

  it.each(['invalid_grant', 'upstream_error', 'upstream_timeout', 'rate_limited'])('reports %s from /token and saves nothing', async (code) => {
    const { deps, storage } = fakeDeps({ routes: { 'POST /token': json(code === 'invalid_grant' ? 400 : 502, { error: code, error_description: 'd' }) } })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe(code)
    expect(await items.session.get(storage)).toBeNull()
    expect((await items.flow.get(storage)).phase).toBe('error')
  })

  it('asks for the host permission first when the server URL is not covered', async () => {
    const { deps, calls } = fakeDeps({ hostPermission: false, local: { serverUrl: 'https://connect.example.com' } })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('permission_required')
    expect(calls.fetch).toEqual([])
  })

  it('is not configured without a server URL', async () => {
    const { deps } = fakeDeps({ local: { serverUrl: '' } })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('not_configured')
    const state = await createHandlers(deps).getState()
    expect(state.ok && state.data.view).toEqual({ kind: 'not_configured' })
  })

  it('drops the answer of an attempt cancelled while the window was open', async () => {
    let handlers: ReturnType<typeof createHandlers> | undefined
    const { deps, calls, storage } = fakeDeps({
      consent: async (url) => {
        await handlers!.disconnect()
        return approve(url)
      },
    })
    handlers = createHandlers(deps)
    const reply = await handlers.connect()
    expect(reply.ok && reply.data.view).toEqual({ kind: 'disconnected' })
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
    expect(await items.session.get(storage)).toBeNull()
  })

  it('replaces a revoked session on reconnect and clears the flag', async () => {
    const { deps, storage } = fakeDeps({ local: { session: storedSession({ access_token: 'OLD', needs_reconnect: true }) } })
    expect((await createHandlers(deps).connect()).ok).toBe(true)
    const session = await items.session.get(storage)
    expect(session?.access_token).toBe('LONG')
    expect(session?.needs_reconnect).toBeUndefined()
  })
})

describe('disconnect', () => {
  it('forgets the session, profile, media and any error', async () => {
    const { deps, storage } = fakeDeps({
      local: { session: storedSession(), profile: { data: PROFILE, fetched_at: NOW }, media: { data: MEDIA, fetched_at: NOW } },
      session: { flow: { phase: 'error', error: { code: 'x', message: 'y' }, notice: { title: 't', detail: 'd', next: [] }, at: NOW } },
    })
    const reply = await createHandlers(deps).disconnect()
    expect(reply.ok && reply.data.view).toEqual({ kind: 'disconnected' })
    expect(storage.local.data.has('session')).toBe(false)
    expect(storage.local.data.has('profile')).toBe(false)
    expect(storage.local.data.has('media')).toBe(false)
    expect(storage.local.data.get('serverUrl')).toBeUndefined()
  })
})

describe('connect, twice at once', () => {
  it('runs one flow for two Connect clicks, and both get its outcome', async () => {
    let release: () => void = () => undefined
    const opened = new Promise<void>((done) => (release = done))
    const { deps, calls } = fakeDeps({
      consent: async (url) => {
        await opened
        return approve(url)
      },
    })
    const first = createHandlers(deps).connect()
    const second = createHandlers(deps).connect()
    release()
    const [a, b] = await Promise.all([first, second])
    expect(a).toEqual(b)
    expect(a.ok && a.data.view.kind).toBe('connected')
    expect(calls.authorize).toHaveLength(1)
    expect(calls.fetch.filter((c) => c.path === '/token')).toHaveLength(1)
  })

  it('starts a new flow after Cancel', async () => {
    let handlers: ReturnType<typeof createHandlers> | undefined
    let cancelled = false
    const { deps, calls } = fakeDeps({
      consent: async (url) => {
        if (!cancelled) {
          cancelled = true
          await handlers!.disconnect()
          return handlers!.connect().then(() => approve(url))
        }
        return approve(url)
      },
    })
    handlers = createHandlers(deps)
    await handlers.connect()
    expect(calls.authorize).toHaveLength(2)
  })
})

describe('connect, when the server URL changes meanwhile', () => {
  it('does not send the code to either server once the URL changed while the window was open', async () => {
    const { deps, calls, storage } = fakeDeps({
      consent: async (url) => {
        await items.serverUrl.set(storage, 'http://127.0.0.1:9999')
        return approve(url)
      },
    })
    const reply = await createHandlers(deps).connect()
    expect(reply).toEqual({ ok: false, error: { code: 'server_changed', message: `The server URL changed from ${SERVER} during the sign-in.` } })
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
    expect(await items.session.get(storage)).toBeNull()
    expect(await items.flow.get(storage)).toMatchObject({ phase: 'error', notice: { title: 'The server changed during the sign-in' } })
  })

  it('does not store a token that arrived from the old server after the URL changed', async () => {
    const { deps, storage } = fakeDeps({
      routes: {
        'POST /token': () => {
          void items.serverUrl.set(storage, 'http://127.0.0.1:9999')
          return { status: 200, body: { access_token: 'LONG', token_type: 'bearer', expires_in: 5_184_000, user: USER, permissions: [] } }
        },
      },
    })
    const reply = await createHandlers(deps).connect()
    expect(reply.ok === false && reply.error.code).toBe('server_changed')
    expect(await items.session.get(storage)).toBeNull()
  })
})
