import autocannon from 'autocannon'
import type { IncomingHttpHeaders } from 'node:http'
import { loadavg } from 'node:os'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startEmulator, type RunningEmulator, serverEnvFor } from '../../server/emulator'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { SecretCapture } from './support/capture'
import { Figures } from './support/figures'
import { contractViolations, outcomeOf } from './support/oracle'
import { ServerProcess, type ProbeReport } from './support/server-process'
import { SIZE, TEST_TIMEOUT_MS } from './support/size'

vi.setConfig({ testTimeout: TEST_TIMEOUT_MS })

/**
 * Load with faults: `POST /token` and `GET /me` with autocannon against `npm run server`
 * (server/node.ts in its own process) wired to the emulator, while about 5 % of the upstream
 * calls fail (HTTP 500, a non-JSON body, no answer, an answer after the timeout). Every answer
 * must be a documented one; the server must stay up with flat memory, hold no sockets or timers
 * once the load is over, and end by itself, promptly, on SIGTERM.
 */

const FAULT_RATE = 0.05
const UPSTREAM_TIMEOUT_MS = 1000
const FAULT_KINDS = ['http500', 'non-json', 'no-answer', 'delay'] as const
const FAULT_MATCHES = ['token', 'long-lived', 'profile'] as const
/** What each path may answer under upstream faults; anything else is a failure. */
const ALLOWED: Record<string, readonly string[]> = {
  '/token': ['200', '502 upstream_error', '504 upstream_timeout'],
  '/me': ['200', '502 upstream_error', '504 upstream_timeout'],
}

const figures = new Figures('load')
const capture = new SecretCapture()
let emulator: RunningEmulator
let server: ServerProcess
let url: string
let token: string

beforeAll(async () => {
  emulator = await startEmulator()
  capture.secret('client_secret', emulator.clientSecret)
  server = new ServerProcess(
    {
      ...serverEnvFor(emulator),
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      // The limiter is tested on its own; under load every request comes from one address.
      RATE_LIMIT_PER_MINUTE: '1000000',
      READ_RATE_LIMIT_PER_MINUTE: '1000000',
      HOST: '127.0.0.1',
      PORT: '0',
    },
    { naturalExit: true },
  )
  url = await server.url
  const user = emulator.users.find((u) => u.username === 'bigodd.creator')!
  token = emulator.emulator.issueToken('long', user, ['instagram_business_basic']).token
})

afterAll(async () => {
  server?.kill()
  await emulator?.close()
  figures.flush()
})

function issueCode(): string {
  const user = emulator.users.find((u) => u.username === 'bigodd.creator')!
  const { code } = emulator.emulator.issueCode({ clientId: emulator.clientId, redirectUri: CHROME_REDIRECT_URI, user, scopes: ['instagram_business_basic'] })
  capture.secret('code', code)
  return code
}

interface Run {
  result: autocannon.Result
  outcomes: Record<string, Record<string, number>>
  failures: string[]
  faultsAdded: number
  faultsInjected: number
  upstreamCalls: number
}

/** `amount` requests, alternating POST /token (a fresh code each) and GET /me, with faults armed as they go. */
async function load(amount: number, connections: number, faultRate: number): Promise<Run> {
  const outcomes: Record<string, Record<string, number>> = { '/token': {}, '/me': {} }
  const failures: string[] = []
  const callsBefore = emulator.emulator.calls.length
  let faultsAdded = 0
  let n = 0
  // Keep the faults armed at faultRate of the upstream calls made so far.
  const injector = setInterval(() => {
    const due = Math.floor((emulator.emulator.calls.length - callsBefore) * faultRate) - faultsAdded
    for (let i = 0; i < due; i++) {
      const kind = FAULT_KINDS[n % FAULT_KINDS.length]!
      const match = FAULT_MATCHES[Math.floor(n / FAULT_KINDS.length) % FAULT_MATCHES.length]!
      n += 1
      emulator.emulator.faults.add({ kind, match, delayMs: kind === 'delay' ? UPSTREAM_TIMEOUT_MS + 500 : undefined })
      faultsAdded += 1
    }
  }, 5)

  const check = (path: string) => (status: number, body: string, _context: object, rawHeaders: IncomingHttpHeaders | undefined) => {
    const headers: Record<string, string | string[] | undefined> = {}
    for (const [k, v] of Object.entries(rawHeaders ?? {})) headers[k.toLowerCase()] = v
    const answer = { status, headers, text: body }
    const outcome = outcomeOf(answer)
    outcomes[path]![outcome] = (outcomes[path]![outcome] ?? 0) + 1
    const problems = contractViolations({ method: path === '/token' ? 'POST' : 'GET', route: path }, answer)
    if (!ALLOWED[path]!.includes(outcome)) problems.push(`${outcome} is not an answer ${path} may give here`)
    if (problems.length > 0 && failures.length < 1000) failures.push(`${path} → ${problems.join('; ')}: ${body.slice(0, 200)}`)
    capture.response(path, body, { handsOutToken: path === '/token' && status === 200 })
  }

  const result = await autocannon({
    url,
    connections,
    amount,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/token',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ code: issueCode(), redirect_uri: CHROME_REDIRECT_URI }) }),
        onResponse: check('/token'),
      },
      { method: 'GET', path: '/me', headers: { authorization: `Bearer ${token}` }, onResponse: check('/me') },
    ],
  })
  clearInterval(injector)
  const pending = emulator.emulator.faults.pending().reduce((sum, f) => sum + f.remaining, 0)
  emulator.emulator.faults.clear()
  return { result, outcomes, failures, faultsAdded, faultsInjected: faultsAdded - pending, upstreamCalls: emulator.emulator.calls.length - callsBefore }
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

describe(`load with ${Math.round(FAULT_RATE * 100)} % upstream faults`, () => {
  let warm: ProbeReport
  let boot: ProbeReport

  it('warms up', async () => {
    boot = await server.stats()
    const run = await load(SIZE.load.warmup, 10, 0)
    expect(run.failures.slice(0, 3)).toEqual([])
    warm = await server.stats()
  })

  it(`holds ${SIZE.load.requests} requests at ${SIZE.load.connections} connections: every answer documented`, async () => {
    const run = await load(SIZE.load.requests, SIZE.load.connections, FAULT_RATE)
    const { result } = run
    await new Promise((done) => setTimeout(done, 300))
    const end = await server.stats()
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    await health.text()

    figures.set('loadAverage', loadavg().map((l) => Math.round(l * 10) / 10))
    figures.set('requests', result.requests.total)
    figures.set('connections', SIZE.load.connections)
    figures.set('durationSeconds', result.duration)
    figures.set('requestsPerSecond', Math.round(result.requests.average))
    figures.set('latencyMs', { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max })
    figures.set('outcomes', run.outcomes)
    figures.set('upstreamCalls', run.upstreamCalls)
    figures.set('faultsInjected', run.faultsInjected)
    figures.set('faultRate', Math.round((run.faultsInjected / run.upstreamCalls) * 1000) / 10)
    figures.set('clientErrors', { errors: result.errors, timeouts: result.timeouts, resets: result.resets, mismatches: result.mismatches })
    figures.set('memoryMiB', { rssBoot: mib(boot.rss), rssStart: mib(warm.rss), rssEnd: mib(end.rss), heapStart: mib(warm.heapUsed), heapEnd: mib(end.heapUsed) })
    figures.set('resourcesAfterLoad', end.resources)
    figures.set('failures', run.failures.length)
    figures.set('failureExamples', run.failures.slice(0, 5))

    expect(run.failures.slice(0, 5), `${run.failures.length} answers broke the contract`).toEqual([])
    expect(result.requests.total).toBeGreaterThanOrEqual(SIZE.load.requests)
    expect({ errors: result.errors, timeouts: result.timeouts }).toEqual({ errors: 0, timeouts: 0 })
    // The faults did happen, at about the rate asked for, and showed up as 502/504 answers.
    expect(run.faultsInjected / run.upstreamCalls).toBeGreaterThan(FAULT_RATE * 0.6)
    const faulted = Object.values(run.outcomes).reduce((sum, o) => sum + (o['502 upstream_error'] ?? 0) + (o['504 upstream_timeout'] ?? 0), 0)
    expect(faulted).toBeGreaterThan(0)
    // Flat memory: the heap after GC ends where the warm-up left it (a leak of even 1 KiB per
    // request would add 10+ MiB over the long run).
    expect(end.heapUsed - warm.heapUsed).toBeLessThan(16 * 1024 * 1024)
    expect(end.rss - warm.rss).toBeLessThan(96 * 1024 * 1024)
    // No client socket left open once the load is over, nor a ref'd timer.
    expect(end.resources.TCPSocketWrap ?? 0, JSON.stringify(end.resources)).toBe(0)
    expect(end.resources.Timeout ?? 0, JSON.stringify(end.resources)).toBe(0)
  })

  it('ends by itself, promptly, on SIGTERM: nothing left open keeps it alive', async () => {
    const sent = server.signal('SIGTERM')
    const exit = await Promise.race([server.exited, new Promise<undefined>((done) => setTimeout(done, 5000))])
    const alive = server.reports.find((r) => r.event === 'still-alive')
    figures.set('sigterm', { exitMs: exit ? Math.round(exit.at - sent) : null, code: exit?.code ?? null, leftOpen: alive?.resources ?? null })
    expect(alive?.resources, 'still open a second after the server closed').toBeUndefined()
    expect(exit, 'the server did not exit within 5 s of SIGTERM').toBeDefined()
    expect(exit!.code).toBe(0)
    expect(exit!.at - sent).toBeLessThan(3000)
  })

  it('logged one well-formed line per request, and no secret, token or code anywhere', () => {
    for (const code of emulator.emulator.codes.keys()) capture.secret('code', code)
    for (const t of emulator.emulator.tokens.keys()) capture.secret('access_token', t)
    for (const line of server.requestLines) capture.log('load', line)
    capture.output('load stderr', server.stderr.split('\n').filter((l) => !l.startsWith('PROBE ')).join('\n'))
    capture.output('load banner', server.stdoutLines.slice(0, 3).join('\n'))
    expect(capture.malformedLogLines().slice(0, 5)).toEqual([])
    expect(server.requestLines.length).toBeGreaterThanOrEqual(SIZE.load.requests)
    expect(capture.leaks().slice(0, 5)).toEqual([])
    figures.set('secretsChecked', capture.secrets.size)
    capture.flush('load')
  })
})

describe('SIGTERM with requests in flight', () => {
  it('closes their connections and exits at once, instead of waiting for Instagram', async () => {
    const busy = new ServerProcess({
      ...serverEnvFor(emulator),
      UPSTREAM_TIMEOUT_MS: '30000',
      PORT: '0',
    })
    try {
      const busyUrl = await busy.url
      emulator.emulator.faults.add({ kind: 'no-answer', match: 'profile', count: 5 })
      const callsBefore = emulator.emulator.calls.length
      const inFlight = Array.from({ length: 5 }, () =>
        fetch(`${busyUrl}/me`, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => `answered ${r.status}`,
          () => 'connection closed',
        ),
      )
      while (emulator.emulator.calls.length < callsBefore + 5) await new Promise((done) => setTimeout(done, 20))
      const sent = busy.signal('SIGTERM')
      const exit = await Promise.race([busy.exited, new Promise<undefined>((done) => setTimeout(done, 5000))])
      expect(exit, 'no exit within 5 s of SIGTERM').toBeDefined()
      expect(exit!.code).toBe(0)
      expect(exit!.at - sent).toBeLessThan(2000)
      expect(await Promise.all(inFlight)).toEqual(Array(5).fill('connection closed'))
      figures.set('sigtermInFlight', { requests: 5, exitMs: Math.round(exit!.at - sent) })
    } finally {
      busy.kill()
      emulator.emulator.faults.clear()
    }
  })
})
