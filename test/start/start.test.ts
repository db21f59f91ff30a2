import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHROME_EXTENSION_ID } from '../../server/extension-ids'

/** `npm start` as a newcomer runs it: demo mode wires the emulator and the server together. */

function start(env: Record<string, string>) {
  const child = spawn(resolve('node_modules/.bin/tsx'), ['scripts/start.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SKIP_BUILD: '1', NO_BROWSER: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`timed out waiting for ${pattern}:\n${output}`)), 20_000)
      const check = () => {
        const match = pattern.exec(output)
        if (match) {
          clearTimeout(timer)
          done(match)
        }
      }
      child.stdout.on('data', check)
      check()
    })
  return { child, exited, waitFor, output: () => output }
}

describe('npm start', () => {
  it('runs demo mode without credentials, prints what to do, and stops on Ctrl-C', async () => {
    const run = start({ PORT: '0', EMULATOR_PORT: '0' })
    await run.waitFor(/Press Ctrl-C to stop/)
    const text = run.output()
    expect(text).toContain('DEMO MODE')
    expect(text).toContain('https://keaflfdjmoomnhhnpdggooggjkklfomp.chromiumapp.org/')
    expect(text).toContain('https://a96edea38fb0fd819d70eacb0c39bf87e1cf9206.extensions.allizom.org/')
    expect(text).toMatch(/Extension folder: +\/.*dist\/chrome/)
    expect(text).toMatch(/Firefox build: +\/.*dist\/firefox/)
    expect(text).toContain('@bigodd.creator')
    const serverUrl = /Exchange server: +(http:\/\/\S+)/.exec(text)![1]!
    const emulatorUrl = /Instagram emulator: +(http:\/\/\S+)/.exec(text)![1]!
    const config = (await (await fetch(`${serverUrl}/config`)).json()) as { authorize_url: string }
    expect(config.authorize_url).toBe(`${emulatorUrl}/oauth/authorize?force_reauth=true`)
    expect((await fetch(`${emulatorUrl}/oauth/authorize?client_id=x`)).status).toBe(400)
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(0)
  })

  it('says which port is taken and exits 1', async () => {
    const blocker = createServer()
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done))
    const port = (blocker.address() as { port: number }).port
    try {
      const run = start({ PORT: String(port), EMULATOR_PORT: '0' })
      expect(await run.exited).toBe(1)
      expect(run.output()).toContain(`Port ${port} is already in use`)
    } finally {
      blocker.close()
    }
  })

  it('refuses half a set of credentials', async () => {
    const run = start({ IG_CLIENT_ID: '123' })
    expect(await run.exited).toBe(1)
    expect(run.output()).toContain('Set both IG_CLIENT_ID and IG_CLIENT_SECRET')
  })

  it('reports a browser that exits at once, with its reason and what to do (and --no-sandbox as root)', async () => {
    // A stand-in for Chromium that records its arguments, says why it fails, and exits at once.
    const dir = mkdtempSync(join(tmpdir(), 'ic-fake-browser-'))
    const argsFile = join(dir, 'args')
    const fake = join(dir, 'chromium')
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\necho '[1:1:ERROR:ozone_platform_x11.cc(240)] Missing X server or $DISPLAY' >&2\nexit 1\n`)
    chmodSync(fake, 0o755)
    const run = start({ PORT: '0', EMULATOR_PORT: '0', DISPLAY: ':99', CHROMIUM_PATH: fake, NO_BROWSER: '0' })
    await run.waitFor(/within 5 s of starting/)
    const text = run.output()
    expect(text).not.toContain('Opened Chromium')
    expect(text).not.toContain('is running with the extension loaded')
    expect(text).toContain(`Chromium (${fake}) exited with code 1 within 5 s of starting, so the extension is not open in a browser.`)
    expect(text).toContain('Missing X server or $DISPLAY')
    expect(text).toContain('It found no usable display: check DISPLAY (or WAYLAND_DISPLAY), or set NO_BROWSER=1.')
    expect(text).toMatch(/The server keeps running: load \/.*dist\/chrome by hand/)
    const args = readFileSync(argsFile, 'utf8').trim().split('\n')
    expect(args).toContain(`--load-extension=${resolve('dist/chrome')}`)
    expect(args.some((a) => a.includes('/health'))).toBe(false)
    // The extension opens its welcome page itself (Chromium installs a --load-extension extension on every launch): npm start does not add a second one.
    expect(args.some((a) => a.includes(`chrome-extension://${CHROME_EXTENSION_ID}/welcome.html`))).toBe(false)
    const root = process.getuid?.() === 0
    expect(args.includes('--no-sandbox')).toBe(root)
    expect(text.includes('Running as root: Chromium gets --no-sandbox')).toBe(root)
    // The server is still up after the browser is gone.
    const serverUrl = /Exchange server: +(http:\/\/\S+)/.exec(text)![1]!
    expect((await fetch(`${serverUrl}/health`)).status).toBe(200)
    run.child.kill('SIGINT')
    expect(await run.exited).toBe(0)
  })
})
