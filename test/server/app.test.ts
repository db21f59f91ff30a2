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
})
