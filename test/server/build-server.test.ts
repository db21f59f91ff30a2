import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROME_REDIRECT_URI } from '../../server/extension-ids'
import { startEmulator, type RunningEmulator, serverEnvFor } from '../../server/emulator'
import { authorizationCode } from '../support/consent'

/**
 * `npm run build:server` as an operator deploys it: the one file it writes, copied alone into an
 * empty folder (no package.json, no node_modules above it), started with plain `node` and the
 * environment, answers the contract's smoke checks against the emulator.
 */

let emulator: RunningEmulator
let folder: string
let child: ReturnType<typeof spawn> | undefined

beforeAll(async () => {
  emulator = await startEmulator()
  execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'pipe' })
  folder = mkdtempSync(join(tmpdir(), 'ic-server-only-'))
  copyFileSync(resolve('dist/server/index.mjs'), join(folder, 'index.mjs'))
}, 60_000)

afterAll(async () => {
  child?.kill('SIGKILL')
  await emulator?.close()
  if (folder) rmSync(folder, { recursive: true, force: true })
})

describe('npm run build:server', () => {
  it('runs alone with plain node: health, config and a code exchange against the emulator', async () => {
    expect(readdirSync(folder)).toEqual(['index.mjs'])
    // Only PATH (for nothing but the node binary's own needs) and the server's settings.
    child = spawn(process.execPath, ['index.mjs'], {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '', ...serverEnvFor(emulator), PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`the bundled server did not start:\n${output}`)), 15_000)
      child!.stdout!.on('data', () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
        if (match) {
          clearTimeout(timer)
          done(match[1]!)
        }
      })
      child!.once('exit', (code) => fail(new Error(`the bundled server exited with ${code}:\n${output}`)))
    })

    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' })
    const config = (await (await fetch(`${url}/config`)).json()) as { client_id: string; authorize_url: string; redirect_uris: string[] }
    expect(config.client_id).toBe(emulator.clientId)
    expect(config.authorize_url).toContain(`${emulator.url}/oauth/authorize`)
    expect(config.redirect_uris).toContain(CHROME_REDIRECT_URI)

    const code = await authorizationCode(emulator, { username: emulator.users[0]!.username })
    const token = await fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, redirect_uri: CHROME_REDIRECT_URI }),
    })
    expect(token.status).toBe(200)
    const body = (await token.json()) as { access_token: string; token_type: string; user: { username: string } }
    expect(body.token_type).toBe('bearer')
    expect(body.access_token).not.toBe('')
    expect(body.user.username).toBe(emulator.users[0]!.username)
    expect(output).not.toContain(emulator.clientSecret)

    child.kill('SIGTERM')
    expect(await new Promise((done) => child!.once('exit', done))).toBe(0)
  }, 30_000)
})
