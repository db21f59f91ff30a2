import { describe, expect, it, vi } from 'vitest'
import { createApiClient } from '../../src/lib/api'

type Call = { url: string; init: RequestInit }

function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} })
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    return new Response(text, { status, headers: { 'Content-Type': 'application/json' } })
  }) as typeof fetch
}

const config = {
  api: 'instagram-login',
  client_id: '123',
  authorize_url: 'http://127.0.0.1:9000/oauth/authorize',
  scope: ['instagram_business_basic'],
  redirect_uris: ['https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/'],
}

describe('createApiClient', () => {
  it('GETs /config and returns it as data', async () => {
    const calls: Call[] = []
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787/', fetch: fakeFetch(200, config, calls) })
    expect(await api.config()).toEqual({ ok: true, data: config })
    expect(calls[0]?.url).toBe('http://127.0.0.1:8787/config')
    expect(calls[0]?.init.method).toBe('GET')
    expect(calls[0]?.init.credentials).toBe('omit')
  })

  it('POSTs /token as JSON with code and redirect_uri', async () => {
    const calls: Call[] = []
    const token = { access_token: 'T', token_type: 'bearer', expires_in: 5183944, user: { id: '17841405793187219', username: 'jay' }, permissions: ['instagram_business_basic'] }
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: fakeFetch(200, token, calls) })
    expect(await api.token('CODE', 'https://x.chromiumapp.org/')).toEqual({ ok: true, data: token })
    expect(calls[0]?.url).toBe('http://127.0.0.1:8787/token')
    expect(calls[0]?.init.method).toBe('POST')
    expect((calls[0]?.init.headers as Record<string, string>)['Content-Type']).toBe('application/json')
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ code: 'CODE', redirect_uri: 'https://x.chromiumapp.org/' })
  })

  it('sends the token as a Bearer header to /me and /me/media', async () => {
    const calls: Call[] = []
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: fakeFetch(200, { data: [{ id: '1', media_type: 'IMAGE' }] }, calls) })
    expect(await api.media('TOKEN', 6)).toEqual({ ok: true, data: [{ id: '1', media_type: 'IMAGE' }] })
    expect(calls[0]?.url).toBe('http://127.0.0.1:8787/me/media?limit=6')
    expect((calls[0]?.init.headers as Record<string, string>).Authorization).toBe('Bearer TOKEN')
  })

  it('returns the server error code and description', async () => {
    const api = createApiClient({
      baseUrl: 'http://127.0.0.1:8787',
      fetch: fakeFetch(400, { error: 'redirect_uri_not_allowed', error_description: 'Add it to ALLOWED_REDIRECT_URIS.' }),
    })
    expect(await api.token('C', 'https://x/')).toEqual({
      ok: false,
      error: { code: 'redirect_uri_not_allowed', message: 'Add it to ALLOWED_REDIRECT_URIS.' },
    })
  })

  it('maps a network failure to server_unreachable naming the URL', async () => {
    const api = createApiClient({
      baseUrl: 'http://127.0.0.1:1',
      fetch: (async () => {
        throw new TypeError('Failed to fetch')
      }) as typeof fetch,
    })
    expect(await api.health()).toEqual({ ok: false, error: { code: 'server_unreachable', message: 'Could not reach http://127.0.0.1:1.' } })
  })

  it('gives up after the timeout with server_timeout', async () => {
    vi.useFakeTimers()
    try {
      const hanging = ((_url: RequestInfo | URL, init?: RequestInit) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        })) as typeof fetch
      const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: hanging, timeoutMs: 3000 })
      const pending = api.health()
      await vi.advanceTimersByTimeAsync(3000)
      expect(await pending).toEqual({
        ok: false,
        error: { code: 'server_timeout', message: 'http://127.0.0.1:8787 did not answer within 3 seconds.' },
      })
    } finally {
      vi.useRealTimers()
    }
  })

  it('maps a body that is not JSON to invalid_response', async () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: fakeFetch(502, '<html>Bad gateway</html>') })
    const result = await api.health()
    expect(result.ok === false && result.error.code).toBe('invalid_response')
  })

  it('maps an error without a code to invalid_response', async () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: fakeFetch(500, { message: 'boom' }) })
    const result = await api.me('T')
    expect(result.ok === false && result.error.code).toBe('invalid_response')
  })

  it('rejects a success with the wrong shape', async () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: fakeFetch(200, { access_token: '' }) })
    const result = await api.token('C', 'R')
    expect(result.ok === false && result.error.code).toBe('invalid_response')
  })

  it('keeps a path prefix on the server URL', async () => {
    const calls: Call[] = []
    const api = createApiClient({ baseUrl: 'https://example.com/ig/', fetch: fakeFetch(200, { status: 'ok' }, calls) })
    await api.health()
    expect(calls[0]?.url).toBe('https://example.com/ig/health')
  })

  it('carries Retry-After (seconds or an HTTP date) into the error info', async () => {
    const throttled = (retryAfter: string) =>
      (async () =>
        new Response(JSON.stringify({ error: 'instagram_rate_limited', error_description: 'Instagram is limiting…' }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': retryAfter },
        })) as unknown as typeof fetch
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: throttled('420') })
    expect(await api.me('T')).toEqual({ ok: false, error: { code: 'instagram_rate_limited', message: 'Instagram is limiting…', retryAfter: 420 } })
    const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString()
    const dated = await createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: throttled(inTwoMinutes) }).me('T')
    expect(!dated.ok && dated.error.retryAfter).toBeGreaterThanOrEqual(118)
    const junk = await createApiClient({ baseUrl: 'http://127.0.0.1:8787', fetch: throttled('soon') }).me('T')
    expect(!junk.ok && junk.error).toEqual({ code: 'instagram_rate_limited', message: 'Instagram is limiting…' })
  })
})

describe('createApiClient never follows a redirect (issue 14), over real HTTP', () => {
  it('a 3xx from the server is server_redirect on every call, and nothing reaches the redirect target', async () => {
    const { startCaptureServer, startRedirectServer } = await import('../support/redirect-server')
    const capture = await startCaptureServer()
    const servers = [capture]
    try {
      for (const status of [301, 302, 303, 307, 308]) {
        const redirecting = await startRedirectServer(capture.url, status)
        servers.push(redirecting)
        const api = createApiClient({ baseUrl: redirecting.url })
        const results = await Promise.all([
          api.health(),
          api.config(),
          api.token('CODE', 'https://x.chromiumapp.org/'),
          api.refresh('IGtoken'),
          api.me('IGtoken'),
          api.media('IGtoken', 6),
        ])
        for (const result of results) expect(!result.ok && result.error.code, `HTTP ${status}`).toBe('server_redirect')
        expect(redirecting.seen.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
          'GET /config',
          'GET /health',
          'GET /me',
          'GET /me/media?limit=6',
          'POST /refresh',
          'POST /token',
        ])
      }
      expect(capture.seen).toEqual([])
    } finally {
      await Promise.all(servers.map((s) => s.close()))
    }
  })
})
