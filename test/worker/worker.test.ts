import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { postJson } from '../support/http'
import { RUNTIMES, startStack } from '../support/stack'
import { buildWorker, RATE_LIMIT_BINDING, READ_RATE_LIMIT_BINDING, startWorker, type RunningWorker } from './workerd'

/**
 * What only the Workers build has: the deploy bundle, the rate-limiting binding, configuration
 * from bindings. The HTTP contract itself runs on workerd in test/server/exchange.test.ts.
 */

const running: RunningWorker[] = []
afterAll(async () => {
  await Promise.all(running.map((w) => w.close()))
})

async function worker(options: Parameters<typeof startWorker>[0]): Promise<RunningWorker> {
  const w = await startWorker(options)
  running.push(w)
  return w
}

const BASE = {
  IG_CLIENT_ID: '990602627938098',
  IG_CLIENT_SECRET: 'worker-test-secret-3f1c',
  // Nothing listens here; these tests never get as far as Instagram.
  IG_TOKEN_URL: 'http://127.0.0.1:9/oauth/access_token',
  IG_GRAPH_URL: 'http://127.0.0.1:9',
}
const exchange = (w: RunningWorker, ip: string) =>
  postJson(`${w.url}/token`, { code: 'x', redirect_uri: 'https://not-allowed.example/' }, { 'cf-connecting-ip': ip })

describe('the deploy bundle (wrangler deploy --dry-run)', () => {
  it('is one self-contained module: no import of a Node built-in or of anything else', async () => {
    const { script } = await buildWorker()
    // Doc comments in hono quote import statements; only code lines count.
    const code = script.split('\n').filter((line) => !/^\s*(\*|\/\/)/.test(line)).join('\n')
    expect(code).not.toMatch(/^\s*import[\s{*]/m)
    expect(code).not.toMatch(/\bimport\s*\(|\brequire\s*\(/)
    expect(code).not.toMatch(/["']node:/)
  })

  it('runs without nodejs_compat, with the RATE_LIMITER binding on a 60-second period', async () => {
    const built = await buildWorker()
    expect(built.compatibilityFlags.filter((flag) => flag.startsWith('nodejs_compat'))).toEqual([])
    // server/worker.ts answers Retry-After from this period.
    expect(built.ratelimits[RATE_LIMIT_BINDING]?.simple).toMatchObject({ period: 60 })
    expect(built.ratelimits[READ_RATE_LIMIT_BINDING]?.simple).toEqual({ limit: 120, period: 60 })
    expect(built.vars).not.toHaveProperty('IG_CLIENT_SECRET')
  })
})

describe('rate limiting on Workers', () => {
  it('counts in the RATE_LIMITER binding (not RATE_LIMIT_PER_MINUTE), per CF-Connecting-IP', async () => {
    const w = await worker({ bindings: { ...BASE, RATE_LIMIT_PER_MINUTE: '1000' }, rateLimitPerMinute: 2 })
    const intoWindow = Date.now() % 60_000
    if (intoWindow > 55_000) await new Promise((wake) => setTimeout(wake, 60_000 - intoWindow + 50))
    const first = [await exchange(w, '203.0.113.7'), await exchange(w, '203.0.113.7'), await exchange(w, '203.0.113.7')]
    expect(first.map((r) => r.status)).toEqual([400, 400, 429])
    expect(first[2]!.body.error).toBe('rate_limited')
    expect(first[2]!.headers.get('retry-after')).toBe('60')
    expect(first[2]!.headers.get('cache-control')).toBe('no-store')
    // Another client is counted apart.
    expect((await exchange(w, '198.51.100.4')).status).toBe(400)
  })

  it('without the binding, falls back to a per-isolate count of RATE_LIMIT_PER_MINUTE and says so', async () => {
    const w = await worker({ bindings: { ...BASE, RATE_LIMIT_PER_MINUTE: '2' }, withoutRateLimit: true })
    const statuses = [await exchange(w, '203.0.113.7'), await exchange(w, '203.0.113.7'), await exchange(w, '203.0.113.7')].map((r) => r.status)
    expect(statuses).toEqual([400, 400, 429])
    await w.flushLogs()
    expect(w.errors.join('\n')).toMatch(/No RATE_LIMITER binding/)
    expect(w.errors.join('\n')).toMatch(/No READ_RATE_LIMITER binding/)
  })

  it('counts GET /me and GET /me/media in the READ_RATE_LIMITER binding, per CF-Connecting-IP (issue 14)', async () => {
    const w = await worker({ bindings: { ...BASE, READ_RATE_LIMIT_PER_MINUTE: '1000' }, readRateLimitPerMinute: 2 })
    const intoWindow = Date.now() % 60_000
    if (intoWindow > 55_000) await new Promise((wake) => setTimeout(wake, 60_000 - intoWindow + 50))
    const read = (path: string, ip: string) => fetch(`${w.url}${path}`, { headers: { authorization: 'Bearer IGmadeup', 'cf-connecting-ip': ip } })
    // Nothing listens at IG_GRAPH_URL: 502 until the limit, then 429 without calling it.
    const statuses = [await read('/me', '203.0.113.7'), await read('/me/media', '203.0.113.7'), await read('/me', '203.0.113.7')].map((r) => r.status)
    expect(statuses).toEqual([502, 502, 429])
    expect((await read('/me', '2001:db8:1:2::9')).status).toBe(502)
    expect((await read('/me', '2001:db8:1:2:ffff::1')).status).toBe(502)
    expect((await read('/me', '2001:db8:1:2:abcd::1')).status).toBe(429)
  })
})

describe('configuration from bindings', () => {
  it('a bad configuration answers 500 server_error and logs one line per problem, never the secret', async () => {
    const w = await worker({ bindings: { IG_CLIENT_SECRET: BASE.IG_CLIENT_SECRET, TOKEN_LIFETIME: 'forever', PUBLIC_URL: '' } })
    const response = await fetch(`${w.url}/health`)
    expect(response.status).toBe(500)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as { error: string; error_description: string }
    expect(body.error).toBe('server_error')
    expect(body.error_description).toMatch(/wrangler tail/)
    const deadline = Date.now() + 5000
    while (!w.errors.some((line) => line.includes('TOKEN_LIFETIME')) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 20))
    const problems = w.errors.join('\n')
    for (const name of ['PUBLIC_URL', 'IG_CLIENT_ID', 'TOKEN_LIFETIME']) expect(problems).toContain(name)
    expect([problems, ...w.logs, JSON.stringify(body)].join('\n')).not.toContain(BASE.IG_CLIENT_SECRET)
  })
})

describe.each(RUNTIMES)('an upstream that redirects, on %s', (runtime) => {
  // Workers' fetch has no redirect: 'error'; the client asks for 'manual' and refuses 3xx itself.
  let redirector: Server
  afterAll(() => new Promise<void>((done) => redirector.close(() => done())))

  it('is upstream_error, and the redirect is not followed', async () => {
    let followed = false
    redirector = createServer((req, res) => {
      if (req.url?.startsWith('/elsewhere')) followed = true
      res.writeHead(302, { location: '/elsewhere' }).end()
    })
    await new Promise<void>((listening) => redirector.listen(0, '127.0.0.1', listening))
    const { port } = redirector.address() as AddressInfo
    const s = await startStack({ runtime, env: { IG_TOKEN_URL: `http://127.0.0.1:${port}/oauth/access_token` } })
    try {
      const r = await postJson(`${s.serverUrl}/token`, { code: 'AQBsome-code', redirect_uri: CHROME_REDIRECT_URI })
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 502, error: 'upstream_error' })
      expect(followed).toBe(false)
    } finally {
      await s.close()
    }
  })
})
