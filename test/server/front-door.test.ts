import { describe, expect, it } from 'vitest'
import { ApiError } from '../../server/errors'
import { frontDoor, type FetchHandler } from '../../server/front-door'
import { apiJson } from '../../server/response'

/** The checks every request passes before the routes, with stand-in routes (the real ones: test/server/exchange.test.ts). */
describe('frontDoor', () => {
  const logs: string[] = []
  const door = (routes: FetchHandler) =>
    frontDoor(
      {
        publicUrl: 'https://exchange.example.com',
        allowedOrigins: ['https://app.example.com'],
        methods: { '/health': ['GET', 'HEAD'], '/token': ['POST'] },
        log: (line) => logs.push(line),
      },
      routes,
    )
  const ok = door(() => apiJson({ status: 'ok' }))

  it('answers at once when the route does: no promise in between', () => {
    const answer = ok(new Request('http://127.0.0.1:8787/health'))
    expect(answer).toBeInstanceOf(Response)
    expect((answer as Response).headers.get('cache-control')).toBe('no-store')
  })

  it('waits for a route that answers later, and turns its rejection into the error shape', async () => {
    const later = door(async () => apiJson({ later: true }))
    expect(await (await later(new Request('http://127.0.0.1:8787/health'))).json()).toEqual({ later: true })
    const failing = door(() => Promise.reject(new ApiError('upstream_timeout', 'slow')))
    const response = await failing(new Request('http://127.0.0.1:8787/health'))
    expect(response.status).toBe(504)
    expect(await response.json()).toEqual({ error: 'upstream_timeout', error_description: 'slow' })
  })

  it('refuses a foreign Host and a web Origin before the route runs', async () => {
    let called = 0
    const counted = door(() => {
      called++
      return apiJson({})
    })
    const host = await counted(new Request('http://127.0.0.1:8787/health', { headers: { host: 'evil.example' } }))
    expect([host.status, (await host.json()).error]).toEqual([403, 'host_not_allowed'])
    const origin = await counted(new Request('http://127.0.0.1:8787/health', { headers: { origin: 'https://evil.example' } }))
    expect([origin.status, (await origin.json()).error]).toEqual([403, 'origin_not_allowed'])
    const extension = await counted(new Request('http://127.0.0.1:8787/health', { headers: { origin: 'chrome-extension://abc' } }))
    expect(extension.status).toBe(200)
    expect(called).toBe(1)
  })

  it('answers 405 with Allow on a known path, and CORS on every answer to an allowed origin', async () => {
    const headers = { origin: 'https://app.example.com' }
    const wrong = await ok(new Request('http://127.0.0.1:8787/token', { headers }))
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
    expect(wrong.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    const preflight = await ok(new Request('http://127.0.0.1:8787/token', { method: 'OPTIONS', headers }))
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST')
    expect(preflight.headers.get('cache-control')).toBe('no-store')
  })

  it('logs method, path (never the query) and status, with control characters encoded', async () => {
    logs.length = 0
    await ok(new Request('http://127.0.0.1:8787/callback?code=secret-code'))
    await ok(new Request('http://127.0.0.1:8787/x%0AGET%20/forged'))
    expect(logs[0]).toMatch(/^GET \/callback 200 \d+\.\dms$/)
    expect(logs[1]).toMatch(/^GET \/x%0AGET%20\/forged 200 /)
    expect(logs.join('\n')).not.toContain('secret-code')
  })

  it('does not log healthy /health probes, and logs a failing one', async () => {
    logs.length = 0
    await ok(new Request('http://127.0.0.1:8787/health'))
    await door(() => apiJson({ error: 'server_error' }, 500))(new Request('http://127.0.0.1:8787/health'))
    expect(logs).toEqual([expect.stringMatching(/^GET \/health 500 /)])
  })
})
