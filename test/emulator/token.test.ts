import { describe, expect, it } from 'vitest'
import { admin, CHROME_REDIRECT, exchange, getCode, useEmulator } from './helpers'

const em = useEmulator()

const oauthError = (message: string) => ({ error_type: 'OAuthException', code: 400, error_message: message })

describe('POST /oauth/access_token', () => {
  it('exchanges a code sent as a form (flat shape as Instagram sends it: the app-scoped user_id as an exact odd number above 2^53, permissions as an array)', async () => {
    const res = await exchange(em(), await getCode(em(), { username: 'bigodd.creator' }))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const text = await res.text()
    expect(text).toMatch(/^\{"access_token":"IGQV[\w-]+","user_id":27640875392278831,"permissions":\["instagram_business_basic"\]\}$/)
  })

  it('exchanges a code sent as multipart (curl -F)', async () => {
    const form = new FormData()
    form.set('client_id', em().clientId)
    form.set('client_secret', em().clientSecret)
    form.set('grant_type', 'authorization_code')
    form.set('redirect_uri', CHROME_REDIRECT)
    form.set('code', await getCode(em(), { username: 'small.shop' }))
    const res = await fetch(`${em().url}/oauth/access_token`, { method: 'POST', body: form })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('"user_id":1234509876,')
  })

  it('answers the documented wrapped shape with permissions as a comma-separated string', async () => {
    await admin(em(), '/settings', { token_shape: 'wrapped' })
    const code = await getCode(em(), { username: 'bigodd.creator', scope: 'instagram_business_basic,instagram_business_manage_comments' })
    const text = await (await exchange(em(), code)).text()
    expect(text).toMatch(
      /^\{"data":\[\{"access_token":"IGQV[\w-]+","user_id":27640875392278831,"permissions":"instagram_business_basic,instagram_business_manage_comments"\}\]\}$/,
    )
  })

  it('honours permissions_as independently of the shape', async () => {
    await admin(em(), '/settings', { permissions_as: 'string' })
    const text = await (await exchange(em(), await getCode(em()))).text()
    expect(text).toContain('"permissions":"instagram_business_basic"}')
  })

  it('makes codes single-use', async () => {
    const code = await getCode(em())
    expect((await exchange(em(), code)).status).toBe(200)
    const again = await exchange(em(), code)
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual(oauthError('Matching code was not found or was already used'))
  })

  it('rejects a code older than an hour', async () => {
    const code = await getCode(em())
    await admin(em(), '/clock', { advance_ms: 61 * 60_000 })
    const res = await exchange(em(), code)
    expect(await res.json()).toEqual(oauthError('Matching code was not found or was already used'))
  })

  it('requires the same redirect_uri, and burns the code on a mismatch', async () => {
    const code = await getCode(em())
    const res = await exchange(em(), code, { redirect_uri: CHROME_REDIRECT.slice(0, -1) })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual(
      oauthError('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request'),
    )
    expect(await (await exchange(em(), code)).json()).toEqual(oauthError('Matching code was not found or was already used'))
  })

  it.each([
    ['a missing field', { client_id: undefined }, 'Missing required field client_id'],
    ['a missing code', { code: undefined }, 'Missing required field code'],
    ['a wrong client_id', { client_id: '111' }, 'Invalid platform app'],
    ['a wrong secret', { client_secret: 'nope' }, 'Error validating client secret.'],
    ['a wrong grant_type', { grant_type: 'password' }, 'Unsupported grant_type'],
  ])('answers OAuthException for %s', async (_name, overrides, message) => {
    const res = await exchange(em(), await getCode(em()), overrides)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual(oauthError(message))
  })
})
