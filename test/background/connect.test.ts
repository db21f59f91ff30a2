import { describe, expect, it } from 'vitest'
import { createHandlers } from '../../src/background/handlers'
import { items } from '../../src/lib/storage'
import { approve, cancel, defaultRoutes, fakeDeps, json, localWith, MEDIA, NOW, PROFILE, REDIRECT, SERVER, stored, storedAccount, storedSession, USER } from './fake-browser'

describe('connect', () => {
  it('runs /config → authorize → state check → /token and saves the session and profile', async () => {
    const { deps, calls, storage } = fakeDeps()
    const reply = await createHandlers(deps).connect({})

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

    expect((await stored(storage)).account).toEqual({
      access_token: 'LONG',
      token_type: 'bearer',
      issued_at: NOW,
      expires_at: NOW + 5_184_000_000,
      user: USER,
      permissions: ['instagram_business_basic'],
      server: SERVER,
      client_id: '990602627938098',
      added_at: NOW,
    })
    expect(storage.local.data.get('schemaVersion')).toBe(2)
    expect(storage.local.data.get('accountOrder')).toEqual([USER.id])
    expect((await stored(storage)).profile?.data).toEqual(PROFILE)
    expect((await stored(storage)).media?.data).toEqual(MEDIA)
    expect(await items.flow.get(storage)).toEqual({ phase: 'idle' })
    expect(await items.pendingAuth.get(storage)).toBeNull()
    expect(reply).toEqual({ ok: true, data: { view: { kind: 'connected', profile: PROFILE, media: MEDIA }, serverUrl: SERVER, redirectUri: REDIRECT } })
  })

  it('keeps the pending state in storage.session while the window is open, and says it is waiting', async () => {
    const { deps, storage } = fakeDeps({
      consent: async (url) => {
        expect(await items.pendingAuth.get(storage)).toEqual({ state: url.searchParams.get('state'), redirect_uri: REDIRECT, started_at: NOW, server: SERVER })
        expect(await items.flow.get(storage)).toEqual({ phase: 'authorizing', started_at: NOW })
        return approve(url)
      },
    })
    expect((await createHandlers(deps).connect({})).ok).toBe(true)
  })

  it('reports Cancel on the consent page as cancelled and sends nothing to /token', async () => {
    const { deps, calls, storage } = fakeDeps({ consent: cancel })
    const reply = await createHandlers(deps).connect({})
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

  it.each([
    ['a closed window (Chromium wording)', 'The user did not approve access.', 'window_closed'],
    ['a closed window (Firefox wording)', 'User cancelled or denied access.', 'window_closed'],
    ['an authorization page that did not load', 'Authorization page could not be loaded.', 'auth_page_failed'],
  ])('reports %s as %s', async (_, message, code) => {
    const { deps } = fakeDeps({
      consent: async () => {
        throw new Error(message)
      },
    })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe(code)
  })

  it('ends on a wrong state without sending the code', async () => {
    const { deps, calls } = fakeDeps({ consent: async () => `${REDIRECT}?code=STOLEN&state=attacker#_` })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe('state_mismatch')
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
  })

  it('ends on a missing state without sending the code', async () => {
    const { deps, calls } = fakeDeps({ consent: async () => `${REDIRECT}?code=STOLEN#_` })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe('state_mismatch')
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
  })

  it('ends on a redirect to somewhere else', async () => {
    const { deps, calls } = fakeDeps({ consent: async (url) => `https://evil.example/?code=X&state=${url.searchParams.get('state')}` })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe('invalid_redirect')
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
  })

  it('reports an unreachable server without opening a window', async () => {
    const { deps, calls, storage } = fakeDeps({ routes: { 'GET /config': () => 'network-error' } })
    const reply = await createHandlers(deps).connect({})
    expect(reply).toEqual({ ok: false, error: { code: 'server_unreachable', message: `Could not reach ${SERVER}.` } })
    expect(calls.authorize).toEqual([])
    const state = await createHandlers(deps).getState({})
    expect(state.ok && state.data.view).toMatchObject({ kind: 'error', error: { code: 'server_unreachable', message: `Could not reach ${SERVER}.` } })
    const view = state.ok ? state.data.view : null
    expect(view?.kind === 'error' && view.notice.detail).toContain(`Nothing answered at ${SERVER}.`)
    expect((await stored(storage)).account).toBeNull()
  })

  it('stops before the consent page when the server does not allow the redirect URL', async () => {
    const { deps, calls, storage } = fakeDeps({
      routes: {
        'GET /config': json(200, { api: 'instagram-login', client_id: '1', authorize_url: 'http://127.0.0.1:9000/oauth/authorize', scope: ['s'], redirect_uris: ['https://other.chromiumapp.org/'] }),
      },
    })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe('redirect_uri_not_allowed')
    expect(calls.authorize).toEqual([])
    const flow = await items.flow.get(storage)
    expect(flow.phase === 'error' && flow.notice.copy).toBe(REDIRECT)
  })

  it('passes the server’s redirect_uri_not_allowed from /token through', async () => {
    const { deps } = fakeDeps({ routes: { 'POST /token': json(400, { error: 'redirect_uri_not_allowed', error_description: 'Not allowed.' }) } })
    const reply = await createHandlers(deps).connect({})
    expect(reply).toEqual({ ok: false, error: { code: 'redirect_uri_not_allowed', message: 'Not allowed.' } })
  })

  it.each(['invalid_grant', 'upstream_error', 'upstream_timeout', 'rate_limited'])('reports %s from /token and saves nothing', async (code) => {
    const { deps, storage } = fakeDeps({ routes: { 'POST /token': json(code === 'invalid_grant' ? 400 : 502, { error: code, error_description: 'd' }) } })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe(code)
    expect((await stored(storage)).account).toBeNull()
    expect((await items.flow.get(storage)).phase).toBe('error')
  })

  it('asks for the host permission first when the server URL is not covered', async () => {
    const { deps, calls } = fakeDeps({ hostPermission: false, local: { serverUrl: 'https://connect.example.com' } })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe('permission_required')
    expect(calls.fetch).toEqual([])
  })

  it('is not configured without a server URL', async () => {
    const { deps } = fakeDeps({ local: { serverUrl: '' } })
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe('not_configured')
    const state = await createHandlers(deps).getState({})
    expect(state.ok && state.data.view).toEqual({ kind: 'not_configured' })
  })

  it('drops the answer of an attempt cancelled while the window was open', async () => {
    let handlers: ReturnType<typeof createHandlers> | undefined
    const { deps, calls, storage } = fakeDeps({
      consent: async (url) => {
        await handlers!.disconnect({})
        return approve(url)
      },
    })
    handlers = createHandlers(deps)
    const reply = await handlers.connect({})
    expect(reply.ok && reply.data.view).toEqual({ kind: 'disconnected' })
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
    expect((await stored(storage)).account).toBeNull()
  })

  it('replaces a revoked session on reconnect and clears the flag', async () => {
    const { deps, storage } = fakeDeps({ local: { session: storedSession({ access_token: 'OLD', needs_reconnect: true }) } })
    expect((await createHandlers(deps).connect({})).ok).toBe(true)
    const session = (await stored(storage)).account
    expect(session?.access_token).toBe('LONG')
    expect(session?.needs_reconnect).toBeUndefined()
  })
})

const B = { id: '9876543210', username: 'small.shop' }
const C = { id: '555', username: 'third' }

describe('several accounts', () => {
  it('Add account sends force_reauth=true, keeping the authorize URL’s own parameters, and adds B as the active account', async () => {
    const config = defaultRoutes()['GET /config']!
    const { deps, calls, storage } = fakeDeps({
      local: localWith(storedAccount()),
      routes: {
        'GET /config': (r) => {
          const answer = config(r) as { status: number; body: Record<string, unknown> }
          return { ...answer, body: { ...answer.body, authorize_url: 'http://127.0.0.1:9000/oauth/authorize?display=page&force_reauth=false' } }
        },
        'POST /token': json(200, { access_token: 'B-TOKEN', token_type: 'bearer', expires_in: 5_184_000, user: B, permissions: [] }),
      },
    })
    const reply = await createHandlers(deps).addAccount({})
    expect(reply.ok).toBe(true)
    const authorize = new URL(calls.authorize[0]!)
    expect(authorize.searchParams.get('force_reauth')).toBe('true')
    expect(authorize.searchParams.get('display')).toBe('page')
    expect(authorize.searchParams.getAll('force_reauth')).toHaveLength(1)
    const now = await stored(storage)
    expect(now.ids).toEqual([USER.id, B.id])
    expect(now.order).toEqual([B.id, USER.id])
    expect(now.account?.access_token).toBe('B-TOKEN')
    // The profile fetched right after /token is B's, with B's token.
    expect(calls.fetch.filter((c) => c.path === '/me').map((c) => c.headers.Authorization)).toEqual(['Bearer B-TOKEN'])
  })

  it('a plain connect does not send force_reauth', async () => {
    const { deps, calls } = fakeDeps()
    await createHandlers(deps).connect({})
    expect(new URL(calls.authorize[0]!).searchParams.has('force_reauth')).toBe(false)
  })

  it('connecting an account already there replaces its token and makes it active: no duplicate', async () => {
    const { deps, storage } = fakeDeps({
      local: { ...localWith(storedAccount({ user: B, access_token: 'B1' }), storedAccount({ access_token: 'OLD', needs_reconnect: true, reconnect: { code: 'invalid_token', message: 'gone' }, added_at: 5 })), [`profile:${USER.id}`]: { data: PROFILE, fetched_at: 1 } },
    })
    expect((await createHandlers(deps).connect({})).ok).toBe(true)
    const now = await stored(storage)
    expect(now.ids).toEqual([USER.id, B.id])
    expect(now.order).toEqual([USER.id, B.id])
    expect(now.account).toMatchObject({ access_token: 'LONG', added_at: 5 })
    expect(now.account).not.toHaveProperty('needs_reconnect')
    expect(now.account).not.toHaveProperty('reconnect')
    expect(now.accounts.list.find((e) => e.account.user.id === B.id)?.account.access_token).toBe('B1')
  })

  it('a failed connect leaves every account as it was', async () => {
    const local = localWith(storedAccount({ user: B, access_token: 'B1' }), storedAccount())
    const { deps, storage } = fakeDeps({ local, routes: { 'POST /token': json(400, { error: 'invalid_grant', error_description: 'used' }) } })
    const before = structuredClone(Object.fromEntries(storage.local.data))
    expect((await createHandlers(deps).addAccount({})).ok).toBe(false)
    expect(Object.fromEntries(storage.local.data)).toEqual(before)
  })

  it('refuses an 11th account with a message that says to remove one first, and keeps the ten', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => storedAccount({ user: { id: String(100 + i), username: `u${i}` }, access_token: `T${i}` }))
    const { deps, calls, storage } = fakeDeps({ local: localWith(...ten) })
    // Add account is refused at once, without a window.
    const refused = await createHandlers(deps).addAccount({})
    expect(refused).toEqual({ ok: false, error: { code: 'too_many_accounts', message: '10 accounts are connected, the most this extension keeps.' } })
    expect(calls.authorize).toEqual([])
    const flow = await items.flow.get(storage)
    expect(flow.phase === 'error' && flow.notice).toMatchObject({ title: 'Too many accounts' })
    expect(flow.phase === 'error' && flow.notice.detail).toMatch(/Remove one first/)
    // A connect that turns out to be an 11th user is refused after /token, and saves nothing.
    const reply = await createHandlers(deps).connect({})
    expect(reply.ok === false && reply.error.code).toBe('too_many_accounts')
    expect((await stored(storage)).ids).toHaveLength(10)
    expect((await stored(storage)).ids).not.toContain(USER.id)
    // Reconnecting one of the ten is fine.
    const again = fakeDeps({ local: localWith(...ten), routes: { 'POST /token': json(200, { access_token: 'NEW', token_type: 'bearer', expires_in: 5_184_000, user: { id: '104', username: 'u4' }, permissions: [] }) } })
    expect((await createHandlers(again.deps).connect({})).ok).toBe(true)
    expect((await stored(again.storage)).account).toMatchObject({ access_token: 'NEW', user: { id: '104' } })
  })

  it('Cancel stops the attempt and keeps every account', async () => {
    let handlers: ReturnType<typeof createHandlers> | undefined
    const { deps, storage, calls } = fakeDeps({
      local: localWith(storedAccount()),
      consent: async (url) => {
        await handlers!.cancel({})
        return approve(url)
      },
    })
    handlers = createHandlers(deps)
    const reply = await handlers.addAccount({})
    expect(reply.ok && reply.data.view.kind).toBe('connected')
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
    expect((await stored(storage)).ids).toEqual([USER.id])
  })

  it('sends /token and the profile fetch after it to the server the flow started with, even if another URL is saved meanwhile (issue 14)', async () => {
    const OTHER = 'http://127.0.0.1:9999'
    const base = defaultRoutes()
    const { deps, calls, storage } = fakeDeps({
      routes: {
        'POST /token': (r) => {
          // The person saves server B in the options page while A's /token is in flight.
          void storage.local.set({ serverUrl: OTHER })
          return base['POST /token']!(r)
        },
      },
    })
    await createHandlers(deps).connect({})
    expect(calls.origins.every((o) => o.includes(`${SERVER}/`))).toBe(true)
    expect(calls.origins).toContain(`GET ${SERVER}/me`)
    const now = await stored(storage)
    expect(now.account).toMatchObject({ server: SERVER, client_id: '990602627938098' })
    // B is saved now: the account shows Reconnect and its token goes nowhere.
    const state = await createHandlers(deps).refreshProfile({})
    expect(state.ok && state.data.view).toMatchObject({ kind: 'reconnect', reason: 'server' })
    expect(calls.origins.some((o) => o.includes(OTHER))).toBe(false)
  })

  it('switches the active account', async () => {
    const { deps, storage } = fakeDeps({ local: localWith(storedAccount({ user: B, access_token: 'B1' }), storedAccount()) })
    const reply = await createHandlers(deps).switchAccount({ userId: USER.id })
    expect(reply.ok && reply.data.view).toMatchObject({ kind: 'connected', profile: { username: USER.username } })
    expect((await stored(storage)).order).toEqual([USER.id, B.id])
    expect(await createHandlers(deps).switchAccount({ userId: 'nobody' })).toEqual({ ok: false, error: { code: 'unknown_account', message: 'No connected account has that id.' } })
  })
})

describe('disconnect', () => {
  it('removes the active account only; the most recently active other one becomes active', async () => {
    const { deps, storage } = fakeDeps({
      local: { ...localWith(storedAccount({ user: B, access_token: 'B1' }), storedAccount({ user: C, access_token: 'C1', added_at: 1 }), storedAccount()), [`profile:${B.id}`]: { data: { ...B }, fetched_at: 1 } },
    })
    const reply = await createHandlers(deps).disconnect({})
    expect(reply.ok && reply.data.view).toMatchObject({ kind: 'connected', profile: { username: C.username } })
    const now = await stored(storage)
    expect(now.ids).toEqual([C.id, USER.id])
    expect(now.order).toEqual([C.id, USER.id])
    expect(storage.local.data.has(`profile:${B.id}`)).toBe(false)
    // The last one leaves the disconnected state.
    await createHandlers(deps).disconnect({})
    const last = await createHandlers(deps).disconnect({})
    expect(last.ok && last.data.view).toEqual({ kind: 'disconnected' })
    expect((await stored(storage)).ids).toEqual([])
  })

  it('removes a named account (the options page’s Disconnect) and keeps the active one and an attempt in progress', async () => {
    const flow = { phase: 'authorizing', started_at: NOW }
    const { deps, storage } = fakeDeps({ local: localWith(storedAccount({ user: B, access_token: 'B1' }), storedAccount()), session: { flow } })
    await createHandlers(deps).disconnect({ userId: USER.id })
    expect((await stored(storage)).ids).toEqual([B.id])
    expect(await items.flow.get(storage)).toEqual(flow)
  })

  it('Disconnect all forgets every account, damaged ones too', async () => {
    const { deps, storage } = fakeDeps({ local: { ...localWith(storedAccount({ user: B, access_token: 'B1' }), storedAccount()), 'account:777': 'garbage', 'media:777': 1, serverUrl: SERVER } })
    const reply = await createHandlers(deps).disconnectAll({})
    expect(reply.ok && reply.data.view).toEqual({ kind: 'disconnected' })
    expect([...storage.local.data.keys()].sort()).toEqual(['accountOrder', 'schemaVersion', 'serverUrl'])
  })

  it('forgets the session, profile, media and any error', async () => {
    const { deps, storage } = fakeDeps({
      local: { session: storedSession(), profile: { data: PROFILE, fetched_at: NOW }, media: { data: MEDIA, fetched_at: NOW } },
      session: { flow: { phase: 'error', error: { code: 'x', message: 'y' }, notice: { title: 't', detail: 'd', next: [] }, at: NOW } },
    })
    const reply = await createHandlers(deps).disconnect({})
    expect(reply.ok && reply.data.view).toEqual({ kind: 'disconnected' })
    expect(storage.local.data.has('session')).toBe(false)
    expect(storage.local.data.has('profile')).toBe(false)
    expect(storage.local.data.has('media')).toBe(false)
    expect(storage.local.data.get('serverUrl')).toBeUndefined()
  })
})

describe('connect, twice at once', () => {
  it.each([
    ['runs one flow for two Connect clicks, and both get its outcome', 'connect'],
    ['joins Add account to a running Connect (two popups, two buttons): one flow, one outcome', 'addAccount'],
  ] as const)('%s', async (_, second) => {
    let release: () => void = () => undefined
    const opened = new Promise<void>((done) => (release = done))
    const { deps, calls } = fakeDeps({
      consent: async (url) => {
        await opened
        return approve(url)
      },
    })
    const running = [createHandlers(deps).connect({}), createHandlers(deps)[second]({})]
    release()
    const [a, b] = await Promise.all(running)
    expect(a).toEqual(b)
    expect(a!.ok && a!.data.view.kind).toBe('connected')
    expect(calls.authorize).toHaveLength(1)
    expect(calls.fetch.filter((c) => c.path === '/token')).toHaveLength(1)
  })

  it.each([
    ['cancel', 'the popup’s Cancel button'],
    ['disconnect', 'Disconnect'],
  ] as const)('starts a new flow after %s (%s) during the first', async (stop, _button) => {
    let handlers: ReturnType<typeof createHandlers> | undefined
    let stopped = false
    const { deps, calls } = fakeDeps({
      consent: async (url) => {
        if (!stopped) {
          stopped = true
          await handlers![stop]({})
          return handlers!.connect({}).then(() => approve(url))
        }
        return approve(url)
      },
    })
    handlers = createHandlers(deps)
    await handlers.connect({})
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
    const reply = await createHandlers(deps).connect({})
    expect(reply).toEqual({ ok: false, error: { code: 'server_changed', message: `The server URL changed from ${SERVER} during the sign-in.` } })
    expect(calls.fetch.some((c) => c.path === '/token')).toBe(false)
    expect((await stored(storage)).ids).toEqual([])
    expect(await items.flow.get(storage)).toMatchObject({ phase: 'error', notice: { title: 'The server changed during the sign-in' } })
  })
})
