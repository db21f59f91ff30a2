import { describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { loadConfig } from '../../server/config'
import type { UpstreamResponse } from '../../server/instagram/client'

/** What cannot be provoked through the emulator: an unexpected failure inside the server. */
describe('createApp', () => {
  const result = loadConfig({ IG_CLIENT_ID: '1', IG_CLIENT_SECRET: 'shh-secret' })
  if (!result.ok) throw new Error(result.errors.join('\n'))

  it('turns an unexpected error into 500 server_error without details', async () => {
    const logs: string[] = []
    const brokenResponse = {
      get status(): number {
        throw new TypeError('boom at /internal/path with shh-secret')
      },
      text: '{}',
    } as unknown as UpstreamResponse
    const app = createApp(result.config, { upstream: async () => brokenResponse, log: (line) => logs.push(line) })
    const response = await app.fetch(new Request('http://127.0.0.1:8787/me', { headers: { authorization: 'Bearer abc' } }))
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({
      error: 'server_error',
      error_description: expect.stringContaining('Something went wrong'),
    })
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(logs.join('\n')).not.toMatch(/boom|shh-secret/)
    expect(logs).toContain('unexpected error: TypeError')
  })

  it('refuses a code that is only the #_ suffix as invalid_request, without calling Instagram (found by the long fuzz run)', async () => {
    const calls: string[] = []
    const app = createApp(result.config, { upstream: async (url) => (calls.push(url), { status: 500, text: '{}' }), log: () => {} })
    for (const code of ['#_', '#', ' #_', '  #_ ', '#_#_', '   ']) {
      const response = await app.fetch(
        new Request('http://127.0.0.1:8787/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code, redirect_uri: result.config.allowedRedirectUris[0] }),
        }),
      )
      expect(response.status, code).toBe(400)
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: code.includes('#') ? 'The field code is empty once the #_ Instagram appends is removed.' : 'The field code is empty.',
      })
    }
    expect(calls).toEqual([])
  })

  it('uses the injected fetch for every upstream call', async () => {
    const urls: string[] = []
    const app = createApp(result.config, {
      fetch: async (input) => {
        urls.push(String(input))
        return new Response('{"user_id":"5","username":"x"}', { headers: { 'content-type': 'application/json' } })
      },
      log: () => {},
    })
    const response = await app.fetch(new Request('http://127.0.0.1:8787/me', { headers: { authorization: 'Bearer abc' } }))
    expect(await response.json()).toEqual({ id: '5', username: 'x' })
    expect(urls).toEqual([expect.stringMatching(/^https:\/\/graph\.instagram\.com\/v25\.0\/me\?fields=id%2Cuser_id%2Cusername/)])
  })

  it.each([
    ['ENOTFOUND', 'not reached (ENOTFOUND): the request was not sent'],
    ['ECONNREFUSED', 'not reached (ECONNREFUSED): the request was not sent'],
    ['ECONNRESET', 'no answer (ECONNRESET): the connection closed before an answer (the code may be spent)'],
  ])('logs whether a code exchange that failed on the network (%s) may have spent the code', async (code, line) => {
    const logs: string[] = []
    const app = createApp(result.config, {
      upstream: async () => {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) })
      },
      log: (entry) => logs.push(entry),
    })
    const response = await app.fetch(
      new Request('http://127.0.0.1:8787/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'AQBcode', redirect_uri: result.config.allowedRedirectUris[0] }),
      }),
    )
    expect(response.status).toBe(502)
    expect(logs.filter((entry) => entry.startsWith('upstream '))).toEqual([`upstream exchange failed: ${line}`])
  })

  it('logs one line per refused upstream call, with Instagram’s fields and message but never the token it was sent', async () => {
    const logs: string[] = []
    const token = 'IGAAsecret-token-value-1234'
    const app = createApp(result.config, {
      upstream: async () => ({
        status: 400,
        text: JSON.stringify({ error: { message: `Cannot parse access token ${token}\nforged line`, type: 'IGApiException', code: 190, fbtrace_id: 'AbC-1_x' } }),
      }),
      log: (line) => logs.push(line),
    })
    const response = await app.fetch(new Request('http://127.0.0.1:8787/me', { headers: { authorization: `Bearer ${token}` } }))
    expect(response.status).toBe(401)
    const upstream = logs.filter((line) => line.startsWith('upstream '))
    expect(upstream).toEqual(['upstream profile failed: HTTP 400 code=190 type=IGApiException fbtrace_id=AbC-1_x message="Cannot parse access token [redacted] forged line"'])
    expect(logs.join('\n')).not.toContain(token)
  })
})
