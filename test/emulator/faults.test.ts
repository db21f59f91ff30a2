import { describe, expect, it } from 'vitest'
import { startEmulator } from '../../server/emulator'
import { admin, authorizeUrl, exchange, getCode, shortToken, useEmulator } from './helpers'

const em = useEmulator()

describe('fault hook', () => {
  it('http500: the next call answers a Graph-style 500, then recovers', async () => {
    const token = await shortToken(em())
    await admin(em(), '/faults', { kind: 'http500' })
    const res = await fetch(`${em().url}/me?access_token=${token}`)
    expect(res.status).toBe(500)
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(2)
    expect((await fetch(`${em().url}/me?access_token=${token}`)).status).toBe(200)
  })

  it('non-json: 200 with an HTML body, count times', async () => {
    const token = await shortToken(em())
    await admin(em(), '/faults', { kind: 'non-json', count: 2 })
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${em().url}/me?access_token=${token}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await res.text()).toBe('<html>oops</html>')
    }
    expect((await fetch(`${em().url}/me?access_token=${token}`)).headers.get('content-type')).toMatch(/json/)
  })

  it('no-answer: the request hangs until the client gives up', async () => {
    const token = await shortToken(em())
    await admin(em(), '/faults', { kind: 'no-answer' })
    const started = Date.now()
    await expect(fetch(`${em().url}/me?access_token=${token}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow()
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)
    expect((await fetch(`${em().url}/me?access_token=${token}`)).status).toBe(200)
  })

  it('delay: waits delay_ms and then answers normally', async () => {
    const token = await shortToken(em())
    await admin(em(), '/faults', { kind: 'delay', delay_ms: 200 })
    const started = Date.now()
    const res = await fetch(`${em().url}/me?access_token=${token}`)
    expect(res.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
  })

  it('match: only the named endpoint consumes the fault; consent and admin never do', async () => {
    await admin(em(), '/faults', { kind: 'http500', match: 'media' })
    expect((await fetch(authorizeUrl(em()))).status).toBe(200)
    const token = await shortToken(em())
    expect((await fetch(`${em().url}/v23.0/me?access_token=${token}`)).status).toBe(200)
    expect((await fetch(`${em().url}/v23.0/me/media?access_token=${token}`)).status).toBe(500)
    expect((await fetch(`${em().url}/v23.0/me/media?access_token=${token}`)).status).toBe(200)
  })

  it('a faulted token call leaves the code usable for a retry', async () => {
    const code = await getCode(em())
    await admin(em(), '/faults', { kind: 'http500', match: 'token' })
    expect((await exchange(em(), code)).status).toBe(500)
    expect((await exchange(em(), code)).status).toBe(200)
  })

  it('DELETE clears pending faults; bad specs are rejected', async () => {
    await admin(em(), '/faults', { kind: 'http500', count: 3 })
    await admin(em(), '/faults', undefined, 'DELETE')
    const token = await shortToken(em())
    expect((await fetch(`${em().url}/me?access_token=${token}`)).status).toBe(200)
    expect((await admin(em(), '/faults', { kind: 'explode' })).status).toBe(400)
    expect((await admin(em(), '/faults', { kind: 'http500', match: '/me' })).status).toBe(400)
  })

  it('latency_ms slows every upstream call', async () => {
    await admin(em(), '/settings', { latency_ms: 150 })
    const started = Date.now()
    const res = await fetch(`${em().url}/me`)
    expect(res.status).toBe(400)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })
})

describe('calls log', () => {
  it('lists upstream calls by endpoint name, without query strings', async () => {
    expect(await (await admin(em(), '/calls', undefined, 'GET')).json()).toEqual({ calls: [] })
    const token = await shortToken(em())
    await fetch(`${em().url}/access_token?grant_type=ig_exchange_token&client_secret=${em().clientSecret}&access_token=${token}`)
    await fetch(`${em().url}/refresh_access_token?grant_type=ig_refresh_token&access_token=x`)
    await fetch(`${em().url}/v23.0/me?access_token=${token}`)
    await fetch(`${em().url}/me/media?access_token=${token}`)
    await fetch(`${em().url}/__emulator/pictures/avatar/jayposiris.svg`)
    const { calls } = (await (await admin(em(), '/calls', undefined, 'GET')).json()) as { calls: unknown[] }
    expect(calls).toEqual([
      { endpoint: 'token', method: 'POST', path: '/oauth/access_token' },
      { endpoint: 'long-lived', method: 'GET', path: '/access_token' },
      { endpoint: 'refresh', method: 'GET', path: '/refresh_access_token' },
      { endpoint: 'profile', method: 'GET', path: '/v23.0/me' },
      { endpoint: 'media', method: 'GET', path: '/me/media' },
    ])
  })
})

describe('startEmulator', () => {
  it('close() returns promptly with a hanging no-answer request', async () => {
    const local = await startEmulator({ clientId: '42', clientSecret: 's' })
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(local.clientId).toBe('42')
    local.emulator.faults.add({ kind: 'no-answer' })
    const hanging = fetch(`${local.url}/me`).catch((err: unknown) => err)
    await new Promise((r) => setTimeout(r, 100))
    const started = Date.now()
    await local.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await hanging).toBeInstanceOf(Error)
  })

  it('rejects when the port is taken', async () => {
    await expect(startEmulator({ port: em().port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
  })
})
