import { describe, expect, it } from 'vitest'
import { admin, CHROME_REDIRECT, decide, exchange, useEmulator } from './helpers'

const em = useEmulator()

const location = (res: Response): URL => new URL(res.headers.get('location') ?? '')

describe('tamper_redirect setting', () => {
  it('is off by default and reported in GET /__emulator', async () => {
    const info = (await (await fetch(`${em().url}/__emulator`)).json()) as { settings: Record<string, unknown> }
    expect(info.settings.tamper_redirect).toBeNull()
    const url = location(await decide(em(), 'authorize', { state: 'S1' }))
    expect(url.searchParams.get('state')).toBe('S1')
  })

  it('wrong-state: the next redirect carries another state, and a code that still works', async () => {
    const set = await admin(em(), '/settings', { tamper_redirect: 'wrong-state' })
    expect(((await set.json()) as Record<string, unknown>).tamper_redirect).toBe('wrong-state')
    const url = location(await decide(em(), 'authorize', { state: 'S1' }))
    expect(`${url.origin}${url.pathname}`).toBe(CHROME_REDIRECT)
    expect(url.searchParams.get('state')).toMatch(/^tampered-[A-Za-z0-9_-]{22}$/)
    expect(url.hash).toBe('#_')
    // Only the state is wrong: the code is real, so a client that sent it would get a token.
    expect((await exchange(em(), url.searchParams.get('code') ?? '')).status).toBe(200)
  })

  it('drop-state: the next redirect has a code and no state', async () => {
    await admin(em(), '/settings', { tamper_redirect: 'drop-state' })
    const url = location(await decide(em(), 'authorize', { state: 'S1' }))
    expect(`${url.origin}${url.pathname}`).toBe(CHROME_REDIRECT)
    expect(url.searchParams.has('state')).toBe(false)
    expect(url.searchParams.get('code')).toMatch(/^AQ/)
  })

  it('other-url: the right state and a real code, on another path of the redirect origin', async () => {
    await admin(em(), '/settings', { tamper_redirect: 'other-url' })
    const url = location(await decide(em(), 'authorize', { state: 'S1' }))
    expect(url.origin).toBe(new URL(CHROME_REDIRECT).origin)
    expect(url.pathname).toBe('/tampered-redirect/')
    expect(url.searchParams.get('state')).toBe('S1')
    expect(url.searchParams.get('code')).toMatch(/^AQ/)
  })

  it('applies to a Cancel redirect and to auto-approve too', async () => {
    await admin(em(), '/settings', { tamper_redirect: 'drop-state' })
    const cancelled = location(await decide(em(), 'cancel', { state: 'S1' }))
    expect(cancelled.searchParams.get('error')).toBe('access_denied')
    expect(cancelled.searchParams.has('state')).toBe(false)

    await admin(em(), '/settings', { tamper_redirect: 'wrong-state', auto_approve: 'jayposiris' })
    const auto = await fetch(`${em().url}/oauth/authorize?${new URLSearchParams({
      client_id: em().clientId,
      redirect_uri: CHROME_REDIRECT,
      response_type: 'code',
      scope: 'instagram_business_basic',
      state: 'S1',
    })}`, { redirect: 'manual' })
    expect(location(auto).searchParams.get('state')).toMatch(/^tampered-/)
  })

  it('applies once: the redirect after it is honest again', async () => {
    await admin(em(), '/settings', { tamper_redirect: 'wrong-state' })
    await decide(em(), 'authorize', { state: 'S1' })
    const info = (await (await fetch(`${em().url}/__emulator`)).json()) as { settings: Record<string, unknown> }
    expect(info.settings.tamper_redirect).toBeNull()
    expect(location(await decide(em(), 'authorize', { state: 'S2' })).searchParams.get('state')).toBe('S2')
  })

  it('is cleared by null and by reset, and nothing else changes', async () => {
    await admin(em(), '/settings', { tamper_redirect: 'other-url', latency_ms: 5 })
    const cleared = (await (await admin(em(), '/settings', { tamper_redirect: null })).json()) as Record<string, unknown>
    expect(cleared).toMatchObject({ tamper_redirect: null, latency_ms: 5 })
    await admin(em(), '/settings', { tamper_redirect: 'other-url' })
    await admin(em(), '/reset')
    expect(location(await decide(em(), 'authorize', { state: 'S1' })).pathname).toBe('/')
  })

  it.each([['sometimes'], [true], [1], ['WRONG-STATE']])('refuses tamper_redirect %j with a 400 naming the choices', async (value) => {
    const res = await admin(em(), '/settings', { tamper_redirect: value })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'tamper_redirect must be one of wrong-state, drop-state, other-url, or null' })
    const info = (await (await fetch(`${em().url}/__emulator`)).json()) as { settings: Record<string, unknown> }
    expect(info.settings.tamper_redirect).toBeNull()
  })
})
