import { describe, expect, it } from 'vitest'
import { admin, exchange, getCode, longToken, shortToken, useEmulator } from './helpers'

const em = useEmulator()

interface GraphError {
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string }
}

describe('long-lived tokens', () => {
  it('exchanges a short-lived token for a 60-day one', async () => {
    const short = await shortToken(em())
    const res = await fetch(`${em().url}/access_token?grant_type=ig_exchange_token&client_secret=${em().clientSecret}&access_token=${short}`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toEqual({ access_token: expect.stringMatching(/^IGAA/), token_type: 'bearer', expires_in: 5184000 })
  })

  it('checks the client secret (code 101) and the grant type (code 100)', async () => {
    const short = await shortToken(em())
    const bad = await fetch(`${em().url}/access_token?grant_type=ig_exchange_token&client_secret=nope&access_token=${short}`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as GraphError).error).toMatchObject({ code: 101, message: 'Error validating client secret.', type: 'OAuthException' })
    const grant = await fetch(`${em().url}/v23.0/access_token?grant_type=nope&client_secret=${em().clientSecret}&access_token=${short}`)
    expect(((await grant.json()) as GraphError).error.code).toBe(100)
  })

  it('refreshes only tokens at least 24 hours old', async () => {
    const long = await longToken(em())
    const url = `${em().url}/refresh_access_token?grant_type=ig_refresh_token&access_token=${long}`
    const young = await fetch(url)
    expect(young.status).toBe(400)
    expect(((await young.json()) as GraphError).error.code).toBe(100)
    await admin(em(), '/clock', { advance_ms: 25 * 3600_000 })
    const res = await fetch(url)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { access_token: string; expires_in: number }
    expect(body.access_token).not.toBe(long)
    expect(body.expires_in).toBe(5184000)
  })

  it('does not refresh an expired long-lived token', async () => {
    const long = await longToken(em())
    await admin(em(), '/clock', { advance_ms: 61 * 24 * 3600_000 })
    const res = await fetch(`${em().url}/refresh_access_token?grant_type=ig_refresh_token&access_token=${long}`)
    expect(((await res.json()) as GraphError).error).toMatchObject({ code: 190, error_subcode: 463 })
  })
})

describe('GET /me and /me/media', () => {
  it('answers /me bare and under /v25.0, honouring fields, with the app-scoped id and the professional user_id', async () => {
    const token = await shortToken(em(), 'bigodd.creator')
    const bare = await fetch(`${em().url}/me?fields=user_id,username&access_token=${token}`)
    expect(bare.status).toBe(200)
    const text = await bare.text()
    expect(text).toContain('"user_id":"17841405793187219"')
    expect(JSON.parse(text)).toEqual({ id: '27640875392278831', user_id: '17841405793187219', username: 'bigodd.creator' })

    const fields = 'user_id,username,name,account_type,profile_picture_url,media_count,followers_count,follows_count'
    const versioned = await fetch(`${em().url}/v25.0/me?fields=${fields}`, { headers: { Authorization: `Bearer ${token}` } })
    expect(await versioned.json()).toEqual({
      id: '27640875392278831',
      user_id: '17841405793187219',
      username: 'bigodd.creator',
      name: 'Big Odd Creator',
      account_type: 'MEDIA_CREATOR',
      profile_picture_url: `${em().url}/__emulator/pictures/avatar/bigodd.creator.svg`,
      media_count: 3,
      followers_count: 98765,
      follows_count: 12,
    })
  })

  it('gives basic-display tokens the user id as id, also on /{user-id}', async () => {
    const code = await getCode(em(), { scope: 'user_profile,user_media' })
    const res = await exchange(em(), code)
    const token = /"access_token":"([^"]+)"/.exec(await res.text())?.[1] ?? ''
    expect(await (await fetch(`${em().url}/me?fields=id,username,account_type,media_count&access_token=${token}`)).json()).toEqual({
      id: '17841405793187218',
      username: 'jayposiris',
      account_type: 'BUSINESS',
      media_count: 6,
    })
    expect(await (await fetch(`${em().url}/17841405793187218?fields=id,username&access_token=${token}`)).json()).toEqual({
      id: '17841405793187218',
      username: 'jayposiris',
    })
  })

  it('pages /me/media with limit', async () => {
    const token = await shortToken(em())
    const fields = 'id,caption,media_type,media_url,permalink,thumbnail_url,timestamp'
    const res = await fetch(`${em().url}/v25.0/me/media?fields=${fields}&limit=2&access_token=${token}`)
    const body = (await res.json()) as { data: Record<string, unknown>[]; paging: { next?: string } }
    expect(body.data).toHaveLength(2)
    expect(body.data[0]).toEqual({
      id: '17895695668004550',
      caption: 'Morning espresso ☕',
      media_type: 'IMAGE',
      media_url: `${em().url}/__emulator/pictures/media/17895695668004550.svg`,
      permalink: 'https://www.instagram.com/p/CzJ1aB2kQ1x/',
      timestamp: '2026-11-06T08:15:00+0000',
    })
    expect(body.paging.next).toBeDefined()
    const next = (await (await fetch(body.paging.next ?? '')).json()) as { data: { id: string; media_type: string; thumbnail_url?: string }[] }
    expect(next.data.map((m) => m.id)).toEqual(['17895695668004552', '17895695668004553'])
    expect(next.data[0]?.thumbnail_url).toMatch(/\.svg$/)
  })

  it('keeps a hostile caption verbatim and answers empty media for small.shop', async () => {
    const odd = await shortToken(em(), 'bigodd.creator')
    const media = (await (await fetch(`${em().url}/me/media?fields=caption&access_token=${odd}`)).json()) as { data: { caption?: string }[] }
    expect(media.data[0]?.caption).toContain('<img src=x onerror=alert(1)> <b>bold</b>')
    const shop = await shortToken(em(), 'small.shop')
    expect(await (await fetch(`${em().url}/me/media?access_token=${shop}`)).json()).toEqual({ data: [] })
  })

  it('answers code 190 for missing, unknown, revoked and expired tokens', async () => {
    const missing = await fetch(`${em().url}/me`)
    expect(missing.status).toBe(400)
    const missingError = ((await missing.json()) as GraphError).error
    // graph.instagram.com's own shape: IGApiException, no error_subcode (INSTAGRAM-TODAY.md §7).
    expect(missingError).toMatchObject({ code: 190, type: 'IGApiException', fbtrace_id: expect.stringMatching(/^A/) })
    expect(missingError).not.toHaveProperty('error_subcode')

    const unknown = (await (await fetch(`${em().url}/me?access_token=IGQVnope`)).json()) as GraphError
    expect(unknown.error.code).toBe(190)

    const revoked = await shortToken(em())
    await admin(em(), '/revoke', { access_token: revoked })
    const r = (await (await fetch(`${em().url}/me?access_token=${revoked}`)).json()) as GraphError
    expect(r.error).toMatchObject({ code: 190, error_subcode: 460 })

    const byUser = await shortToken(em(), 'small.shop')
    expect(await (await admin(em(), '/revoke', { username: 'small.shop' })).json()).toEqual({ revoked: 1 })
    expect(((await (await fetch(`${em().url}/me?access_token=${byUser}`)).json()) as GraphError).error.code).toBe(190)

    const expiring = await shortToken(em())
    await admin(em(), '/clock', { advance_ms: 3601_000 })
    const e = (await (await fetch(`${em().url}/v23.0/me/media?access_token=${expiring}`)).json()) as GraphError
    expect(e.error).toMatchObject({ code: 190, error_subcode: 463 })
    expect(e.error.message).toMatch(/^Error validating access token: Session has expired/)
  })

  it('answers unknown paths with a Graph-style 404', async () => {
    const res = await fetch(`${em().url}/v23.0/nothing/here`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as GraphError).error.type).toBe('OAuthException')
  })
})

describe('pictures', () => {
  it('serves SVG avatars and media', async () => {
    const avatar = await fetch(`${em().url}/__emulator/pictures/avatar/jayposiris.svg`)
    expect(avatar.headers.get('content-type')).toBe('image/svg+xml')
    expect(await avatar.text()).toContain('>JP</text>')
    const media = await fetch(`${em().url}/__emulator/pictures/media/18023456789012341.svg`)
    expect(media.status).toBe(200)
    expect((await fetch(`${em().url}/__emulator/pictures/avatar/nobody.svg`)).status).toBe(404)
  })
})
