import { describe, expect, it } from 'vitest'
import { createEmulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '../../server/emulator'

describe('createEmulator (in-process, no port)', () => {
  it('uses the injected clock for code lifetimes', async () => {
    let now = Date.UTC(2026, 10, 1)
    const { app, state } = createEmulator({ now: () => now, autoApprove: 'jayposiris', redirectUris: ['https://app.example/cb/'] })
    const res = await app.request(
      `/oauth/authorize?client_id=${DEFAULT_CLIENT_ID}&redirect_uri=https://app.example/cb/&response_type=code&scope=instagram_business_basic`,
    )
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? ''
    expect(state.codes.get(code)?.expiresAt).toBe(now + 3600_000)
    now += 3600_000
    const body = new URLSearchParams({
      client_id: DEFAULT_CLIENT_ID,
      client_secret: DEFAULT_CLIENT_SECRET,
      grant_type: 'authorization_code',
      redirect_uri: 'https://app.example/cb/',
      code,
    })
    const exchanged = await app.request('/oauth/access_token', { method: 'POST', body })
    expect(await exchanged.json()).toMatchObject({ error_message: 'Matching code was not found or was already used' })
  })

  it('checks its options once, naming the bad one', () => {
    expect(() => createEmulator({ autoApprove: 'nobody' })).toThrow(/autoApprove/)
    expect(() => createEmulator({ redirectUris: [] })).toThrow(/redirectUris/)
  })
})
