import { describe, expect, it } from 'vitest'
import { parseRedirect } from '../../src/lib/redirect'

const expected = { redirectUri: 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/', state: 'S1' }
const at = (query: string) => `${expected.redirectUri}?${query}`

describe('parseRedirect', () => {
  it('returns the code and strips the #_ Instagram appends', () => {
    expect(parseRedirect(at('code=AQBx-hBsH3&state=S1#_'), expected)).toEqual({ ok: true, data: { code: 'AQBx-hBsH3' } })
  })

  it('strips a percent-encoded #_ too', () => {
    expect(parseRedirect(at('code=AQB%23_&state=S1'), expected)).toEqual({ ok: true, data: { code: 'AQB' } })
  })

  it('reads a cancelled consent as cancelled', () => {
    const result = parseRedirect(
      at('error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request&state=S1'),
      expected,
    )
    expect(result).toEqual({ ok: false, error: { code: 'cancelled', message: 'The user denied your request' } })
  })

  it('reads a cancel without state as cancelled (nothing is sent anywhere)', () => {
    const result = parseRedirect(at('error=access_denied&error_reason=user_denied'), expected)
    expect(result.ok === false && result.error.code).toBe('cancelled')
  })

  it('reports other OAuth errors as auth_failed with their text', () => {
    const result = parseRedirect(at('error=invalid_scope&error_description=Invalid+scope&state=S1'), expected)
    expect(result).toEqual({ ok: false, error: { code: 'auth_failed', message: 'invalid_scope: Invalid scope' } })
  })

  it('ends the attempt on a wrong state and does not return the code', () => {
    const result = parseRedirect(at('code=SECRET&state=S2'), expected)
    expect(result).toEqual({ ok: false, error: { code: 'state_mismatch', message: 'The answer carried a different state.' } })
    expect(JSON.stringify(result)).not.toContain('SECRET')
  })

  it('ends the attempt on a missing state and does not return the code', () => {
    const result = parseRedirect(at('code=SECRET'), expected)
    expect(result).toEqual({ ok: false, error: { code: 'state_mismatch', message: 'The answer carried no state.' } })
  })

  it('compares state exactly (no case folding, no prefix match)', () => {
    expect(parseRedirect(at('code=C&state=s1'), expected).ok).toBe(false)
    expect(parseRedirect(at('code=C&state=S1x'), expected).ok).toBe(false)
    expect(parseRedirect(at('code=C&state=S'), expected).ok).toBe(false)
  })

  it('rejects a wrong state even on an error redirect', () => {
    const result = parseRedirect(at('error=access_denied&state=nope'), expected)
    expect(result.ok === false && result.error.code).toBe('state_mismatch')
  })

  it('rejects a redirect to another origin or path', () => {
    for (const url of [
      'https://evil.example/?code=C&state=S1',
      'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/other?code=C&state=S1',
      'http://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/?code=C&state=S1',
    ]) {
      const result = parseRedirect(url, expected)
      expect(result.ok === false && result.error.code).toBe('invalid_redirect')
    }
  })

  // What the emulator's `tamper_redirect: "other-url"` sends: the right state and a real code,
  // on a path the browser still hands back (any path on the chromiumapp.org host).
  it.each([
    ['another path on our redirect host', 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/tampered-redirect/'],
    ['a longer path', 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org//'],
    ['another port', 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org:8443/'],
    ['a look-alike host', 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org.evil.example/'],
    ['our host as userinfo', 'https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org@evil.example/'],
    ['another extension', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/'],
  ])('withholds the code of a redirect to %s, even with the right state', (_name, base) => {
    const result = parseRedirect(`${base}?code=SECRET&state=S1#_`, expected)
    expect(result.ok === false && result.error.code).toBe('invalid_redirect')
    expect(JSON.stringify(result)).not.toContain('SECRET')
  })

  it.each([
    ['an empty state', 'code=SECRET&state='],
    ['a state only in the fragment', 'code=SECRET#state=S1'],
    ['a wrong state listed before ours', 'code=SECRET&state=evil&state=S1'],
    ['a state with surrounding spaces', 'code=SECRET&state=%20S1%20'],
    ['a percent-encoded look-alike', 'code=SECRET&state=S%31%00'],
  ])('withholds the code on %s', (_name, query) => {
    const result = parseRedirect(at(query), expected)
    expect(result.ok === false && result.error.code).toBe('state_mismatch')
    expect(JSON.stringify(result)).not.toContain('SECRET')
  })

  it('checks the URL before the state: a wrong URL with a wrong state is still invalid_redirect', () => {
    const result = parseRedirect('https://evil.example/?code=SECRET&state=nope', expected)
    expect(result.ok === false && result.error.code).toBe('invalid_redirect')
    expect(JSON.stringify(result)).not.toContain('SECRET')
  })

  it('rejects something that is not a URL', () => {
    const result = parseRedirect('not a url', expected)
    expect(result.ok === false && result.error.code).toBe('invalid_redirect')
  })

  it('rejects a redirect without a code', () => {
    const result = parseRedirect(at('state=S1#_'), expected)
    expect(result).toEqual({ ok: false, error: { code: 'invalid_redirect', message: 'The answer carried no authorization code.' } })
  })
})
