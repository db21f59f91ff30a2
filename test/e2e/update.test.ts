/**
 * The update path in a real Chromium (issue 13): the build of the release before several
 * accounts (main at RELEASE_COMMIT, one `session` in storage.local) connects; then the same
 * profile gets the new build (its version raised, as a store update would) and Chromium
 * starts again with it. The connection is
 * still there: same account, same token, no new consent, stored as schema 2.
 *
 * The old build is made by the test itself: `git archive` of that commit into a temporary
 * directory, with this checkout's node_modules, built with its own vite config; it is cached
 * in node_modules/.cache/ by commit, so later runs take no time.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'
import { activeAccount } from './driver'
import { assertPrerequisites, launchBrowser, POPUP_URL, openPopup, prepareExtension, readStorage, setServerUrl, type Browser } from './harness'

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

/**
 * Writes the files of `build` over the unpacked extension at `dir` (the directory stays, as in
 * an update; the old hashed assets that remain are loaded by nothing), host permissions widened
 * as the harness does.
 */
function installFiles(dir: string, build: string, version?: string): void {
  const prepared = prepareExtension(build)
  if (version !== undefined) {
    const manifestPath = join(prepared, 'manifest.json')
    writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), version }, null, 2))
  }
  cpSync(prepared, dir, { recursive: true, force: true })
  rmSync(prepared, { recursive: true, force: true })
}

let stack: Stack
let browser: Browser
let extensionDir: string
let userDataDir: string
/** Every request line the emulator logged: a consent page is a `GET /oauth/authorize`. */
const emulatorLog: string[] = []
const consentPages = () => emulatorLog.filter((line) => line.startsWith('GET /oauth/authorize ')).length

beforeAll(async () => {
  assertPrerequisites()
  const release = buildOfCommit(RELEASE_COMMIT)
  const root = mkdtempSync(join(tmpdir(), 'ig-connect-update-'))
  extensionDir = join(root, 'extension')
  userDataDir = join(root, 'profile')
  mkdirSync(userDataDir)
  installFiles(extensionDir, release)
  stack = await startStack({ emulator: { log: (line) => emulatorLog.push(line) } })
  browser = await launchBrowser(extensionDir, { userDataDir })
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
    expect(consentPages()).toBe(1)

    // The new build, its version raised, in the same profile: Chromium starts again and loads it.
    await popup.close()
    await browser.close()
    // Chromium keeps the service worker that a command-line extension registered across
    // relaunches, even when its files and version changed (a store update registers the new
    // one). Its registration (not the extension's storage) is dropped, so the new build's
    // worker is the one that starts.
    rmSync(join(userDataDir, 'Default', 'Service Worker'), { recursive: true, force: true })
    const updatedDir = join(extensionDir, '..', 'extension-0.2.0')
    installFiles(updatedDir, resolve('dist/chrome'), '0.2.0')
    browser = await launchBrowser(updatedDir, { userDataDir })

    popup = await openPopup(browser.context)
    expect(await popup.evaluate(() => (globalThis as unknown as { chrome: { runtime: { getManifest(): { version: string } } } }).chrome.runtime.getManifest().version)).toBe('0.2.0')
    await popup.close()
    const newWorkerAnswers = async () => {
      const page = await browser.context.newPage()
      try {
        await page.goto(POPUP_URL)
        // Only the new worker knows this message; the old one leaves it unanswered.
        const reply = await page.evaluate(() =>
          (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'switchAccount', userId: '-' }).catch(() => undefined),
        )
        return (reply as { ok?: boolean } | undefined)?.ok === false
      } catch {
        return false
      } finally {
        await page.close()
      }
    }
    await expect.poll(newWorkerAnswers, { timeout: 30_000, interval: 1000 }).toBe(true)
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
    expect(consentPages()).toBe(1)
    await popup.close()
  }, 90_000)
})
