import { describe, expect, it } from 'vitest'
import { buildAuthorizeUrl } from '../../src/lib/authorize-url'

const base = {
  authorizeUrl: 'https://www.instagram.com/oauth/authorize',
  clientId: '990602627938098',
  redirectUri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/',
  scope: ['instagram_business_basic'],
  state: 'abc_-123',
}

describe('buildAuthorizeUrl', () => {
  it('carries client_id, redirect_uri, scope, response_type=code and state', () => {
    const url = new URL(buildAuthorizeUrl(base))
    expect(url.origin + url.pathname).toBe('https://www.instagram.com/oauth/authorize')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '990602627938098',
      redirect_uri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/',
      scope: 'instagram_business_basic',
      response_type: 'code',
      state: 'abc_-123',
    })
  })

  it('joins scopes with commas, as Instagram documents', () => {
    const url = new URL(buildAuthorizeUrl({ ...base, scope: ['user_profile', 'user_media'] }))
    expect(url.searchParams.get('scope')).toBe('user_profile,user_media')
  })

  it('keeps the redirect URI exact, trailing slash included', () => {
    const url = buildAuthorizeUrl(base)
    expect(url).toContain('redirect_uri=https%3A%2F%2Fkeaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org%2F')
  })

  it('keeps query parameters already on the authorize URL and replaces ours', () => {
    const url = new URL(buildAuthorizeUrl({ ...base, authorizeUrl: 'http://127.0.0.1:9000/oauth/authorize?force_reauth=true&state=old#x' }))
    expect(url.searchParams.get('force_reauth')).toBe('true')
    expect(url.searchParams.getAll('state')).toEqual(['abc_-123'])
    expect(url.hash).toBe('')
  })

  it('refuses a non-http authorize URL', () => {
    expect(() => buildAuthorizeUrl({ ...base, authorizeUrl: 'javascript:alert(1)' })).toThrow(/http\(s\)/)
  })

  it('keeps every parameter /config put on authorize_url, force_reauth=true included', () => {
    const url = new URL(buildAuthorizeUrl({ ...base, authorizeUrl: 'https://www.instagram.com/oauth/authorize?enable_fb_login=0&force_reauth=true' }))
    expect(url.searchParams.get('force_reauth')).toBe('true')
    expect(url.searchParams.get('enable_fb_login')).toBe('0')
    expect(url.searchParams.get('client_id')).toBe(base.clientId)
  })
})
