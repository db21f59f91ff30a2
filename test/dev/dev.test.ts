/**
 * `npm run dev` as a developer uses it, on a temporary copy of the tree (the test edits a popup
 * source file): the dev server, the exchange server and the emulator start; the dev build loads
 * in Chromium (headless, fresh profile), opens its welcome page on install, and the popup
 * renders from the dev server; then a change to the popup's source shows in the open popup
 * without a reload — Preact's hot refresh swaps the component in place. "Without a reload" is
 * checked with a marker set on the page's `window` before the edit: a reload would drop it.
 */
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertPrerequisites, launchBrowser, openPopup, prepareExtension, setServerUrl, unusedPort, WELCOME_URL, type Browser } from '../e2e/harness'

const TREE = ['src', 'public', 'server', 'scripts', 'manifest.json', 'package.json', 'vite.config.ts', 'tsconfig.json']

let copy: string
let dev: ReturnType<typeof spawn> | undefined
let output = ''
let browser: Browser | undefined

function waitForOutput(pattern: RegExp, timeout = 45_000): Promise<RegExpMatchArray> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${pattern}:\n${output}`)), timeout)
    const check = () => {
      const match = pattern.exec(output)
      if (match) {
        clearTimeout(timer)
        done(match)
      }
    }
    dev!.stdout!.on('data', check)
    check()
  })
}

beforeAll(async () => {
  assertPrerequisites()
  copy = mkdtempSync(join(tmpdir(), 'ic-dev-tree-'))
  for (const entry of TREE) cpSync(resolve(entry), join(copy, entry), { recursive: true })
  symlinkSync(resolve('node_modules'), join(copy, 'node_modules'), 'dir')
  dev = spawn(resolve('node_modules/.bin/tsx'), ['scripts/dev.ts'], {
    cwd: copy,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', EMULATOR_PORT: '0', DEV_PORT: String(await unusedPort()), NO_BROWSER: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  dev.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  dev.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await waitForOutput(/Press Ctrl-C to stop/)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (dev && dev.exitCode === null) {
    const exited = new Promise((done) => dev!.once('exit', done))
    dev.kill('SIGINT')
    await exited
  }
  if (copy) rmSync(copy, { recursive: true, force: true })
})

describe('npm run dev', () => {
  it('starts the dev server, the exchange server and the emulator in demo mode', () => {
    expect(output).toContain('DEMO MODE')
    expect(output).toMatch(/Vite dev server: +http:\/\/localhost:\d+/)
    expect(output).toContain(`Dev build:         ${join(copy, 'dist/dev')}`)
    expect(output).not.toContain('configLoader')
  })

  it('loads in Chromium, opens the welcome page, and hot-reloads the open popup when its source changes', async () => {
    const serverUrl = /Exchange server: +(http:\/\/\S+)/.exec(output)![1]!
    // launchBrowser waits for the welcome page the worker opens on install.
    browser = await launchBrowser(prepareExtension(join(copy, 'dist/dev')))
    expect(browser.welcome!.url()).toBe(WELCOME_URL)
    await browser.welcome!.getByRole('heading', { name: 'Welcome to Instagram Connect' }).waitFor({ timeout: 30_000 })

    await setServerUrl(browser.context, serverUrl)
    const popup = await openPopup(browser.context)
    await popup.getByRole('heading', { name: 'Connect your Instagram account' }).waitFor({ timeout: 30_000 })
    await popup.getByText(`Server: ${serverUrl}`).waitFor()
    await popup.evaluate(() => ((window as unknown as { hotMarker: string }).hotMarker = 'before the edit'))

    const view = join(copy, 'src/popup/views/disconnected.tsx')
    writeFileSync(view, readFileSync(view, 'utf8').replace('<h1>Connect your Instagram account</h1>', '<h1>Connect your Instagram account (edited)</h1>'))

    await popup.getByRole('heading', { name: 'Connect your Instagram account (edited)' }).waitFor({ timeout: 20_000 })
    expect(await popup.evaluate(() => (window as unknown as { hotMarker?: string }).hotMarker)).toBe('before the edit')
    await popup.getByText(`Server: ${serverUrl}`).waitFor()
  }, 90_000)
})
