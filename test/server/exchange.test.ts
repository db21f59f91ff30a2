import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI } from '../../server/extension-ids'
import { signRequest } from '../../server/signed-request'
import { contract } from '../support/contract'
import { getJson, postJson, rawRequest } from '../support/http'
import { LOG_LINE } from '../support/log-lines'
import { RUNTIMES, type Stack } from '../support/stack'

/**
 * The exchange server against the Instagram emulator, both over real HTTP on ephemeral ports:
 * every row of the SPEC's API and error tables. Every response body and log line is kept and
 * searched for the client secret, tokens and codes at the end.
 *
 * The same tests run against each runtime the server ships for: Node (`npm run server`) and
 * workerd (`server/worker.ts` as `wrangler deploy` bundles it, see test/worker/workerd.ts).
 */

describe.each(RUNTIMES)('on %s', (runtime) => {
  const { seen, secrets, stacks, stack, record, token, me, code, connect, fault, expectError, calls, useMainStack } = contract(runtime)

  const main = useMainStack()

  describe('public endpoints', () => {
    it('GET /health', async () => {
      const r = await record(getJson(`${main().serverUrl}/health`))
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ status: 'ok' })
      expect(r.headers.get('cache-control')).toBe('no-store')
      expect(r.headers.get('content-type')).toMatch(/^application\/json/)
    })

    it('GET /config is public and has no secret', async () => {
      const r = await record(getJson(`${main().serverUrl}/config`))
      expect(r.status).toBe(200)
      expect(r.body).toEqual({
        api: 'instagram-login',
        client_id: main().emulator.clientId,
        // IG_FORCE_REAUTH defaults to true for Instagram Login, as Meta's dashboard builds the URL.
        authorize_url: `${main().emulator.url}/oauth/authorize?force_reauth=true`,
        scope: ['instagram_business_basic'],
        redirect_uris: [CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI],
      })
    })
  })

  describe('POST /token, the happy paths', () => {
    it('exchanges a code for a 60-day token and the profile, keeping the odd id above 2^53 exact', async () => {
      const body = await connect(main())
      expect(body).toMatchObject({
        token_type: 'bearer',
        expires_in: 5184000,
        user: { id: '17841405793187219', username: 'bigodd.creator', account_type: 'MEDIA_CREATOR', media_count: 3 },
        permissions: ['instagram_business_basic'],
      })
      expect(body.access_token).toMatch(/^IGAA/)
      expect(calls(main())).toEqual(expect.arrayContaining(['token', 'long-lived', 'profile']))
      const calledPaths = main().emulator.emulator.calls.map((call) => call.path)
      expect(calledPaths).toContain('/v25.0/me')
      // The token paths stay unversioned: a versioned one is refused with code 100.
      expect(calledPaths).toContain('/access_token')
    })

    it('accepts the wrapped token shape with permissions as an array', async () => {
      main().emulator.emulator.settings = { ...main().emulator.emulator.settings, tokenShape: 'wrapped', permissionsAs: 'array' }
      const body = await connect(main(), 'jayposiris')
      expect(body.user).toMatchObject({ id: '17841405793187218', username: 'jayposiris' })
    })

    it('accepts permissions as a comma-separated string in the wrapped shape too', async () => {
      main().emulator.emulator.settings = { ...main().emulator.emulator.settings, tokenShape: 'wrapped', permissionsAs: 'string' }
      const r = await token(main(), { code: await code(main(), { scope: 'instagram_business_basic,instagram_business_manage_messages' }), redirect_uri: CHROME_REDIRECT_URI })
      expect(r.status).toBe(200)
      expect(r.body.permissions).toEqual(['instagram_business_basic', 'instagram_business_manage_messages'])
    })

    it.each(['#_', '#_#_', '#'])('strips a %s left on the code, and whitespace around it', async (suffix) => {
      const r = await token(main(), { code: ` ${await code(main())}${suffix} `, redirect_uri: CHROME_REDIRECT_URI })
      expect(r.status).toBe(200)
    })

    it('answers the 1-hour token without the upgrade when TOKEN_LIFETIME=short', async () => {
      const s = await stack({ env: { TOKEN_LIFETIME: 'short' } })
      const body = await connect(s)
      expect(body.expires_in).toBe(3600)
      expect(calls(s)).not.toContain('long-lived')
    })

    it('speaks the Basic Display API (no version segment, its scopes)', async () => {
      const s = await stack({ env: { IG_API: 'basic-display' } })
      const config = await getJson(`${s.serverUrl}/config`)
      expect(config.body.scope).toEqual(['user_profile', 'user_media'])
      const r = await token(s, { code: await code(s, { scope: 'user_profile,user_media' }), redirect_uri: CHROME_REDIRECT_URI })
      expect(r.status).toBe(200)
      expect(r.body.user.id).toBe('17841405793187219')
      expect(s.emulator.emulator.calls.map((c) => c.path)).toContain('/me')
      secrets.add(r.body.access_token)
      const media = await me(s, r.body.access_token, '/me/media?limit=1')
      expect(media.body.data).toHaveLength(1)
    })

    it('accepts the Firefox redirect URL too', async () => {
      const r = await token(main(), { code: await code(main(), { redirectUri: FIREFOX_REDIRECT_URI }), redirect_uri: FIREFOX_REDIRECT_URI })
      expect(r.status).toBe(200)
    })
  })

  describe('GET /me, GET /me/media, POST /refresh', () => {
    it('reads the profile and media with the token', async () => {
      const { access_token } = await connect(main())
      const profile = await me(main(), access_token)
      expect(profile.status).toBe(200)
      expect(profile.body).toMatchObject({ id: '17841405793187219', username: 'bigodd.creator' })
      const media = await me(main(), access_token, '/me/media?limit=2')
      expect(media.status).toBe(200)
      expect(media.body.data).toHaveLength(2)
      for (const item of media.body.data) {
        expect(Object.keys(item).every((k: string) => ['id', 'media_type', 'media_url', 'permalink', 'thumbnail_url', 'caption', 'timestamp'].includes(k))).toBe(true)
      }
    })

    it('refuses a bad limit', async () => {
      const { access_token } = await connect(main())
      for (const limit of ['0', '101', 'abc', '-1', '1.5']) {
        expectError(await me(main(), access_token, `/me/media?limit=${limit}`), 400, 'invalid_request')
      }
    })

    it('answers 401 invalid_token without a bearer token and for a revoked one', async () => {
      const missing = await record(getJson(`${main().serverUrl}/me`))
      expectError(missing, 401, 'invalid_token')
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expectError(await record(getJson(`${main().serverUrl}/me`, { authorization: 'Basic abc' })), 401, 'invalid_token')
      const { access_token } = await connect(main())
      main().emulator.emulator.revoke({ accessToken: access_token })
      expectError(await me(main(), access_token), 401, 'invalid_token')
      expectError(await me(main(), access_token, '/me/media'), 401, 'invalid_token')
    })

    it('refreshes a long-lived token once it is 24 hours old', async () => {
      const { access_token } = await connect(main())
      expectError(await record(postJson(`${main().serverUrl}/refresh`, { access_token })), 400, 'invalid_grant')
      main().emulator.emulator.advanceClock(25 * 3600_000)
      const r = await record(postJson(`${main().serverUrl}/refresh`, { access_token }))
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 5184000 })
      secrets.add(r.body.access_token)
      expect((await me(main(), r.body.access_token)).status).toBe(200)
    })

    it('refresh of an unknown token is invalid_token', async () => {
      expectError(await record(postJson(`${main().serverUrl}/refresh`, { access_token: 'IGAAnot-a-real-token' })), 401, 'invalid_token')
    })
  })

  describe('POST /token errors', () => {
    it('invalid_request: body not a JSON object, fields missing, empty, not strings, too long', async () => {
      const bodies: unknown[] = [
        '[]', '"code"', '42', 'null', '{', '',
        {}, { code: 'x' }, { redirect_uri: CHROME_REDIRECT_URI },
        { code: '', redirect_uri: CHROME_REDIRECT_URI }, { code: '   ', redirect_uri: CHROME_REDIRECT_URI },
        { code: 42, redirect_uri: CHROME_REDIRECT_URI }, { code: ['a'], redirect_uri: CHROME_REDIRECT_URI },
        { code: 'x', redirect_uri: null }, { code: 'x'.repeat(3000), redirect_uri: CHROME_REDIRECT_URI },
      ]
      for (const body of bodies) expectError(await token(main(), body), 400, 'invalid_request')
      expect(calls(main())).toEqual([])
    })

    it('redirect_uri_not_allowed, before Instagram is called (trailing slash matters)', async () => {
      const withoutSlash = CHROME_REDIRECT_URI.replace(/\/$/, '')
      const r = await token(main(), { code: await code(main()), redirect_uri: withoutSlash })
      expectError(r, 400, 'redirect_uri_not_allowed')
      expect(r.body.error_description).toContain(withoutSlash)
      expect(calls(main())).toEqual([])
    })

    it('invalid_grant: a code used twice', async () => {
      const c = await code(main())
      expect((await token(main(), { code: c, redirect_uri: CHROME_REDIRECT_URI })).status).toBe(200)
      expectError(await token(main(), { code: c, redirect_uri: CHROME_REDIRECT_URI }), 400, 'invalid_grant')
    })

    it('invalid_grant: a code older than one hour', async () => {
      const c = await code(main())
      main().emulator.emulator.advanceClock(61 * 60_000)
      expectError(await token(main(), { code: c, redirect_uri: CHROME_REDIRECT_URI }), 400, 'invalid_grant')
    })

    it('invalid_grant: a code issued for another (allowed) redirect URI', async () => {
      const c = await code(main(), { redirectUri: FIREFOX_REDIRECT_URI })
      expectError(await token(main(), { code: c, redirect_uri: CHROME_REDIRECT_URI }), 400, 'invalid_grant')
    })

    it('invalid_grant: a code Instagram never issued', async () => {
      expectError(await token(main(), { code: 'AQBnot-a-code', redirect_uri: CHROME_REDIRECT_URI }), 400, 'invalid_grant')
    })

    it('upstream_error: Instagram rejects the app secret', async () => {
      const s = await stack({ env: { IG_CLIENT_SECRET: 'wrong-secret-value' } })
      secrets.add('wrong-secret-value')
      const r = await token(s, { code: await code(s), redirect_uri: CHROME_REDIRECT_URI })
      expectError(r, 502, 'upstream_error')
      expect(r.body.error_description).toMatch(/IG_CLIENT_SECRET/)
    })

    it('upstream_error: Instagram cannot be reached', async () => {
      const s = await stack()
      const c = await code(s)
      await s.emulator.close()
      expectError(await token(s, { code: c, redirect_uri: CHROME_REDIRECT_URI }), 502, 'upstream_error')
      expectError(await me(s, 'IGAAsomething'), 502, 'upstream_error')
    })
  })

  describe('emulator faults on every upstream call', () => {
    let s: Stack
    beforeAll(async () => {
      s = await stack({ env: { UPSTREAM_TIMEOUT_MS: '400' } })
    })

    const cases = [
      { kind: 'http500', status: 502, error: 'upstream_error' },
      { kind: 'non-json', status: 502, error: 'upstream_error' },
      { kind: 'no-answer', status: 504, error: 'upstream_timeout' },
      { kind: 'delay', delay_ms: 1000, status: 504, error: 'upstream_timeout' },
    ] as const

    for (const { kind, status, error, ...extra } of cases) {
      it(`${kind} on the code exchange → ${status} ${error}`, async () => {
        const c = await code(s)
        await fault(s, { kind, match: 'token', ...extra })
        expectError(await token(s, { code: c, redirect_uri: CHROME_REDIRECT_URI }), status, error)
      })

      it(`${kind} on the profile → ${status} ${error}, in /token and /me`, async () => {
        await fault(s, { kind, match: 'profile', ...extra })
        expectError(await token(s, { code: await code(s), redirect_uri: CHROME_REDIRECT_URI }), status, error)
        const { access_token } = await connect(s)
        await fault(s, { kind, match: 'profile', ...extra })
        expectError(await me(s, access_token), status, error)
      })

      it(`${kind} on media → ${status} ${error}`, async () => {
        const { access_token } = await connect(s)
        await fault(s, { kind, match: 'media', ...extra })
        expectError(await me(s, access_token, '/me/media'), status, error)
      })

      it(`${kind} on refresh → ${status} ${error}`, async () => {
        const { access_token } = await connect(s)
        s.emulator.emulator.advanceClock(25 * 3600_000)
        await fault(s, { kind, match: 'refresh', ...extra })
        expectError(await record(postJson(`${s.serverUrl}/refresh`, { access_token })), status, error)
      })

      it(`${kind} on the long-lived upgrade keeps the login with the short-lived token`, async () => {
        await fault(s, { kind, match: 'long-lived', ...extra })
        const r = await token(s, { code: await code(s), redirect_uri: CHROME_REDIRECT_URI })
        expect(r.status).toBe(200)
        expect(r.body.expires_in).toBe(3600)
        expect(r.body.user.id).toBe('17841405793187219')
        secrets.add(r.body.access_token)
        expect((await me(s, r.body.access_token)).status).toBe(200)
        await s.flushLogs()
        expect(s.logs.some((line) => line.startsWith('long-lived upgrade failed'))).toBe(true)
      })
    }

    it('a short delay within the timeout still succeeds', async () => {
      await fault(s, { kind: 'delay', delay_ms: 100, count: 3 })
      await connect(s)
    })
  })

  describe('request guards', () => {
    it('origin_not_allowed for web origins; extension origins and no Origin pass', async () => {
      for (const origin of ['https://evil.example', 'http://127.0.0.1:3000', 'null']) {
        expectError(await record(getJson(`${main().serverUrl}/config`, { origin })), 403, 'origin_not_allowed')
        expectError(await token(main(), { code: 'x', redirect_uri: CHROME_REDIRECT_URI }, { origin }), 403, 'origin_not_allowed')
      }
      for (const origin of ['chrome-extension://keaflfdjmoomnhhnpdggooggjkklfomp', 'moz-extension://0d6c5e1e-0000-4000-8000-000000000000']) {
        const r = await record(getJson(`${main().serverUrl}/config`, { origin }))
        expect(r.status).toBe(200)
        expect(r.headers.get('access-control-allow-origin')).toBeNull()
      }
    })

    it('ALLOWED_ORIGINS get CORS for exactly their origin, never *', async () => {
      const s = await stack({ env: { ALLOWED_ORIGINS: 'https://app.example.com' } })
      const r = await getJson(`${s.serverUrl}/config`, { origin: 'https://app.example.com' })
      expect(r.status).toBe(200)
      expect(r.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
      const preflight = await fetch(`${s.serverUrl}/token`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
      expectError(await getJson(`${s.serverUrl}/config`, { origin: 'https://other.example.com' }), 403, 'origin_not_allowed')
    })

    it('host_not_allowed for a rebound DNS name; loopback names pass', async () => {
      const port = main().server.port
      const evil = await rawRequest(`${main().serverUrl}/health`, { headers: { host: `evil.example:${port}` } })
      expect(evil.status).toBe(403)
      expect(evil.json).toMatchObject({ error: 'host_not_allowed' })
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.localhost:${port}`]) {
        expect((await rawRequest(`${main().serverUrl}/health`, { headers: { host } })).status).toBe(200)
      }
    })

    it('the PUBLIC_URL host passes', async () => {
      const s = await stack({ env: { PUBLIC_URL: 'https://ig.example.com' } })
      expect((await rawRequest(`${s.serverUrl}/health`, { headers: { host: 'ig.example.com' } })).status).toBe(200)
    })

    it('not_found and method_not_allowed', async () => {
      expectError(await record(getJson(`${main().serverUrl}/nope`)), 404, 'not_found')
      const r = await rawRequest(`${main().serverUrl}/token`)
      expect(r.status).toBe(405)
      expect(r.json).toMatchObject({ error: 'method_not_allowed' })
      expect(r.headers.allow).toBe('POST')
      for (const [method, path] of [['DELETE', '/health'], ['PUT', '/config'], ['POST', '/me'], ['PATCH', '/refresh'], ['GET', '/instagram/deauthorize']]) {
        const answer = await rawRequest(`${main().serverUrl}${path}`, { method })
        expect({ method, path, status: answer.status, error: (answer.json as { error?: string }).error }).toEqual({ method, path, status: 405, error: 'method_not_allowed' })
      }
    })

    it('payload_too_large above 16 KiB, with or without Content-Length', async () => {
      const big = JSON.stringify({ code: 'x'.repeat(17 * 1024), redirect_uri: CHROME_REDIRECT_URI })
      expectError(await token(main(), big), 413, 'payload_too_large')
      const chunked = await rawRequest(`${main().serverUrl}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: big,
      })
      expect(chunked.status).toBe(413)
      expect(chunked.json).toMatchObject({ error: 'payload_too_large' })
    })

    it('unsupported_media_type for anything but JSON', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
        const r = await fetch(`${main().serverUrl}/token`, { method: 'POST', headers: { 'content-type': type }, body: '{"code":"x","redirect_uri":"y"}' })
        expectError({ status: r.status, headers: r.headers, body: await r.json() }, 415, 'unsupported_media_type')
      }
      const none = await rawRequest(`${main().serverUrl}/refresh`, { method: 'POST', body: '{}' })
      expect(none.status).toBe(415)
    })

    it('rate_limited with Retry-After, per IP, on /token and /refresh', async () => {
      const s = await stack({ env: { RATE_LIMIT_PER_MINUTE: '3' } })
      await s.awaitRateLimitWindow()
      const statuses: number[] = []
      let last: Awaited<ReturnType<typeof token>> | undefined
      for (let i = 0; i < 4; i++) {
        last = await token(s, { code: 'x', redirect_uri: CHROME_REDIRECT_URI })
        statuses.push(last.status)
      }
      expect(statuses).toEqual([400, 400, 400, 429])
      expectError(last!, 429, 'rate_limited')
      const retryAfter = Number(last!.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThan(0)
      expect(retryAfter).toBeLessThanOrEqual(60)
      expectError(await record(postJson(`${s.serverUrl}/refresh`, { access_token: 'x' })), 429, 'rate_limited')
      expect((await getJson(`${s.serverUrl}/health`)).status).toBe(200)
    })
  })

  describe('Meta callbacks', () => {
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })
    const post = async (path: string, init: RequestInit) => {
      const r = await fetch(`${main().serverUrl}${path}`, init)
      return record(Promise.resolve({ status: r.status, headers: r.headers, body: (await r.json()) as any }))
    }

    it('deauthorize verifies the signed_request', async () => {
      const good = await signRequest({ algorithm: 'HMAC-SHA256', user_id: '17841405793187219', issued_at: 1 }, main().emulator.clientSecret)
      const r = await post('/instagram/deauthorize', form({ signed_request: good }))
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ status: 'ok' })
      const multipart = new FormData()
      multipart.set('signed_request', good)
      expect((await post('/instagram/deauthorize', { method: 'POST', body: multipart })).status).toBe(200)

      const forged = await signRequest({ algorithm: 'HMAC-SHA256', user_id: '1' }, 'not-the-secret')
      expectError(await post('/instagram/deauthorize', form({ signed_request: forged })), 400, 'invalid_signed_request')
      expectError(await post('/instagram/deauthorize', form({ signed_request: 'garbage' })), 400, 'invalid_signed_request')
      expectError(await post('/instagram/deauthorize', form({})), 400, 'invalid_request')
      expectError(await post('/instagram/deauthorize', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 415, 'unsupported_media_type')
    })

    it('data deletion answers a status URL and confirmation code that the status page knows', async () => {
      const good = await signRequest({ algorithm: 'HMAC-SHA256', user_id: '17841405793187219' }, main().emulator.clientSecret)
      const r = await post('/instagram/data-deletion', form({ signed_request: good }))
      expect(r.status).toBe(200)
      const { url, confirmation_code } = r.body
      expect(url).toBe(`http://127.0.0.1:${main().server.port}/instagram/deletion?code=${confirmation_code}`)
      const status = await record(getJson(`${main().serverUrl}/instagram/deletion?code=${confirmation_code}`))
      expect(status.status).toBe(200)
      expect(status.body).toMatchObject({ confirmation_code, status: 'completed' })
      const tampered = confirmation_code.slice(0, -1) + (confirmation_code.endsWith('A') ? 'B' : 'A')
      expectError(await record(getJson(`${main().serverUrl}/instagram/deletion?code=${tampered}`)), 404, 'not_found')
      expectError(await record(getJson(`${main().serverUrl}/instagram/deletion`)), 400, 'invalid_request')
      expectError(await post('/instagram/data-deletion', form({ signed_request: 'a.b' })), 400, 'invalid_signed_request')
    })
  })

  describe('limits on the reads and on upstream calls (issue 14)', () => {
    it('rate_limited with Retry-After on GET /me and GET /me/media, per IP, counted apart from /token', async () => {
      const s = await stack({ env: { READ_RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '1000' } })
      await s.awaitRateLimitWindow()
      const statuses: number[] = []
      for (let i = 0; i < 3; i++) statuses.push((await me(s, `IGmadeup${i}`, i % 2 === 0 ? '/me' : '/me/media')).status)
      expect(statuses).toEqual([401, 401, 401])
      for (const path of ['/me', '/me/media']) {
        const limited = await me(s, 'IGmadeup', path)
        expectError(limited, 429, 'rate_limited')
        const retryAfter = Number(limited.headers.get('retry-after'))
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(60)
      }
      // Made-up tokens past the limit never became Instagram calls.
      expect(calls(s).filter((endpoint) => endpoint === 'profile' || endpoint === 'media')).toHaveLength(3)
      expect((await token(s, { code: 'x', redirect_uri: 'https://not-allowed.example/' })).status).toBe(400)
    })

    it('server_busy (503, Retry-After: 1) beyond UPSTREAM_MAX_CONCURRENCY calls in flight; Instagram is not called', async () => {
      const s = await stack({ env: { UPSTREAM_MAX_CONCURRENCY: '1' } })
      const { access_token } = await connect(s)
      const before = calls(s).length
      const since = () => calls(s).slice(before)
      await fault(s, { kind: 'delay', delay_ms: 1500, match: 'profile' })
      const slow = me(s, access_token)
      // The delayed call is in flight once the emulator has seen it.
      for (let i = 0; i < 100 && since().length === 0; i++) await new Promise((wake) => setTimeout(wake, 20))
      const busy = await me(s, access_token, '/me/media')
      expectError(busy, 503, 'server_busy')
      expect(busy.headers.get('retry-after')).toBe('1')
      expect((await slow).status).toBe(200)
      expect(since()).toEqual(['profile'])
      // The slot is free again.
      expect((await me(s, access_token, '/me/media')).status).toBe(200)
    })

    it('server_busy refuses a /token before its code is sent, never after: the follow-up calls are not refused', async () => {
      const s = await stack({ env: { UPSTREAM_MAX_CONCURRENCY: '1' } })
      // One slot, and /token still makes its two calls at once after the exchange.
      const first = await connect(s)
      expect(first.expires_in).toBe(5_184_000)
      const before = calls(s).length
      await fault(s, { kind: 'delay', delay_ms: 1500, match: 'profile' })
      const slow = me(s, first.access_token)
      for (let i = 0; i < 100 && calls(s).length === before; i++) await new Promise((wake) => setTimeout(wake, 20))
      const unspent = await code(s)
      expectError(await token(s, { code: unspent, redirect_uri: CHROME_REDIRECT_URI }), 503, 'server_busy')
      expect(calls(s).slice(before)).toEqual(['profile'])
      expect((await slow).status).toBe(200)
      // The refused code was never sent to Instagram: it still works.
      expect((await token(s, { code: unspent, redirect_uri: CHROME_REDIRECT_URI })).status).toBe(200)
    })
  })

  describe('Meta callbacks: signatures (issue 14)', () => {
    const deauthorize = async (s: Stack, signedRequest: string) => {
      const r = await fetch(`${s.serverUrl}/instagram/deauthorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ signed_request: signedRequest }).toString(),
      })
      return record(Promise.resolve({ status: r.status, headers: r.headers, body: (await r.json()) as any }))
    }
    const payload = { algorithm: 'HMAC-SHA256', user_id: '17841405793187219', issued_at: 1 }

    it('accepts the signature unpadded, with = and with == (Meta pads sometimes); nothing else', async () => {
      const signed = await signRequest(payload, main().emulator.clientSecret)
      const [sig, body] = signed.split('.') as [string, string]
      for (const form of [sig, `${sig}=`, `${sig}==`]) expect((await deauthorize(main(), `${form}.${body}`)).status).toBe(200)
      for (const form of [`${sig}===`, `${sig}=x`, `=${sig}`]) expectError(await deauthorize(main(), `${form}.${body}`), 400, 'invalid_signed_request')
    })

    it('verifies against IG_CLIENT_SECRET and, when set, META_APP_SECRET', async () => {
      const metaSecret = 'meta-app-secret-7d41'
      secrets.add(metaSecret)
      const viaMeta = await signRequest(payload, metaSecret)
      expectError(await deauthorize(main(), viaMeta), 400, 'invalid_signed_request')
      const s = await stack({ env: { META_APP_SECRET: metaSecret } })
      expect((await deauthorize(s, viaMeta)).status).toBe(200)
      expect((await deauthorize(s, await signRequest(payload, s.emulator.clientSecret))).status).toBe(200)
      expectError(await deauthorize(s, await signRequest(payload, 'neither-secret')), 400, 'invalid_signed_request')
    })
  })

  describe('paths named like Object.prototype members (issue 14)', () => {
    it('are unknown paths: 404 not_found, never a crash', async () => {
      for (const path of ['/constructor', '/__proto__', '/toString', '/hasOwnProperty', '/valueOf', '/__defineGetter__']) {
        for (const method of ['GET', 'POST']) {
          const r = await fetch(`${main().serverUrl}${path}`, { method })
          expectError({ status: r.status, headers: r.headers, body: await r.json() }, 404, 'not_found')
        }
      }
    })
  })

  describe('secrets', () => {
    it('no client secret, token or code appears in any response or log line of this file', async () => {
      await Promise.all(stacks.map((s) => s.flushLogs()))
      const logs = stacks.flatMap((s) => s.logs)
      expect(logs.length).toBeGreaterThan(50)
      for (const line of logs) expect(line).toMatch(LOG_LINE)
      const haystack = [...seen, ...logs].join('\n')
      expect(secrets.size).toBeGreaterThan(20)
      for (const secret of secrets) {
        if (haystack.includes(secret)) {
          // A token is allowed in the very response that hands it out; check that is the only place.
          const outside = [...seen.filter((text) => !text.includes('"access_token"')), ...logs].join('\n')
          expect(outside.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`).toBe(false)
        }
      }
    })
  })
})
