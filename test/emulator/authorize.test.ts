import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../server/emulator'
import { admin, authorizeUrl, CHROME_REDIRECT, decide, useEmulator } from './helpers'

const em = useEmulator()

describe('GET /oauth/authorize', () => {
  it('shows a consent page with the test users and real Authorize/Cancel buttons', async () => {
    const res = await fetch(authorizeUrl(em(), { state: 's1' }), { redirect: 'manual' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('<form method="post" action="/oauth/authorize/decision">')
    expect(html).toMatch(/<button[^>]*value="authorize"[^>]*>Authorize<\/button>/)
    expect(html).toMatch(/<button[^>]*value="cancel"[^>]*>Cancel<\/button>/)
    for (const user of em().users) expect(html).toContain(`value="${user.username}"`)
    expect(html).toContain('value="jayposiris" checked')
    expect(html).toContain(`<input type="hidden" name="redirect_uri" value="${CHROME_REDIRECT}">`)
    expect(html).toContain('<input type="hidden" name="state" value="s1">')
    expect(html).not.toMatch(/(src|href)="https?:\/\/(?!127\.0\.0\.1)/)
  })

  it('escapes a hostile state', async () => {
    const hostile = '"><script>alert(1)</script>'
    const html = await (await fetch(authorizeUrl(em(), { state: hostile }))).text()
    expect(html).not.toContain('<script>')
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"')
  })

  it.each([
    ['unknown client_id', { client_id: '123' }, 'Invalid platform app'],
    ['missing client_id', { client_id: undefined }, 'Missing client_id'],
    ['redirect_uri without its trailing slash', { redirect_uri: CHROME_REDIRECT.slice(0, -1) }, 'Invalid redirect_uri'],
    ['unregistered redirect_uri', { redirect_uri: 'https://evil.example/' }, 'Invalid redirect_uri'],
    ['response_type=token', { response_type: 'token' }, 'Invalid response_type'],
    ['missing response_type', { response_type: undefined }, 'Missing response_type'],
    ['unknown scope', { scope: 'instagram_business_basic,email' }, 'Invalid Scopes: email'],
    ['empty scope', { scope: '' }, 'Missing scope'],
  ])('answers an error page, no redirect, for %s', async (_name, params, message) => {
    const res = await fetch(authorizeUrl(em(), params), { redirect: 'manual' })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toContain(message)
  })

  it('accepts space-separated basic-display scopes', async () => {
    const res = await fetch(authorizeUrl(em(), { scope: 'user_profile user_media' }))
    expect(res.status).toBe(200)
  })

  it('auto-approves as a configured user without a page', async () => {
    await admin(em(), '/settings', { auto_approve: 'small.shop' })
    const res = await fetch(authorizeUrl(em(), { state: 'x' }), { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^https:\/\/keaflfdjmoomnhhnpdggooggjkklfomp\.chromiumapp\.org\/\?code=AQ[\w-]+&state=x#_$/)
  })

  it('asks which account with force_reauth=true', async () => {
    const res = await fetch(authorizeUrl(em(), { state: 'x', force_reauth: 'true' }), { redirect: 'manual' })
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const user of em().users) expect(html).toContain(`<input type="radio" name="username" value="${user.username}"`)
  })

  it('auto-approve (a test hook standing for a person who approves at once) still wins over force_reauth=true', async () => {
    // /config carries force_reauth=true by default (IG_FORCE_REAUTH): the hook must keep working.
    await admin(em(), '/settings', { auto_approve: 'small.shop' })
    const res = await fetch(authorizeUrl(em(), { state: 'x', force_reauth: 'true' }), { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/\?code=AQ[\w-]+&state=x#_$/)
  })
})

describe('POST /oauth/authorize/decision', () => {
  it('Authorize redirects with ?code=…&state=…#_', async () => {
    const res = await decide(em(), 'authorize', { state: 'a b&c' })
    expect(res.status).toBe(302)
    const location = res.headers.get('location') ?? ''
    expect(location).toMatch(/^https:\/\/keaflfdjmoomnhhnpdggooggjkklfomp\.chromiumapp\.org\/\?code=AQ[\w-]+&state=a\+b%26c#_$/)
    expect(new URL(location).searchParams.get('state')).toBe('a b&c')
  })

  it('Cancel redirects with access_denied and the state', async () => {
    const res = await decide(em(), 'cancel', { state: 'xyz' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(
      `${CHROME_REDIRECT}?error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request&state=xyz`,
    )
  })

  it('leaves state out when none was given and keeps an existing query', async () => {
    const custom = await startEmulator({ redirectUris: ['https://app.example/cb?x=1'] })
    try {
      const res = await decide(custom, 'cancel', { redirect_uri: 'https://app.example/cb?x=1' })
      expect(res.headers.get('location')).toBe(
        'https://app.example/cb?x=1&error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request',
      )
    } finally {
      await custom.close()
    }
  })

  it('re-validates the form', async () => {
    const res = await decide(em(), 'authorize', { redirect_uri: 'https://evil.example/' })
    expect(res.status).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    const noUser = await decide(em(), 'authorize', { username: 'nobody' })
    expect(noUser.status).toBe(400)
  })
})
