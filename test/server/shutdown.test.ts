import { Agent, request } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator, serverEnvFor } from '../../server/emulator'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { authorizationCode } from '../support/consent'
import { killAll, runServer } from '../support/server-run'

/**
 * Graceful shutdown (SPEC `SHUTDOWN_GRACE_MS`), over real processes (`npm run server`) and a slow
 * Instagram (the emulator's `delay` fault): on SIGTERM or SIGINT the server stops accepting,
 * closes idle connections, lets requests in flight finish within the grace, answers those still
 * running 503 `shutting_down` — never a dropped socket — and exits 0.
 */

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterEach(() => {
  killAll()
  emulator.emulator.faults.clear()
})
afterAll(async () => {
  await emulator.close()
})

interface Answer {
  status: number
  body: unknown
  connection: string | undefined
  at: number
}

/** One request on its own connection; a dropped socket rejects (the test then fails). */
function send(url: string, path: string, init: { method?: string; body?: unknown; token?: string; agent?: Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body)
    const req = request(
      `${url}${path}`,
      {
        method: init.method ?? 'GET',
        agent: init.agent ?? false,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }),
        },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), connection: res.headers.connection, at: performance.now() }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const start = (env: Record<string, string>) => runServer({ ...serverEnvFor(emulator), PORT: '0', UPSTREAM_TIMEOUT_MS: '30000', ...env })
const upstreamCalls = () => emulator.emulator.calls.length
async function untilUpstreamCalls(count: number): Promise<void> {
  while (upstreamCalls() < count) await new Promise((done) => setTimeout(done, 10))
}

describe('graceful shutdown of npm run server', () => {
  it('lets requests in flight finish within the grace, refuses new connections, and exits 0', async () => {
    const server = start({ SHUTDOWN_GRACE_MS: '5000' })
    const url = await server.url()
    const codes = await Promise.all([0, 1, 2].map(() => authorizationCode(emulator)))
    emulator.emulator.faults.add({ kind: 'delay', delayMs: 800, match: 'token', count: 3 })
    const before = upstreamCalls()
    const inFlight = codes.map((code) => send(url, '/token', { method: 'POST', body: { code, redirect_uri: CHROME_REDIRECT_URI } }))
    await untilUpstreamCalls(before + 3)
    const sent = performance.now()
    server.kill('SIGTERM')
    await server.waitFor(/SIGTERM: stopping; requests in flight have up to 5000 ms to finish\./)
    // Not accepted: refused, or reset when it was still in the listen backlog as the server closed.
    const refused = await send(url, '/health').then(
      (answer) => `answered ${answer.status}`,
      (error: NodeJS.ErrnoException) => error.code,
    )
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(refused)

    const answers = await Promise.all(inFlight)
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    for (const answer of answers) expect(answer.body).toMatchObject({ token_type: 'bearer' })
    expect(await server.exitCode).toBe(0)
    await server.waitFor(/Stopped: 3 requests finished, 0 answered 503 shutting_down\./)
    expect(performance.now() - sent).toBeLessThan(4000)
  })

  it('answers what is still running when the grace runs out 503 shutting_down, never a dropped socket', async () => {
    const server = start({ SHUTDOWN_GRACE_MS: '700' })
    const url = await server.url()
    const user = emulator.users[0]!
    const token = emulator.emulator.issueToken('long', user, ['instagram_business_basic']).token
    const code = await authorizationCode(emulator)
    emulator.emulator.faults.add({ kind: 'delay', delayMs: 10_000, count: 3 })
    const before = upstreamCalls()
    const inFlight = [
      send(url, '/me', { token }),
      send(url, '/me/media', { token }),
      send(url, '/token', { method: 'POST', body: { code, redirect_uri: CHROME_REDIRECT_URI } }),
    ]
    await untilUpstreamCalls(before + 3)
    const sent = performance.now()
    server.kill('SIGINT')

    const answers = await Promise.all(inFlight)
    for (const answer of answers) {
      expect(answer.status).toBe(503)
      expect(answer.body).toEqual({
        error: 'shutting_down',
        error_description:
          'The server is stopping and this request did not finish in time. Try again; a sign-in code already sent to Instagram may be spent, so connect again.',
      })
      expect(answer.connection).toBe('close')
      expect(answer.at - sent).toBeGreaterThanOrEqual(600)
    }
    expect(await server.exitCode).toBe(0)
    expect(performance.now() - sent).toBeLessThan(3000)
    expect(server.stdout).toMatch(/Stopped: 0 requests finished, 3 answered 503 shutting_down\./)
  })

  it('closes idle keep-alive connections at once instead of waiting for them', async () => {
    const server = start({ SHUTDOWN_GRACE_MS: '10000' })
    const url = await server.url()
    const agent = new Agent({ keepAlive: true })
    try {
      expect((await send(url, '/health', { agent })).status).toBe(200)
      const sent = performance.now()
      server.kill('SIGTERM')
      expect(await server.exitCode).toBe(0)
      expect(performance.now() - sent).toBeLessThan(2000)
    } finally {
      agent.destroy()
    }
  })

  it('ends keep-alive on answers given while stopping', async () => {
    const server = start({ SHUTDOWN_GRACE_MS: '5000' })
    const url = await server.url()
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const user = emulator.users[0]!
      const token = emulator.emulator.issueToken('long', user, ['instagram_business_basic']).token
      emulator.emulator.faults.add({ kind: 'delay', delayMs: 600, match: 'profile' })
      const before = upstreamCalls()
      const slow = send(url, '/me', { token, agent })
      await untilUpstreamCalls(before + 1)
      server.kill('SIGTERM')
      const answer = await slow
      expect(answer.status).toBe(200)
      expect(answer.connection).toBe('close')
      expect(await server.exitCode).toBe(0)
    } finally {
      agent.destroy()
    }
  })
})
