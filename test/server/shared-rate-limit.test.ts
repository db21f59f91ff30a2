import { buildSync } from 'esbuild'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator, serverEnvFor } from '../../server/emulator'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { unusedPort } from '../e2e/common'
import { authorizationCode } from '../support/consent'
import { startRedis, type RunningRedis } from '../support/redis-server'
import { killAll, runServer, type Run } from '../support/server-run'

/**
 * RATE_LIMIT_REDIS_URL over real processes: a real `redis-server` (Debian's) on an ephemeral port
 * and two `npm run server` processes sharing it. The combined per-IP limit holds across them;
 * Redis stopping mid-run neither crashes a server nor blocks logins (fail-open: each counts on its
 * own, one warning line); Redis coming back restores the shared limit.
 */

const LIMIT = 6
const WARNING = /^warning: RATE_LIMIT_REDIS_URL: Redis is unavailable \([^)]+\); each instance counts the per-IP limit on its own until it is back\.$/gm
const BACK = /^RATE_LIMIT_REDIS_URL: Redis answers again; the per-IP limit is shared again\.$/gm

let emulator: RunningEmulator
let redisPort: number
let redis: RunningRedis | undefined
beforeAll(async () => {
  emulator = await startEmulator()
  redisPort = await unusedPort()
})
afterEach(async () => {
  killAll()
  await redis?.stop()
  redis = undefined
})
afterAll(async () => {
  await emulator.close()
})

const start = (env: Record<string, string> = {}): Run =>
  runServer({ ...serverEnvFor(emulator), PORT: '0', RATE_LIMIT_PER_MINUTE: String(LIMIT), RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${redisPort}`, ...env })

/** `POST /token` with an empty object: refused 400 after the limiter counted it, Instagram not called. */
const hit = async (url: string): Promise<number> =>
  (await fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status

async function login(url: string): Promise<number> {
  const code = await authorizationCode(emulator)
  const answer = await fetch(`${url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, redirect_uri: CHROME_REDIRECT_URI }) })
  return answer.status
}

async function flush(): Promise<void> {
  const client = new Redis(`redis://127.0.0.1:${redisPort}`)
  await client.flushall()
  client.disconnect()
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0

describe('RATE_LIMIT_REDIS_URL: one per-IP limit for several Node instances', () => {
  it('holds the combined limit across two servers, fails open while Redis is down, and shares again once it is back', async () => {
    redis = await startRedis(redisPort)
    const servers = [start(), start()]
    const [a, b] = await Promise.all(servers.map((s) => s.url()))

    // The combined limit: LIMIT hits spread over both servers pass, the next ones are 429 on both.
    const spread = []
    for (let i = 0; i < LIMIT; i++) spread.push(await hit(i % 2 === 0 ? a! : b!))
    expect(spread).toEqual(Array(LIMIT).fill(400))
    const over = await fetch(`${a}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await over.json()).toMatchObject({ error: 'rate_limited' })
    expect(await hit(b!)).toBe(429)

    // Redis stops: no crash, no 5xx, logins go on; each server warns once.
    await redis.stop()
    for (let i = 0; i < 4; i++) expect([await hit(a!), await hit(b!)]).toEqual([400, 400])
    expect(await login(a!)).toBe(200)
    expect(await login(b!)).toBe(200)
    // Each counts alone meanwhile: still a limit, per instance.
    const alone = []
    for (let i = 0; i < LIMIT + 2; i++) alone.push(await hit(a!))
    expect(alone).toContain(429)
    for (const server of servers) expect(count(server.stdout, WARNING), server.stdout).toBe(1)

    // Redis is back (empty, as after a restart): the shared count returns, on both servers.
    redis = await startRedis(redisPort)
    await Promise.all(
      servers.map(async (server, i) => {
        const url = i === 0 ? a! : b!
        while (count(server.stdout, BACK) === 0) {
          await hit(url)
          await new Promise((done) => setTimeout(done, 250))
        }
      }),
    )
    await flush()
    const shared = []
    for (let i = 0; i < LIMIT; i++) shared.push(await hit(i % 2 === 0 ? b! : a!))
    expect(shared).toEqual(Array(LIMIT).fill(400))
    expect([await hit(a!), await hit(b!)]).toEqual([429, 429])
    for (const server of servers) {
      expect(count(server.stdout, WARNING)).toBe(1)
      expect(server.stderr).toBe('')
      server.kill('SIGTERM')
      expect(await server.exitCode).toBe(0)
    }
  })

  it('starts and serves when Redis is not there yet, with one warning line', async () => {
    const server = start()
    const url = await server.url()
    expect([await hit(url), await hit(url), await login(url)]).toEqual([400, 400, 200])
    await new Promise((done) => setTimeout(done, 1500))
    expect(count(server.stdout, WARNING), server.stdout).toBe(1)
    server.kill('SIGTERM')
    expect(await server.exitCode).toBe(0)
  })

  it('refuses a bad RATE_LIMIT_REDIS_URL at start, without printing it', async () => {
    const server = runServer({ ...serverEnvFor(emulator), PORT: '0', RATE_LIMIT_REDIS_URL: 'http://:hunter2@127.0.0.1:6379' })
    expect(await server.exitCode).toBe(1)
    expect(server.stderr).toContain('RATE_LIMIT_REDIS_URL must be a redis:// or rediss:// URL with a host')
    expect(server.stderr + server.stdout).not.toContain('hunter2')
  })

  it('loads the Redis client on Node only when RATE_LIMIT_REDIS_URL is set: a dynamic import, nothing imports it statically', () => {
    const result = buildSync({ entryPoints: ['server/node.ts'], bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', logLevel: 'silent' })
    const edges = Object.entries(result.metafile.inputs).flatMap(([from, input]) => input.imports.map((i) => ({ from, to: i.path, kind: i.kind })))
    const intoRedis = edges.filter((edge) => edge.to === 'server/middleware/shared-rate-limit.ts')
    expect(intoRedis).toEqual([{ from: 'server/start.ts', to: 'server/middleware/shared-rate-limit.ts', kind: 'dynamic-import' }])
    // ioredis itself is reached from that module alone.
    const ioredis = edges.filter((edge) => /node_modules\/ioredis\//.test(edge.to) && !/node_modules\/ioredis\//.test(edge.from))
    expect(ioredis.map((edge) => edge.from)).toEqual(['server/middleware/shared-rate-limit.ts'])
  })

  it('keeps the Redis client out of the Worker bundle', () => {
    const result = buildSync({ entryPoints: ['server/worker.ts'], bundle: true, write: false, metafile: true, format: 'esm', platform: 'neutral', packages: 'external', logLevel: 'silent' })
    const inputs = Object.keys(result.metafile.inputs)
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path))
    expect(inputs).not.toContain('server/middleware/shared-rate-limit.ts')
    expect(imports.filter((path) => /redis/.test(path))).toEqual([])
  })
})
