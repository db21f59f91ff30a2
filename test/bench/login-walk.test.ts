import { describe, expect, it } from 'vitest'
import { CookieJar } from '../../bench/lib/cookie-jar'
import { shown } from '../../bench/lib/page-text'

function answer(...setCookies: string[]): Response {
  const headers = new Headers()
  for (const line of setCookies) headers.append('set-cookie', line)
  return new Response(null, { status: 302, headers })
}

describe('CookieJar (the benchmark browser of row 8)', () => {
  it('sends back what was set, by name, the last value winning', () => {
    const jar = new CookieJar()
    jar.take(answer('connect.sid=s%3Aabc.def; Path=/; HttpOnly', 'authjs.csrf-token=t1%7Ch; Path=/; SameSite=Lax'))
    jar.take(answer('authjs.csrf-token=t2; Path=/'))
    expect(jar.header()).toBe('connect.sid=s%3Aabc.def; authjs.csrf-token=t2')
  })

  it('forgets a cookie set empty, with Max-Age=0, or with an Expires in the past (how Auth.js clears its check cookies)', () => {
    const jar = new CookieJar()
    jar.take(answer('a=1', 'b=2', 'c=3', 'd=4'))
    jar.take(answer('a=; Path=/', 'b=x; Max-Age=0', 'c=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'd=5; Expires=Fri, 01 Jan 2100 00:00:00 GMT'))
    expect(jar.header()).toBe('d=5')
  })
})

describe('shown (what a page says, for the row\'s notes)', () => {
  it('keeps JSON as it is', () => {
    const body = '{"error":{"error_type":"OAuthException","code":400,"error_message":"Matching code was not found or was already used"}}'
    expect(shown(body)).toBe(body)
  })

  it('reads an HTML page without tags, styles or scripts, on one line', () => {
    expect(shown('<html><style>p{}</style><body><h1>Server error</h1>\n<p>There is a problem.</p><script>x()</script></body></html>')).toBe('Server error There is a problem')
  })

  it("keeps a stack trace's first line, not the frames (paths on this machine)", () => {
    const page = '<pre>InternalOAuthError: Failed to obtain access token<br> &nbsp; &nbsp;at OAuth2Strategy._createOAuthError (/work/x/node_modules/passport-oauth2/lib/strategy.js:423:17)<br> &nbsp; &nbsp;at /work/x/y.js:1:2</pre>'
    expect(shown(page)).toBe('InternalOAuthError: Failed to obtain access token')
  })

  it('cuts a long page at 160 characters', () => {
    expect(shown('x'.repeat(500))).toHaveLength(158)
  })
})
