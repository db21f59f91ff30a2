import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type RunningEmulator, serverEnvFor } from '../../server/emulator'
import { killAll, runServer as run } from '../support/server-run'

/** `npm run server` as a person runs it: a real process, configured by environment and `.env`. */

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterEach(killAll)
afterAll(async () => {
  await emulator.close()
})

const emulatorEnv = () => ({ ...serverEnvFor(emulator), PORT: '0' })

describe('npm run server', () => {
  it('refuses a bad configuration with one line per problem and exit code 1', async () => {
    const server = run({ IG_CLIENT_SECRET: 'top-secret-value', TOKEN_LIFETIME: 'forever', PORT: 'eighty' })
    expect(await server.exitCode).toBe(1)
    const lines = server.stderr.trim().split('\n')
    expect(lines.some((l) => l.includes('IG_CLIENT_ID'))).toBe(true)
    expect(lines.some((l) => l.includes('TOKEN_LIFETIME'))).toBe(true)
    expect(lines.some((l) => l.includes('PORT'))).toBe(true)
    expect(server.stderr + server.stdout).not.toContain('top-secret-value')
  })

  it('serves, logs one line per request without secrets, and stops on SIGTERM', async () => {
    const env = emulatorEnv()
    // A token URL with credentials in it: the banner names every endpoint with its path, never them.
    const tokenUrl = new URL(env.IG_TOKEN_URL!)
    tokenUrl.username = 'operator'
    tokenUrl.password = 'url-password'
    const server = run({ ...env, IG_TOKEN_URL: tokenUrl.href })
    const [, url] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
    await server.waitFor(/allowed redirect URIs/)
    tokenUrl.username = ''
    tokenUrl.password = ''
    expect(server.stdout).toContain(`  Instagram: authorize ${env.IG_AUTHORIZE_URL}, token ${tokenUrl.href}, Graph ${new URL(env.IG_GRAPH_URL!).href}`)
    expect(server.stdout).not.toMatch(/url-password|operator@/)
    const health = await fetch(`${url}/health`)
    expect(await health.json()).toEqual({ status: 'ok' })
    await fetch(`${url}/config`)
    await fetch(`${url}/instagram/deletion?code=secret-looking-code`)
    await server.waitFor(/GET \/instagram\/deletion 404/)
    expect(server.stdout).toMatch(/^GET \/config 200 \d+\.\dms$/m)
    expect(server.stdout).not.toMatch(/GET \/health/) // healthy probes are not logged
    expect(server.stdout).not.toContain('secret-looking-code')
    expect(server.stdout + server.stderr).not.toContain(emulator.clientSecret)
    server.kill('SIGTERM')
    expect(await server.exitCode).toBe(0)
  })

  it('reads .env from the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ic-env-'))
    writeFileSync(join(dir, '.env'), Object.entries(emulatorEnv()).map(([k, v]) => `${k}=${v}`).join('\n') + '\n')
    const server = run({}, dir)
    const [, url] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
    expect((await (await fetch(`${url}/config`)).json()).client_id).toBe(emulator.clientId)
    server.kill('SIGINT')
    expect(await server.exitCode).toBe(0)
  })

  it('says clearly when the port is taken', async () => {
    const server = run({ ...emulatorEnv(), PORT: String(emulator.port) })
    expect(await server.exitCode).toBe(1)
    expect(server.stderr).toContain(`Port ${emulator.port} on 127.0.0.1 is already in use`)
  })
})
