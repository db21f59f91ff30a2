import { describe, expect, it } from 'vitest'
import { ApiError } from '../../server/errors'
import { classifyError, ERROR_TABLE, permissionNamed, readInstagramError } from '../../server/instagram/error-table'
import { processCodeExchange, processMedia, processProfile, processTokenGrant, refusal } from '../../server/instagram/responses'
import { readUsage } from '../../server/instagram/usage'
import { parseJsonKeepingBigInts } from '../../server/lossless-json'

/** The one table from Instagram's `code` to what the server answers (SPEC error table; issue 12). */

function thrown(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected an ApiError')
}

const graph = (error: Record<string, unknown>) => ({ error: { message: 'x', ...error } })
const classOf = (status: number, body: unknown, headers = {}) => classifyError(readInstagramError(status, body), readUsage(headers))

describe('ERROR_TABLE, one test per row', () => {
  it('has exactly the rows of the SPEC, in order (throttling first)', () => {
    expect(ERROR_TABLE.map((row) => row.class)).toEqual(['throttled', 'invalid_token', 'permission_missing', 'credentials', 'temporary', 'bad_request'])
  })

  it('throttled: 4, 17, 32, 613 and 80000–80099 → 429 instagram_rate_limited, Retry-After 60 without a usage header', () => {
    for (const code of [4, 17, 32, 613, 80000, 80002, 80099]) {
      for (const type of ['OAuthException', 'IGApiException']) {
        expect(classOf(400, graph({ code, type })), `${code} ${type}`).toBe('throttled')
      }
      const error = thrown(() => processProfile(400, graph({ code })))
      expect({ code: error.code, status: error.status, retryAfter: error.headers['Retry-After'] }).toEqual({ code: 'instagram_rate_limited', status: 429, retryAfter: '60' })
    }
    for (const code of [3, 5, 612, 614, 79999, 80100]) expect(classOf(400, graph({ code }))).not.toBe('throttled')
  })

  it('invalid_token: 190 (any subcode, any type) and 102 → 401 invalid_token', () => {
    for (const body of [graph({ code: 190 }), graph({ code: 190, error_subcode: 463, type: 'OAuthException' }), graph({ code: 190, type: 'IGApiException' }), graph({ code: 102 })]) {
      expect(classOf(400, body)).toBe('invalid_token')
      expect(thrown(() => processMedia(400, body))).toMatchObject({ code: 'invalid_token', status: 401 })
    }
  })

  it('permission_missing: 10 and 200–299 → 403 permission_missing', () => {
    for (const code of [10, 200, 230, 299]) {
      expect(classOf(400, graph({ code }))).toBe('permission_missing')
      expect(thrown(() => processProfile(403, graph({ code })))).toMatchObject({ code: 'permission_missing', status: 403 })
    }
    expect(classOf(400, graph({ code: 300 }))).toBe('other')
  })

  it('credentials: 101, or a message naming the app id, secret or platform app → 502 naming IG_CLIENT_ID and IG_CLIENT_SECRET', () => {
    expect(classOf(400, graph({ code: 101, message: 'Error validating client secret.' }))).toBe('credentials')
    expect(classOf(400, { error_type: 'OAuthException', code: 400, error_message: 'Invalid platform app' })).toBe('credentials')
    const error = thrown(() => processTokenGrant(400, graph({ code: 101 }), 'long-lived'))
    expect(error).toMatchObject({ code: 'upstream_error', status: 502 })
    expect(error.description).toMatch(/IG_CLIENT_ID and IG_CLIENT_SECRET/)
  })

  it('temporary: 1, 2 or is_transient → 502 upstream_error that says it is temporary; code 1 is never bad credentials by itself', () => {
    for (const body of [graph({ code: 1, message: 'An unknown error occurred' }), graph({ code: 2 }), graph({ code: 9999, is_transient: true })]) {
      expect(classOf(400, body)).toBe('temporary')
      const error = thrown(() => processCodeExchange(400, body))
      expect(error).toMatchObject({ code: 'upstream_error', status: 502 })
      expect(error.description).toMatch(/temporary/)
      expect(error.description).not.toMatch(/credentials|IG_CLIENT_SECRET/)
    }
  })

  it('bad_request: 100 → 502 upstream_error saying where to look (on /refresh: invalid_grant quoting Instagram)', () => {
    const body = graph({ code: 100, message: 'Tried accessing nonexisting field (followers_count)' })
    expect(classOf(400, body)).toBe('bad_request')
    const error = thrown(() => processMedia(400, body))
    expect(error).toMatchObject({ code: 'upstream_error', status: 502 })
    expect(error.description).toMatch(/IG_GRAPH_URL and IG_GRAPH_VERSION/)
    // Instagram's words go to the operator's log, not to the client (test/reliability/parsers.test.ts).
    expect(error.description).not.toContain('nonexisting field')
    expect(thrown(() => processTokenGrant(400, body, 'refresh'))).toMatchObject({ code: 'invalid_grant', status: 400 })
  })

  it('throttling wins: a usage header at 100 on a refused answer, whatever its code; a success stays a success', () => {
    const headers = { 'x-app-usage': '{"call_count":100,"total_time":20,"total_cputime":20}' }
    expect(classOf(400, graph({ code: 190 }), headers)).toBe('throttled')
    expect(classOf(500, '<html>', headers)).toBe('throttled')
    expect(processProfile(200, { id: '1', username: 'u' }, readUsage(headers))).toEqual({ id: '1', username: 'u' })
    expect(classOf(400, graph({ code: 190 }), { 'x-app-usage': '{"call_count":99}' })).toBe('invalid_token')
  })
})

describe('the issue’s examples (issue 12)', () => {
  it('code 102 "Invalid OAuth access token - Cannot parse access token" on /me → 401 invalid_token', () => {
    const body = parseJsonKeepingBigInts('{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"IGApiException","code":102}}')
    expect(thrown(() => processProfile(400, body))).toMatchObject({ code: 'invalid_token', status: 401 })
  })

  it('code 10 "Application does not have permission for this action" → 403 permission_missing', () => {
    const body = parseJsonKeepingBigInts('{"error":{"message":"Application does not have permission for this action","type":"IGApiException","code":10}}')
    const error = thrown(() => processProfile(400, body))
    expect(error).toMatchObject({ code: 'permission_missing', status: 403 })
    expect(error.description).toMatch(/reconnect/i)
  })

  it('a permission Instagram names is named in the description', () => {
    const error = thrown(() => processMedia(400, graph({ code: 200, message: '(#200) Requires instagram_business_basic permission' })))
    expect(error.description).toBe('Instagram says the permission instagram_business_basic is missing (it was not granted or was removed); reconnect and allow it.')
    expect(permissionNamed('nothing here')).toBeUndefined()
  })

  it('codes 17, 4, 32, 613 with the BUC header at 100 → 429 with Retry-After 420 (7 minutes)', () => {
    const usage = readUsage({
      'x-business-use-case-usage': '{"17841400000000001":[{"type":"instagram","call_count":100,"total_cputime":12,"total_time":9,"estimated_time_to_regain_access":7}]}',
    })
    for (const code of [17, 4, 32, 613]) {
      const error = thrown(() => processMedia(400, graph({ code, type: 'OAuthException' }), 6, usage))
      expect({ code: error.code, status: error.status, retryAfter: error.headers['Retry-After'] }).toEqual({ code: 'instagram_rate_limited', status: 429, retryAfter: '420' })
      expect(error.description).toContain('7 minutes')
    }
  })

  it('code 1 is_transient on the code exchange → 502 upstream_error that says temporary, not "rejected the app credentials"', () => {
    const body = parseJsonKeepingBigInts('{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1,"is_transient":true}}')
    const error = thrown(() => processCodeExchange(500, body))
    expect(error).toMatchObject({ code: 'upstream_error', status: 502 })
    expect(error.description).toMatch(/temporary/)
    expect(error.description).not.toMatch(/rejected the app credentials/)
  })

  it('the token endpoint answering code 100 "Unsupported request - method type: get" → 502 upstream_error pointing at IG_TOKEN_URL', () => {
    const body = { error_type: 'OAuthException', code: 100, error_message: 'Unsupported request - method type: get' }
    const error = thrown(() => processCodeExchange(400, body))
    expect(error).toMatchObject({ code: 'upstream_error', status: 502 })
    expect(error.description).toContain('IG_TOKEN_URL')
    expect(error.description).not.toMatch(/invalid_grant|connect again/)
  })

  it('"Redirect URI does not match" and "Matching code was not found or was already used" are both invalid_grant, with different descriptions', () => {
    const oauth = (message: string) => ({ error_type: 'OAuthException', code: 400, error_message: message })
    const redirect = thrown(() => processCodeExchange(400, oauth('Redirect URI does not match registered redirect URI')))
    const spent = thrown(() => processCodeExchange(400, oauth('Matching code was not found or was already used')))
    const used = thrown(() => processCodeExchange(400, oauth('This authorization code has been used')))
    const verification = thrown(() =>
      processCodeExchange(400, oauth('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request')),
    )
    for (const error of [redirect, spent, used, verification]) expect(error).toMatchObject({ code: 'invalid_grant', status: 400 })
    expect(redirect.description).toMatch(/redirect URI does not match/)
    expect(verification.description).toBe(redirect.description)
    expect(spent.description).toMatch(/already used, has expired, or was never issued/)
    expect(used.description).toBe(spent.description)
    expect(redirect.description).not.toBe(spent.description)
  })

  it('"Insufficient developer role" gets its own description, and is not invalid_grant', () => {
    const error = thrown(() => processCodeExchange(400, { error_type: 'OAuthException', code: 400, error_message: 'Insufficient developer role' }))
    expect(error.code).toBe('upstream_error')
    expect(error.description).toMatch(/development mode.*not one of its testers/)
  })

  it('POST /refresh answered with code 100 says what Instagram said, not the 24-hour rule', () => {
    const error = thrown(() => processTokenGrant(400, graph({ code: 100, message: 'Unsupported request - method type: get' }), 'refresh'))
    expect(error.description).toBe('Instagram refused to refresh this token (Instagram said: “Unsupported request - method type: get”).')
    expect(error.description).not.toMatch(/24 hours/)
    // Ids and token-like strings in Instagram's words are cut out.
    const withIds = thrown(() => processTokenGrant(400, graph({ code: 100, message: 'Object 17841405793187219 token IGAAabcdefghijklmnopqrstuvwxyz12 is bad' }), 'refresh'))
    expect(withIds.description).toBe('Instagram refused to refresh this token (Instagram said: “Object … token … is bad”).')
  })

  it('a /me wrapped in {"data":[{"user_id","username"}]} is accepted', () => {
    const body = parseJsonKeepingBigInts('{"data":[{"user_id":17841405793187219,"username":"bigodd.creator"}]}')
    expect(processProfile(200, body)).toEqual({ id: '17841405793187219', username: 'bigodd.creator' })
  })
})

describe('readInstagramError', () => {
  it('reads both wire shapes and nothing else', () => {
    expect(readInstagramError(400, { error: { message: 'm', type: 'IGApiException', code: 190, error_subcode: 460, is_transient: false, fbtrace_id: 'Axyz' } })).toEqual({
      status: 400,
      message: 'm',
      type: 'IGApiException',
      code: 190,
      error_subcode: 460,
      fbtrace_id: 'Axyz',
    })
    expect(readInstagramError(400, { error_type: 'OAuthException', code: 400, error_message: 'Invalid platform app' })).toEqual({
      status: 400,
      type: 'OAuthException',
      code: 400,
      message: 'Invalid platform app',
    })
    expect(readInstagramError(502, '<html>')).toEqual({ status: 502 })
    expect(readInstagramError(400, { error: { code: '190' } })).toEqual({ status: 400 })
  })

  it('refusal of a 5xx without a known code says Instagram is having trouble', () => {
    expect(refusal('profile', { status: 503 }).description).toMatch(/having trouble \(HTTP 503\)/)
  })
})

describe('/me shapes', () => {
  it('flat Instagram Login: user.id is user_id, app_scoped_id is id, exact above 2^53', () => {
    const body = parseJsonKeepingBigInts('{"id":27640875392278831,"user_id":17841405793187219,"username":"b","account_type":"MEDIA_CREATOR"}')
    expect(processProfile(200, body)).toEqual({ id: '17841405793187219', app_scoped_id: '27640875392278831', username: 'b', account_type: 'MEDIA_CREATOR' })
  })

  it('Basic Display: id only; name and profile_picture_url may be missing', () => {
    expect(processProfile(200, { id: '42', username: 'u', account_type: 'Business' })).toEqual({ id: '42', username: 'u', account_type: 'Business' })
  })

  it('wrapped: the first item of data; an empty data is an unexpected answer', () => {
    expect(processProfile(200, { data: [{ id: '9', user_id: '17', username: 'w' }] })).toEqual({ id: '17', app_scoped_id: '9', username: 'w' })
    expect(thrown(() => processProfile(200, { data: [] }))).toMatchObject({ code: 'upstream_error' })
  })
})

describe('/me/media', () => {
  it('media_url, caption and thumbnail_url are optional; at most N, newest first', () => {
    const items = processMedia(
      200,
      {
        data: [
          { id: '1', media_type: 'IMAGE', media_url: 'a', permalink: 'p1', timestamp: '2026-10-01T10:00:00+0000' },
          { id: '2', media_type: 'VIDEO', permalink: 'p2', thumbnail_url: 't', timestamp: '2026-11-01T10:00:00+0000' },
          { id: '3', media_type: 'VIDEO', permalink: 'p3', timestamp: '2026-10-15T10:00:00+0000' },
        ],
      },
      2,
    )
    expect(items).toEqual([
      { id: '2', media_type: 'VIDEO', permalink: 'p2', thumbnail_url: 't', timestamp: '2026-11-01T10:00:00+0000' },
      { id: '3', media_type: 'VIDEO', permalink: 'p3', timestamp: '2026-10-15T10:00:00+0000' },
    ])
  })
})
