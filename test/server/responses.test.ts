import { describe, expect, it } from 'vitest'
import { ApiError } from '../../server/errors'
import {
  parsePermissions,
  processCodeExchange,
  processMedia,
  processProfile,
  processTokenGrant,
} from '../../server/instagram/responses'
import { parseJsonKeepingBigInts } from '../../server/lossless-json'

function errorCode(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof ApiError) return error.code
    throw error
  }
  throw new Error('expected an ApiError')
}

describe('processCodeExchange', () => {
  it('reads the flat shape with a big id and comma-separated permissions', () => {
    const body = parseJsonKeepingBigInts('{"access_token":"IGQVJ","user_id":17841405793187219,"permissions":"instagram_business_basic, instagram_business_manage_messages"}')
    expect(processCodeExchange(200, body)).toEqual({
      accessToken: 'IGQVJ',
      userId: '17841405793187219',
      permissions: ['instagram_business_basic', 'instagram_business_manage_messages'],
    })
  })

  it('reads the wrapped shape with permissions as an array', () => {
    const body = parseJsonKeepingBigInts('{"data":[{"access_token":"IGQVJ","user_id":17841405793187218,"permissions":["instagram_business_basic"]}]}')
    expect(processCodeExchange(200, body)).toEqual({ accessToken: 'IGQVJ', userId: '17841405793187218', permissions: ['instagram_business_basic'] })
  })

  it('accepts a string user_id and no permissions (Basic Display)', () => {
    expect(processCodeExchange(200, { access_token: 'a', user_id: '42' })).toEqual({ accessToken: 'a', userId: '42', permissions: [] })
  })

  it('maps a used or expired code to invalid_grant', () => {
    const body = { error_type: 'OAuthException', code: 400, error_message: 'Matching code was not found or was already used' }
    expect(errorCode(() => processCodeExchange(400, body))).toBe('invalid_grant')
    const mismatch = { error_type: 'OAuthException', code: 400, error_message: 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request' }
    expect(errorCode(() => processCodeExchange(400, mismatch))).toBe('invalid_grant')
  })

  it('maps rejected app credentials to upstream_error, not to the user', () => {
    expect(errorCode(() => processCodeExchange(400, { error_type: 'OAuthException', code: 400, error_message: 'Error validating client secret.' }))).toBe('upstream_error')
    expect(errorCode(() => processCodeExchange(400, { error_type: 'OAuthException', code: 400, error_message: 'Invalid platform app' }))).toBe('upstream_error')
  })

  it('maps bodies that are not the documented JSON to upstream_error', () => {
    expect(errorCode(() => processCodeExchange(200, { hello: 'world' }))).toBe('upstream_error')
    expect(errorCode(() => processCodeExchange(200, { data: [] }))).toBe('upstream_error')
    expect(errorCode(() => processCodeExchange(200, { access_token: 'a', user_id: 1.5 }))).toBe('upstream_error')
    expect(errorCode(() => processCodeExchange(200, 'text'))).toBe('upstream_error')
    expect(errorCode(() => processCodeExchange(404, null))).toBe('upstream_error')
  })
})

describe('parsePermissions', () => {
  it('takes a string or an array and drops junk', () => {
    expect(parsePermissions('a,b,,c ')).toEqual(['a', 'b', 'c'])
    expect(parsePermissions(['a', 1, 'b'])).toEqual(['a', 'b'])
    expect(parsePermissions(undefined)).toEqual([])
  })
})

describe('processTokenGrant', () => {
  it('reads the long-lived answer', () => {
    expect(processTokenGrant(200, { access_token: 'IGAA', token_type: 'bearer', expires_in: 5184000 }, 'long-lived')).toEqual({
      accessToken: 'IGAA',
      tokenType: 'bearer',
      expiresIn: 5184000,
    })
  })

  it('maps Graph code 190 to invalid_token and other refusals of a refresh to invalid_grant', () => {
    const expired = { error: { message: 'Error validating access token', type: 'OAuthException', code: 190, error_subcode: 463 } }
    expect(errorCode(() => processTokenGrant(400, expired, 'refresh'))).toBe('invalid_token')
    const young = { error: { message: 'the access token must be at least 24 hours old', type: 'OAuthException', code: 100 } }
    expect(errorCode(() => processTokenGrant(400, young, 'refresh'))).toBe('invalid_grant')
    const secret = { error: { message: 'Error validating client secret.', type: 'OAuthException', code: 101 } }
    expect(errorCode(() => processTokenGrant(400, secret, 'long-lived'))).toBe('upstream_error')
  })
})

describe('processProfile and processMedia', () => {
  it('prefers Instagram Login user_id over the app-scoped id, which it keeps as app_scoped_id', () => {
    expect(processProfile(200, { id: '555', user_id: '17841405793187219', username: 'u', media_count: 3, name: 7 })).toEqual({
      id: '17841405793187219',
      username: 'u',
      app_scoped_id: '555',
      media_count: 3,
    })
    expect(processProfile(200, { id: '42', username: 'u', account_type: 'PERSONAL' })).toEqual({ id: '42', username: 'u', account_type: 'PERSONAL' })
  })

  it('maps 190 to invalid_token and odd bodies to upstream_error', () => {
    expect(errorCode(() => processProfile(400, { error: { code: 190, message: 'x' } }))).toBe('invalid_token')
    expect(errorCode(() => processProfile(200, { id: '1' }))).toBe('upstream_error')
    expect(errorCode(() => processMedia(400, { error: { code: 190 } }))).toBe('invalid_token')
    expect(errorCode(() => processMedia(200, { data: 'x' }))).toBe('upstream_error')
  })

  it('keeps only the documented media fields', () => {
    const items = processMedia(200, {
      data: [{ id: '1', media_type: 'VIDEO', media_url: 'u', permalink: 'p', thumbnail_url: 't', caption: 'c', timestamp: 'ts', extra: 1 }, 'junk'],
    })
    expect(items).toEqual([{ id: '1', media_type: 'VIDEO', media_url: 'u', permalink: 'p', thumbnail_url: 't', caption: 'c', timestamp: 'ts' }])
  })
})
