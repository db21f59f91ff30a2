/**
 * The update path in a real Chromium (issue 13): the build of the release before several
 * accounts (main at RELEASE_COMMIT, one `session` in storage.local) connects; then the same
 * unpacked extension directory gets the new build and the extension reloads in the same
 * profile, which Chrome reports as `runtime.onInstalled` with reason `update`. The connection
 * is still there: same account, same token, no new consent, stored as schema 2.
 *
 * The old build is made by the test itself: `git archive` of that commit into a temporary
 * directory, with this checkout's node_modules, built with its own vite config; it is cached
 * in node_modules/.cache/ by commit, so later runs take no time.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'
import { activeAccount } from './driver'
import { assertPrerequisites, EXTENSION_ID, launchBrowser, openPopup, prepareExtension, readStorage, setServerUrl, type Browser } from './harness'

/** The last commit of main before several accounts: its storage is schema 1. */
export const RELEASE_COMMIT = '6919771'
const USER = 'jayposiris'

/** dist/chrome of `commit`, built once and cached under node_modules/.cache/. */
function buildOfCommit(commit: string): string {
  const cached = resolve('node_modules/.cache/ig-connect-releases', commit)
  const out = join(cached, 'dist/chrome')
  if (existsSync(join(out, 'manifest.json'))) return out
  rmSync(cached, { recursive: true, force: true })
  mkdirSync(cached, { recursive: true })
  const archive = execFileSync('git', ['archive', '--format=tar', commit], { maxBuffer: 64 * 1024 * 1024 })
  execFileSync('tar', ['-x', '-C', cached], { input: archive })
  symlinkSync(resolve('node_modules'), join(cached, 'node_modules'), 'dir')
  execFileSync(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: cached, stdio: 'inherit' })
  return out
}

/** Replaces the files of the unpacked extension at `dir` with those of `build`, host permissions widened as the harness does. */
function installFiles(dir: string, build: string): void {
  const prepared = prepareExtension(build)
  rmSync(dir, { recursive: true, force: true })
  cpSync(prepared, dir, { recursive: true })
  rmSync(prepared, { recursive: true, force: true })
}

let stack: Stack
let browser: Browser
let extensionDir: string
const consentPages: string[] = []

beforeAll(async () => {
  assertPrerequisites()
  const release = buildOfCommit(RELEASE_COMMIT)
  extensionDir = join(mkdtempSync(join(tmpdir(), 'ig-connect-update-')), 'extension')
  installFiles(extensionDir, release)
  stack = await startStack()
  browser = await launchBrowser(extensionDir)
  browser.context.on('page', (page) => {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith(stack.emulator.url)) consentPages.push(frame.url())
    })
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await stack?.close()
  if (extensionDir !== undefined) rmSync(resolve(extensionDir, '..'), { recursive: true, force: true })
})

const view = (popup: Page, kind: string) => popup.locator(`.popup[data-view="${kind}"]`).waitFor({ timeout: 15_000 })

describe('an update from the release before several accounts', () => {
  it('keeps the connection: same account, same token, no new consent', async () => {
    // The old release connects, and stores its one session.
    await setServerUrl(browser.context, stack.serverUrl)
    let popup = await openPopup(browser.context)
    await view(popup, 'disconnected')
    const [consent] = await Promise.all([browser.context.waitForEvent('page'), popup.getByRole('button', { name: 'Connect Instagram' }).click()])
    await consent.getByRole('button', { name: 'Authorize' }).click()
    await view(popup, 'connected')
    await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
    const before = await readStorage(popup)
    const v1 = before.local.session as { access_token: string; user: { id: string } }
    expect(v1).toMatchObject({ token_type: 'bearer', user: { username: USER } })
    expect(before.local.schemaVersion).toBeUndefined()
    expect(consentPages).toHaveLength(1)

    // The new build in the same directory and profile; the extension reloads as an update.
    installFiles(extensionDir, resolve('dist/chrome'))
    const nextWorker = browser.context.waitForEvent('serviceworker', {
      predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
      timeout: 15_000,
    })
    await popup.evaluate(() => (globalThis as unknown as { chrome: { runtime: { reload(): void } } }).chrome.runtime.reload()).catch(() => undefined)
    await nextWorker

    popup = await openPopup(browser.context)
    await view(popup, 'connected')
    await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
    expect(await popup.locator('.switcher-button .switcher-name').textContent()).toBe(`@${USER}`)
    const after = await readStorage(popup)
    expect(after.local.schemaVersion).toBe(2)
    expect(after.local.session).toBeUndefined()
    expect(activeAccount(after).session).toMatchObject({ access_token: v1.access_token, user: { id: v1.user.id, username: USER }, server: stack.serverUrl })
    expect(activeAccount(after).profile?.data.username).toBe(USER)
    // Still one account, and no consent page opened after the update.
    expect(Object.keys(after.local).filter((k) => k.startsWith('account:'))).toEqual([`account:${v1.user.id}`])
    await expect.poll(() => popup.locator('.sync').textContent(), { timeout: 10_000 }).toBe('\u00a0')
    expect(consentPages).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')).background.service_worker).toBeDefined()
    await popup.close()
  }, 90_000)
})
