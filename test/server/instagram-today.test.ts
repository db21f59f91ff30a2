import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { contract } from '../support/contract'
import { getJson } from '../support/http'
import { LOG_LINE } from '../support/log-lines'
import { RUNTIMES, type Stack } from '../support/stack'

/**
 * The exchange server against an emulator that answers as Instagram does today (SPEC "What
 * Instagram really sends"; issue 12), over real HTTP, on Node and on workerd: each answer of the
 * error table against the emulator's faults, `force_reauth` in `/config`, and `user.id` the same
 * in `/token` and `/me` although Instagram's ids differ.
 */

describe.each(RUNTIMES)('on %s', (runtime) => {
  const { seen, secrets, stacks, stack, token, refresh, me, code, connect, fault, expectError, calls, useMainStack } = contract(runtime)
  const exchange = async (s: Stack, username = 'bigodd.creator') => token(s, { code: await code(s, { username }), redirect_uri: CHROME_REDIRECT_URI })
  const logsOf = async (s: Stack) => {
    await s.flushLogs()
    return s.logs
  }
  const settings = (s: Stack, body: Record<string, unknown>) =>
    fetch(`${s.emulator.url}/__emulator/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  const main = useMainStack()

  describe('/config', () => {
    it('carries force_reauth=true by default, keeps other parameters, and none with IG_FORCE_REAUTH=false', async () => {
      expect((await getJson(`${main().serverUrl}/config`)).body.authorize_url).toBe(`${main().emulator.url}/oauth/authorize?force_reauth=true`)
      const kept = await stack({ env: { IG_AUTHORIZE_URL: 'https://www.instagram.com/oauth/authorize?enable_fb_login=0' } })
      expect((await getJson(`${kept.serverUrl}/config`)).body.authorize_url).toBe('https://www.instagram.com/oauth/authorize?enable_fb_login=0&force_reauth=true')
      const off = await stack({ env: { IG_FORCE_REAUTH: 'false' } })
      expect((await getJson(`${off.serverUrl}/config`)).body.authorize_url).toBe(`${off.emulator.url}/oauth/authorize`)
    })
  })

  describe('ids', () => {
    it('user.id is the professional id, the same in /token and /me, with app_scoped_id beside it, although the exchange’s user_id differs', async () => {
      const body = await connect(main())
      expect(body.user).toMatchObject({ id: '17841405793187219', app_scoped_id: '27640875392278831' })
      const profile = await me(main(), body.access_token)
      expect(profile.status).toBe(200)
      expect(profile.body).toMatchObject({ id: body.user.id, app_scoped_id: body.user.app_scoped_id, username: 'bigodd.creator' })
    })

    it('keeps /me ids sent as JSON numbers above 2^53 exact, as strings', async () => {
      await settings(main(), { me_ids: 'number' })
      const body = await connect(main())
      expect(body.user).toMatchObject({ id: '17841405793187219', app_scoped_id: '27640875392278831' })
      expect((await me(main(), body.access_token)).body).toMatchObject({ id: '17841405793187219', app_scoped_id: '27640875392278831' })
    })

    it('accepts /me wrapped in {"data":[…]}, in /token after the code is spent and in /me', async () => {
      await settings(main(), { me_shape: 'wrapped' })
      const body = await connect(main(), 'jayposiris')
      expect(body.user).toMatchObject({ id: '17841405793187218', app_scoped_id: '28978671838402974', username: 'jayposiris' })
      expect((await me(main(), body.access_token)).body).toMatchObject({ id: '17841405793187218', username: 'jayposiris' })
    })

    it('accepts the code exchange flat with permissions as a comma-separated string', async () => {
      await settings(main(), { permissions_as: 'string' })
      const r = await token(main(), { code: await code(main(), { scope: 'instagram_business_basic,instagram_business_manage_comments' }), redirect_uri: CHROME_REDIRECT_URI })
      expect(r.status).toBe(200)
      secrets.add(r.body.access_token)
      expect(r.body.permissions).toEqual(['instagram_business_basic', 'instagram_business_manage_comments'])
    })

    it('a user without a profile picture has none in the answer', async () => {
      const body = await connect(main(), 'small.shop')
      expect(body.user).toMatchObject({ id: '9876543210', username: 'small.shop' })
      expect(body.user).not.toHaveProperty('profile_picture_url')
    })
  })

  describe('GET /me/media', () => {
    it('a licensed-audio video has no media_url; limit is passed; at most N, newest first', async () => {
      const { access_token } = await connect(main())
      const media = await me(main(), access_token, '/me/media?limit=3')
      expect(media.status).toBe(200)
      expect(media.body.data.map((m: { id: string }) => m.id)).toEqual(['18023456789012341', '18023456789012343', '18023456789012345'])
      expect(media.body.data[1]).toEqual({
        id: '18023456789012343',
        media_type: 'VIDEO',
        permalink: 'https://www.instagram.com/p/CyV4gH5iJ6k/',
        caption: 'Behind the scenes 🎬',
        timestamp: '2026-10-29T14:30:00+0000',
      })
      // A post without a caption has none in the answer.
      const jay = await connect(main(), 'jayposiris')
      const jayMedia = await me(main(), jay.access_token, '/me/media?limit=6')
      expect(jayMedia.body.data.find((m: { id: string }) => m.id === '17895695668004554')).not.toHaveProperty('caption')
      const many = await connect(main(), 'many.posts')
      const page = await me(main(), many.access_token, '/me/media?limit=27')
      expect(page.body.data).toHaveLength(27)
      const times = page.body.data.map((m: { timestamp: string }) => m.timestamp)
      expect([...times].sort().reverse()).toEqual(times)
      expect(main().emulator.emulator.calls.filter((c) => c.endpoint === 'media').length).toBe(3)
    })
  })

  describe('Instagram’s error codes, whatever the type, with or without a subcode', () => {
    let s: Stack
    beforeAll(async () => {
      s = await stack()
    })

    it('102 "Invalid OAuth access token - Cannot parse access token" → 401 invalid_token, on /me and in /token', async () => {
      const { access_token } = await connect(s)
      const error = { kind: 'graph-error', match: 'profile', code: 102, type: 'IGApiException', message: 'Invalid OAuth access token - Cannot parse access token' }
      await fault(s, error)
      expectError(await me(s, access_token), 401, 'invalid_token')
      await fault(s, { ...error, match: 'media', code: 190, error_subcode: 460, type: 'OAuthException' })
      expectError(await me(s, access_token, '/me/media'), 401, 'invalid_token')
      await fault(s, error)
      expectError(await exchange(s), 401, 'invalid_token')
    })

    it('10 and 200–299 → 403 permission_missing; a revoked permission is named', async () => {
      const { access_token } = await connect(s)
      await fault(s, { kind: 'graph-error', match: 'profile', code: 10, type: 'IGApiException', message: 'Application does not have permission for this action' })
      expectError(await me(s, access_token), 403, 'permission_missing')
      await fault(s, { kind: 'graph-error', match: 'media', code: 230, type: 'OAuthException' })
      expectError(await me(s, access_token, '/me/media'), 403, 'permission_missing')
      await fetch(`${s.emulator.url}/__emulator/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ permission: 'instagram_business_basic' }),
      })
      const named = await me(s, access_token)
      expectError(named, 403, 'permission_missing')
      expect(named.body.error_description).toContain('instagram_business_basic')
    })

    it('17, 4, 32, 613 with the business usage header at 100 → 429 instagram_rate_limited, Retry-After 420', async () => {
      const { access_token } = await connect(s)
      await settings(s, { usage: { level: 100, header: 'business', estimated_time_to_regain_access: 7 } })
      for (const code of [17, 4, 32, 613]) {
        await fault(s, { kind: 'graph-error', match: 'media', code, type: 'OAuthException', message: 'Application request limit reached' })
        const r = await me(s, access_token, '/me/media')
        expectError(r, 429, 'instagram_rate_limited')
        expect(r.headers.get('retry-after')).toBe('420')
        expect(r.body.error_description).toContain('7 minutes')
      }
    })

    it('a throttling code without a usage header → Retry-After 60; a usage header at 100 on a refusal is throttling whatever its code', async () => {
      const { access_token } = await connect(s)
      await fault(s, { kind: 'graph-error', match: 'profile', code: 80002, type: 'IGApiException' })
      const plain = await me(s, access_token)
      expectError(plain, 429, 'instagram_rate_limited')
      expect(plain.headers.get('retry-after')).toBe('60')
      await settings(s, { usage: { level: 100, header: 'app' } })
      await fault(s, { kind: 'graph-error', match: 'profile', code: 100, message: 'Some field' })
      expectError(await me(s, access_token), 429, 'instagram_rate_limited')
      await fault(s, { kind: 'html', match: 'profile', status: 503 })
      expectError(await me(s, access_token), 429, 'instagram_rate_limited')
      // A successful answer is a success whatever its usage headers say.
      expect((await me(s, access_token)).status).toBe(200)
    })

    it('code 1 is_transient on the code exchange → 502 upstream_error saying temporary (not bad credentials)', async () => {
      await fault(s, { kind: 'graph-error', match: 'token', status: 500, code: 1, type: 'OAuthException', is_transient: true, message: 'An unknown error occurred' })
      const r = await exchange(s)
      expectError(r, 502, 'upstream_error')
      expect(r.body.error_description).toMatch(/temporary/)
      expect(r.body.error_description).not.toMatch(/credentials/)
      await fault(s, { kind: 'graph-error', match: 'profile', code: 2, type: 'OAuthException' })
      expect((await exchange(s)).body.error_description).toMatch(/temporary/)
    })

    it('the token endpoint’s code 100 "Unsupported request - method type: get" → 502 upstream_error pointing at IG_TOKEN_URL', async () => {
      await fault(s, { kind: 'oauth-error', match: 'token', code: 100, message: 'Unsupported request - method type: get' })
      const r = await exchange(s)
      expectError(r, 502, 'upstream_error')
      expect(r.body.error_description).toContain('IG_TOKEN_URL')
    })

    it('a redirect mismatch and a spent code are both invalid_grant, with descriptions that say which', async () => {
      await fault(s, { kind: 'oauth-error', match: 'token', message: 'Redirect URI does not match registered redirect URI' })
      const mismatch = await exchange(s)
      expectError(mismatch, 400, 'invalid_grant')
      const c = await code(s)
      expect((await token(s, { code: c, redirect_uri: CHROME_REDIRECT_URI })).status).toBe(200)
      const spent = await token(s, { code: c, redirect_uri: CHROME_REDIRECT_URI })
      expectError(spent, 400, 'invalid_grant')
      expect(mismatch.body.error_description).toMatch(/redirect URI/)
      expect(spent.body.error_description).toMatch(/already used/)
      expect(mismatch.body.error_description).not.toBe(spent.body.error_description)
    })

    it('"Insufficient developer role" gets its own description', async () => {
      await fault(s, { kind: 'oauth-error', match: 'token', message: 'Insufficient developer role' })
      const r = await exchange(s)
      expectError(r, 502, 'upstream_error')
      expect(r.body.error_description).toMatch(/not one of its testers/)
    })

    it('POST /refresh answered with code 100 says what Instagram said', async () => {
      const { access_token } = await connect(s)
      s.emulator.emulator.advanceClock(25 * 3600_000)
      await fault(s, { kind: 'graph-error', match: 'refresh', code: 100, type: 'IGApiException', message: 'Unsupported request - method type: get' })
      const r = await refresh(s, access_token)
      expectError(r, 400, 'invalid_grant')
      expect(r.body.error_description).toContain('Unsupported request - method type: get')
      expect(r.body.error_description).not.toMatch(/24 hours/)
    })

    it('/me refused with code 100 is asked again with the minimal fields; refused twice → 502', async () => {
      const { access_token } = await connect(s)
      s.emulator.emulator.calls.length = 0
      await fault(s, { kind: 'graph-error', match: 'profile', code: 100, type: 'IGApiException', message: 'Unsupported request - method type: get' })
      const retried = await me(s, access_token)
      expect(retried.status).toBe(200)
      expect(retried.body).toMatchObject({ id: '17841405793187219', username: 'bigodd.creator' })
      expect(calls(s)).toEqual(['profile', 'profile'])
      await fault(s, { kind: 'graph-error', match: 'profile', code: 100, count: 2, message: 'Unsupported request - method type: get' })
      expectError(await me(s, access_token), 502, 'upstream_error')
    })

    it('an HTML page with 4xx, 5xx or 200 → 502 upstream_error', async () => {
      const { access_token } = await connect(s)
      for (const status of [404, 503, 200]) {
        await fault(s, { kind: 'html', match: 'profile', status })
        expectError(await me(s, access_token), 502, 'upstream_error')
      }
    })

    it('Instagram takes the code and drops the kept-alive connection → exactly one POST, 502 upstream_error', async () => {
      await connect(s) // the upstream connection is now kept alive
      s.emulator.emulator.calls.length = 0
      await fault(s, { kind: 'drop-connection', match: 'token' })
      const r = await exchange(s)
      expectError(r, 502, 'upstream_error')
      expect(calls(s)).toEqual(['token'])
    })
  })

  describe('versions', () => {
    it('a versioned long-lived path is refused with code 100: the login is kept with the short-lived token, and the log says why', async () => {
      // IG_GRAPH_URL wrongly carrying a version: /me is fine under it, /v25.0/access_token is not.
      const s = await stack({ env: { IG_API: 'basic-display' } })
      const versioned = await stack({ env: { IG_API: 'basic-display', IG_TOKEN_URL: `${s.emulator.url}/oauth/access_token`, IG_GRAPH_URL: `${s.emulator.url}/v25.0` } })
      const r = await token(versioned, { code: await code(s, { scope: 'user_profile,user_media' }), redirect_uri: CHROME_REDIRECT_URI })
      expect(r.status).toBe(200)
      secrets.add(r.body.access_token)
      expect(r.body.expires_in).toBe(3600)
      expect(s.emulator.emulator.calls.map((c) => c.path)).toContain('/v25.0/access_token')
      const logs = await logsOf(versioned)
      expect(logs).toContainEqual(expect.stringMatching(/^upstream long-lived failed: HTTP 400 code=100 type=IGApiException fbtrace_id=\S+ message="Unsupported request - method type: get \(\/v25\.0\/access_token\)"$/))
      expect(logs).toContain('long-lived upgrade failed (upstream_error); answering with the short-lived token')
    })
  })

  describe('the log', () => {
    it('one line per upstream failure: the call, status, code, error_subcode, type, fbtrace_id and Instagram’s message — no secret', async () => {
      const s = await stack()
      const { access_token } = await connect(s)
      await fault(s, { kind: 'graph-error', match: 'media', code: 190, error_subcode: 460, type: 'OAuthException', message: 'Session invalidated' })
      await me(s, access_token, '/me/media')
      const lines = (await logsOf(s)).filter((line) => line.startsWith('upstream '))
      expect(lines).toEqual([expect.stringMatching(/^upstream media failed: HTTP 400 code=190 error_subcode=460 type=OAuthException fbtrace_id=A[\w-]+ message="Session invalidated"$/)])
    })

    it('"Invalid platform app" is visible to the operator, and the exchange is named', async () => {
      const s = await stack({ env: { IG_CLIENT_ID: '111111111111111' } })
      const r = await exchange(s)
      expectError(r, 502, 'upstream_error')
      expect(r.body.error_description).toMatch(/IG_CLIENT_ID/)
      expect(await logsOf(s)).toContainEqual('upstream exchange failed: HTTP 400 code=400 type=OAuthException message="Invalid platform app"')
    })

    it('usage at 80 % or more logs one warning line, not one per request', async () => {
      const s = await stack()
      const { access_token } = await connect(s)
      await settings(s, { usage: { level: 85, header: 'business' } })
      for (let i = 0; i < 3; i++) expect((await me(s, access_token)).status).toBe(200)
      const warnings = (await logsOf(s)).filter((line) => line.startsWith('warning: Instagram usage'))
      expect(warnings).toEqual(['warning: Instagram usage at 85% (X-Business-Use-Case-Usage); Instagram refuses calls at 100%'])
    })
  })

  describe('secrets', () => {
    it('no client secret, token or code appears in any response or log line of this file', async () => {
      await Promise.all(stacks.map((s) => s.flushLogs()))
      const logs = stacks.flatMap((s) => s.logs)
      for (const line of logs) expect(line).toMatch(LOG_LINE)
      const outside = [...seen.filter((text) => !text.includes('"access_token"')), ...logs].join('\n')
      expect(secrets.size).toBeGreaterThan(10)
      for (const secret of secrets) expect(outside.includes(secret), `a secret leaked: ${secret.slice(0, 6)}…`).toBe(false)
    })
  })
})
