import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { TEST_USERS } from '../../server/emulator'
import { SIGNED_IN_COOKIE } from '../../server/emulator/authorize'
import { rawRequest } from '../support/http'
import { admin, authorizeUrl, decide, exchange, getCode, longToken, shortToken, useEmulator } from './helpers'

/** The emulator answers as Instagram does today (SPEC "Instagram emulator"; issue 12). */

const em = useEmulator()

type GraphError = { error: Record<string, unknown> }
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

describe('test users', () => {
  it('have three distinct ids each, one of them odd and above 2^53', () => {
    for (const user of TEST_USERS) {
      expect(new Set([user.id, user.userId, user.legacyId]).size, user.username).toBe(3)
    }
    expect(TEST_USERS.some((u) => [u.id, u.userId].some((id) => BigInt(id) > MAX_SAFE && BigInt(id) % 2n === 1n))).toBe(true)
  })

  it('include one without a profile picture, a licensed-audio video without media_url, and more media than a page', async () => {
    const shop = await shortToken(em(), 'small.shop')
    const profile = (await (await fetch(`${em().url}/v25.0/me?fields=id,user_id,username,profile_picture_url&access_token=${shop}`)).json()) as Record<string, unknown>
    expect(profile).toEqual({ id: '1234509876', user_id: '9876543210', username: 'small.shop' })

    const odd = await shortToken(em(), 'bigodd.creator')
    const fields = 'id,media_type,media_url,thumbnail_url,permalink'
    const media = (await (await fetch(`${em().url}/v25.0/me/media?fields=${fields}&access_token=${odd}`)).json()) as { data: Record<string, unknown>[] }
    const video = media.data.find((m) => m.media_type === 'VIDEO')
    expect(video).toEqual({ id: '18023456789012343', media_type: 'VIDEO', permalink: 'https://www.instagram.com/p/CyV4gH5iJ6k/' })

    const jay = await shortToken(em(), 'jayposiris')
    const jayMedia = (await (await fetch(`${em().url}/me/media?fields=${fields}&access_token=${jay}`)).json()) as { data: Record<string, unknown>[] }
    const jayVideo = jayMedia.data.find((m) => m.media_type === 'VIDEO')!
    expect(jayVideo).not.toHaveProperty('media_url')
    expect(jayVideo.thumbnail_url).toMatch(/\.svg$/)

    const many = await shortToken(em(), 'many.posts')
    const first = (await (await fetch(`${em().url}/me/media?fields=id,timestamp&access_token=${many}`)).json()) as {
      data: { id: string; timestamp: string }[]
      paging: { cursors: { before: string; after: string }; next?: string }
    }
    expect(first.data).toHaveLength(25)
    expect(first.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) })
    expect(first.paging.next).toContain('after=')
    const second = (await (await fetch(first.paging.next!)).json()) as { data: unknown[]; paging: { next?: string } }
    expect(second.data).toHaveLength(5)
    // The end of the list is the absence of paging.next.
    expect(second.paging).not.toHaveProperty('next')
  })
})

describe('answers as Instagram sends them', () => {
  it('/me flat by default, wrapped in data as an option, account_type upper-case', async () => {
    const token = await shortToken(em(), 'bigodd.creator')
    const url = `${em().url}/v25.0/me?fields=id,user_id,username,account_type&access_token=${token}`
    expect(await (await fetch(url)).json()).toEqual({ id: '27640875392278831', user_id: '17841405793187219', username: 'bigodd.creator', account_type: 'MEDIA_CREATOR' })
    await admin(em(), '/settings', { me_shape: 'wrapped' })
    expect(await (await fetch(url)).json()).toEqual({
      data: [{ id: '27640875392278831', user_id: '17841405793187219', username: 'bigodd.creator', account_type: 'MEDIA_CREATOR' }],
    })
    await admin(em(), '/settings', { me_shape: 'flat', me_ids: 'number' })
    expect(await (await fetch(url)).text()).toBe('{"id":27640875392278831,"user_id":17841405793187219,"username":"bigodd.creator","account_type":"MEDIA_CREATOR"}')
  })

  it('refuses a versioned long-lived or refresh path with code 100', async () => {
    const short = await shortToken(em())
    const res = await fetch(`${em().url}/v25.0/access_token?grant_type=ig_exchange_token&client_secret=${em().clientSecret}&access_token=${short}`)
    expect(res.status).toBe(400)
    const body = (await res.json()) as GraphError
    expect(body.error).toMatchObject({ code: 100, type: 'IGApiException', message: 'Unsupported request - method type: get (/v25.0/access_token)' })
    const long = await longToken(em())
    const refresh = (await (await fetch(`${em().url}/v25.0/refresh_access_token?grant_type=ig_refresh_token&access_token=${long}`)).json()) as GraphError
    expect(refresh.error.code).toBe(100)
  })

  it('a revoked permission: the token stays valid, reads answer code 10 naming it', async () => {
    const token = await shortToken(em())
    expect(await (await admin(em(), '/revoke', { permission: 'instagram_business_basic', username: 'jayposiris' })).json()).toEqual({
      revoked_permission: 'instagram_business_basic',
      tokens: 1,
    })
    for (const path of ['/me?fields=id,username', '/me/media?fields=id']) {
      const res = await fetch(`${em().url}/v25.0${path}&access_token=${token}`)
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as GraphError
      expect(error).toMatchObject({ code: 10, type: 'IGApiException' })
      expect(error.message).toContain('instagram_business_basic')
    }
  })
})

describe('fault hook, grown', () => {
  it('graph-error: any code, error_subcode, type, is_transient, message and HTTP status', async () => {
    const token = await shortToken(em())
    await admin(em(), '/faults', { kind: 'graph-error', match: 'profile', status: 403, code: 200, error_subcode: 2207001, type: 'OAuthException', is_transient: false, message: 'Permissions error' })
    const res = await fetch(`${em().url}/me?access_token=${token}`)
    expect(res.status).toBe(403)
    expect(((await res.json()) as GraphError).error).toEqual({
      message: 'Permissions error',
      type: 'OAuthException',
      code: 200,
      error_subcode: 2207001,
      is_transient: false,
      fbtrace_id: expect.stringMatching(/^A/),
    })
    await admin(em(), '/faults', { kind: 'graph-error', code: 17 })
    const throttled = (await (await fetch(`${em().url}/me?access_token=${token}`)).json()) as GraphError
    expect(throttled.error).toMatchObject({ code: 17, type: 'IGApiException' })
    expect(throttled.error).not.toHaveProperty('error_subcode')
  })

  it('oauth-error: the token endpoint’s flat shape with any code and message', async () => {
    await admin(em(), '/faults', { kind: 'oauth-error', code: 100, message: 'Unsupported request - method type: get' })
    const res = await exchange(em(), await getCode(em()))
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error_type: 'OAuthException', code: 100, error_message: 'Unsupported request - method type: get' })
  })

  it('html: an HTML page with a 4xx, 5xx or 200 status', async () => {
    const token = await shortToken(em())
    for (const status of [404, 503, 200]) {
      await admin(em(), '/faults', { kind: 'html', status })
      const res = await fetch(`${em().url}/me?access_token=${token}`)
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await res.text()).toMatch(/^<!doctype html>/)
    }
  })

  it('drop-connection: the request is handled (the code spent), then the connection closes without an answer', async () => {
    const code = await getCode(em())
    await admin(em(), '/faults', { kind: 'drop-connection', match: 'token' })
    await expect(exchange(em(), code)).rejects.toThrow()
    const again = await exchange(em(), code)
    expect(await again.json()).toMatchObject({ error_message: 'Matching code was not found or was already used' })
  })

  it('usage headers at a chosen level on Graph answers, not on the token endpoint', async () => {
    const token = await shortToken(em())
    await admin(em(), '/settings', { usage: { level: 85, header: 'both', estimated_time_to_regain_access: 7 } })
    const res = await fetch(`${em().url}/me?access_token=${token}`)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.headers.get('x-app-usage')!)).toEqual({ call_count: 85, total_cputime: 85, total_time: 85 })
    expect(JSON.parse(res.headers.get('x-business-use-case-usage')!)).toEqual({
      '17841400000000001': [{ type: 'instagram', call_count: 85, total_cputime: 85, total_time: 85, estimated_time_to_regain_access: 7 }],
    })
    expect((await exchange(em(), await getCode(em()))).headers.get('x-app-usage')).toBeNull()
    await admin(em(), '/settings', { usage: null })
    expect((await fetch(`${em().url}/me?access_token=${token}`)).headers.get('x-app-usage')).toBeNull()
  })
})

describe('force_reauth and the remembered sign-in', () => {
  it('without force_reauth a signed-in browser goes straight back as that account; with it the page asks which account', async () => {
    const decision = await decide(em(), 'authorize', { username: 'bigodd.creator' })
    const cookie = decision.headers.get('set-cookie')!.split(';')[0]!
    expect(cookie).toBe(`${SIGNED_IN_COOKIE}=bigodd.creator`)

    const silent = await fetch(authorizeUrl(em(), { state: 's1' }), { headers: { cookie }, redirect: 'manual' })
    expect(silent.status).toBe(302)
    const location = new URL(silent.headers.get('location')!)
    expect(location.searchParams.get('state')).toBe('s1')
    const text = await (await exchange(em(), location.searchParams.get('code')!)).text()
    expect(text).toContain('"user_id":27640875392278831')

    const asked = await fetch(authorizeUrl(em(), { force_reauth: 'true' }), { headers: { cookie }, redirect: 'manual' })
    expect(asked.status).toBe(200)
    const html = await asked.text()
    expect(html).toContain('choose the Instagram account to use')
    for (const user of TEST_USERS) expect(html).toContain(`value="${user.username}"`)
  })
})

describe('the admin hook answers only same-origin JSON on a loopback host (issue 14)', () => {
  const url = () => `${em().url}/__emulator/faults`

  it('refuses a cross-site text/plain POST, a form POST, and a foreign Origin', async () => {
    const crossSite = await rawRequest(url(), { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, body: '{"kind":"http500"}' })
    expect(crossSite.status).toBe(403)
    const textPlain = await rawRequest(url(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"kind":"http500"}' })
    expect(textPlain.status).toBe(415)
    const form = await rawRequest(url(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'kind=http500' })
    expect(form.status).toBe(415)
    const fetchSite = await rawRequest(url(), { method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, body: '{"kind":"http500"}' })
    expect(fetchSite.status).toBe(403)
    expect((await (await admin(em(), '/faults', undefined, 'GET')).json()) as unknown).toEqual({ faults: [] })
  })

  it('refuses a non-loopback Host (DNS rebinding)', async () => {
    const rebound = await rawRequest(url(), { method: 'POST', headers: { host: `evil.example:${em().port}`, 'content-type': 'application/json' }, body: '{"kind":"http500"}' })
    expect(rebound.status).toBe(403)
    const read = await rawRequest(`${em().url}/__emulator/`, { headers: { host: 'evil.example' } })
    expect(read.status).toBe(403)
  })

  it('accepts same-origin JSON and clients on this machine', async () => {
    const sameOrigin = await rawRequest(url(), { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', origin: em().url, 'sec-fetch-site': 'same-origin' }, body: '{"kind":"http500"}' })
    expect(sameOrigin.status).toBe(201)
    const localhost = await rawRequest(url(), { method: 'POST', headers: { host: `localhost:${em().port}`, 'content-type': 'application/json' }, body: '{"kind":"http500"}' })
    expect(localhost.status).toBe(201)
    // Requests through a node:http agent keep working.
    await new Promise<void>((done, fail) => httpRequest(`${em().url}/__emulator/faults`, { method: 'DELETE' }, (res) => (res.statusCode === 200 ? done() : fail(new Error(String(res.statusCode))))).end())
  })
})
