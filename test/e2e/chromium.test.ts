/**
 * Real-browser end-to-end tests: the built extension in Chromium (headless, fresh profile),
 * against the exchange server and the Instagram emulator on ephemeral ports. The popup and the
 * options page are opened as tabs at their chrome-extension:// URLs; the authorization window
 * that identity.launchWebAuthFlow opens is a new page of the same context.
 *
 * The core scenarios are shared with Firefox (./scenarios.ts, through ./chromium-driver.ts);
 * the rest drive Playwright directly.
 *
 * Every popup state is saved as a PNG: in docs/screenshots/ (the README shows them) when run
 * with UPDATE_SCREENSHOTS=1, else in test-results/screenshots/.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startStack, type Stack } from '../support/stack'
import {
  assertPrerequisites,
  BUILD_DIR,
  emulatorAdmin,
  launchBrowser,
  OPTIONS_URL,
  openPopup,
  prepareExtension,
  readStorage,
  REDIRECT_URI,
  screenshot,
  SCREENSHOTS,
  setServerUrl,
  unusedPort,
  writeStorage,
  type Browser,
} from './harness'
import { chromiumDriver } from './chromium-driver'
import { activeAccount } from './driver'
import type { BrowserDriver } from './driver'
import * as scenarios from './scenarios'
import { USER } from './scenarios'

const TIMEOUT = scenarios.SCENARIO_TIMEOUT

let stack: Stack
let browser: Browser
let context: BrowserContext
let driver: BrowserDriver

beforeAll(async () => {
  assertPrerequisites()
  stack = await startStack()
  browser = await launchBrowser(prepareExtension())
  context = browser.context
  driver = chromiumDriver(context)
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined)
})

afterAll(async () => {
  await browser?.close()
  await stack?.close()
})

/** Clicks the popup's connect button and returns the authorization window it opened. */
async function startConnect(popup: Page, button = 'Connect Instagram'): Promise<Page> {
  const [consent] = await Promise.all([context.waitForEvent('page', { timeout: 15_000 }), popup.getByRole('button', { name: button }).click()])
  await consent.waitForLoadState('domcontentloaded')
  return consent
}

/** Back to the disconnected state if the popup opened on an earlier test's error. */
async function dismissError(popup: Page): Promise<void> {
  await popup.locator('.popup:not([data-view="loading"])').waitFor()
  if ((await popup.locator('.popup').getAttribute('data-view')) === 'error') await popup.getByRole('button', { name: 'Dismiss' }).click()
  await view(popup, 'disconnected')
}

const view = (popup: Page, kind: string) => popup.locator(`.popup[data-view="${kind}"]`).waitFor({ timeout: 15_000 })
const frame = (popup: Page) => popup.locator('.popup')

describe('built extension', () => {
  it('keeps the popup’s scripts within 10 KB gzipped', () => {
    const html = readFileSync(join(BUILD_DIR, 'popup.html'), 'utf8')
    const sizes = new Map<string, number>()
    const visit = (path: string) => {
      if (sizes.has(path)) return
      const code = readFileSync(join(BUILD_DIR, path))
      sizes.set(path, gzipSync(code, { level: 9 }).length)
      for (const m of code.toString().matchAll(/(?:from|import)\s*\(?\s*"(\.\/[^"]+\.js)"/g)) visit(join(dirname(path), m[1]!))
    }
    for (const m of html.matchAll(/<script[^>]*\ssrc="\/?([^"]+)"/g)) visit(m[1]!)
    const total = [...sizes.values()].reduce((a, b) => a + b, 0)
    expect(sizes.size).toBeGreaterThan(0)
    expect(total, `popup scripts: ${JSON.stringify(Object.fromEntries(sizes))}`).toBeLessThanOrEqual(10 * 1024)
  })

  it('has a manifest with the stable key, the permissions and a strict CSP', () => {
    const manifest = JSON.parse(readFileSync(join(BUILD_DIR, 'manifest.json'), 'utf8'))
    expect(manifest.manifest_version).toBe(3)
    expect(manifest.permissions).toEqual(['identity', 'storage', 'alarms'])
    expect(manifest.host_permissions).toEqual(['http://127.0.0.1:8787/*', 'http://localhost:8787/*'])
    expect(manifest.action.default_popup).toBe('popup.html')
    expect(manifest.background.type).toBe('module')
    expect(manifest.content_security_policy.extension_pages).toMatch(/script-src 'self';.*object-src 'none'; base-uri 'none'/)
    for (const size of ['16', '32', '48', '128']) expect(existsSync(join(BUILD_DIR, manifest.icons[size]))).toBe(true)
  })
})

describe('Chromium', () => {
  it('reports the fixed redirect URL', () => scenarios.reportsRedirectUrl(driver), TIMEOUT)

  it('connects: Connect Instagram, Authorize in the Instagram window, then @username', () => scenarios.connects(driver, stack), TIMEOUT)

  it('shows the stored profile at once on reopening, and keeps it when revalidation fails', () => scenarios.showsStoredProfileAtOnce(driver, stack), TIMEOUT)

  it('shows Reconnect when Instagram revoked the token, and reconnects', async () => {
    await emulatorAdmin(stack.emulator.url, 'revoke', {})
    const popup = await openPopup(context)
    await view(popup, 'reconnect')
    await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
    await popup.getByText('Instagram no longer accepts this connection').waitFor()
    await screenshot(frame(popup), 'popup-reconnect')
    expect(activeAccount(await readStorage(popup)).session).toMatchObject({ needs_reconnect: true })

    const consent = await startConnect(popup, 'Reconnect')
    await consent.getByRole('button', { name: 'Authorize' }).click()
    await view(popup, 'connected')
    await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
    expect(activeAccount(await readStorage(popup)).session).not.toHaveProperty('needs_reconnect')
    await popup.close()
  }, TIMEOUT)

  it('renders names and captions as text, never as markup', async () => {
    const popup = await openPopup(context)
    await view(popup, 'connected')
    const stored = await readStorage(popup)
    const { id } = activeAccount(stored)
    const profile = stored.local[`profile:${id}`] as { data: Record<string, unknown>; fetched_at: number }
    const media = stored.local[`media:${id}`] as { data: Record<string, unknown>[]; fetched_at: number }
    const evil = '<img src=x onerror="document.title=\'pwned\'"><b>bold</b>'
    await writeStorage(popup, 'local', {
      [`profile:${id}`]: { ...profile, data: { ...profile.data, name: evil } },
      [`media:${id}`]: { ...media, data: media.data.map((m, i) => (i === 0 ? { ...m, caption: evil, permalink: 'javascript:alert(1)' } : m)) },
    })
    await expect.poll(() => popup.locator('.name').textContent()).toBe(evil)
    expect(await popup.locator('.profile b, .grid b').count()).toBe(0)
    expect(await popup.locator('.grid a[href^="javascript:"]').count()).toBe(0)
    expect(await popup.locator('.grid [role="img"]').first().getAttribute('aria-label')).toBe(`Photo: ${evil}`)
    expect(await popup.title()).not.toBe('pwned')
    await writeStorage(popup, 'local', { [`profile:${id}`]: profile, [`media:${id}`]: media })
    await popup.close()
  }, TIMEOUT)

  it('can be used from the keyboard: the main button has focus and a visible ring', async () => {
    const popup = await openPopup(context)
    await view(popup, 'connected')
    await popup.keyboard.press('Tab')
    const focused = await popup.evaluate(() => {
      const el = document.activeElement as HTMLElement
      return { text: el.textContent, label: el.getAttribute('aria-label'), outline: getComputedStyle(el).outlineStyle }
    })
    expect(focused.label ?? focused.text).toBeTruthy()
    expect(focused.outline).toBe('solid')
    await popup.close()
  }, TIMEOUT)

  it('connects when the popup closes during the flow, which lives in the worker', () => scenarios.connectsWhenThePopupCloses(driver), TIMEOUT)

  it('disconnects', () => scenarios.disconnects(driver), TIMEOUT)

  it('says the connection was cancelled when the user clicks Cancel', () => scenarios.cancelled(driver), TIMEOUT)

  it('starts connecting with Enter: the Connect button has focus when the popup opens', async () => {
    const popup = await openPopup(context)
    await dismissError(popup)
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toBe('Connect Instagram')
    const [consent] = await Promise.all([context.waitForEvent('page', { timeout: 15_000 }), popup.keyboard.press('Enter')])
    await consent.waitForLoadState('domcontentloaded')
    await view(popup, 'connecting')
    await popup.keyboard.press('Enter') // Cancel has focus now
    await view(popup, 'disconnected')
    await consent.close()
    await popup.close()
  }, TIMEOUT)

  it('says the window was closed when the user closes the authorization window', () => scenarios.windowClosed(driver), TIMEOUT)

  it('connects when Instagram approves at once', () => scenarios.connectsWhenApprovedAtOnce(driver, stack), TIMEOUT)

  it('keeps several accounts: add, switch with the keyboard, one revoked, reconnect, disconnect one, disconnect all', () => scenarios.severalAccounts(driver, stack), 2 * TIMEOUT)

  it('sends a token only to the server that issued it (a capture server stands in for another one)', () => scenarios.tokensStayWithTheirServer(driver, stack), 2 * TIMEOUT)

  it('says Instagram is unavailable when it fails during the exchange, and Try again works', async () => {
    await emulatorAdmin(stack.emulator.url, 'faults', { kind: 'http500', match: 'token', count: 1 })
    const popup = await openPopup(context)
    await dismissError(popup)
    let consent = await startConnect(popup)
    await consent.getByRole('button', { name: 'Authorize' }).click()
    await view(popup, 'error')
    await popup.getByRole('heading', { name: 'Instagram is unavailable' }).waitFor()
    await popup.getByText(/wait a moment, then retry/).waitFor()
    await screenshot(frame(popup), 'popup-error-instagram-unavailable')

    consent = await startConnect(popup, 'Try again')
    await consent.getByRole('button', { name: 'Authorize' }).click()
    await view(popup, 'connected')
    await popup.getByRole('button', { name: 'Disconnect' }).click()
    await view(popup, 'disconnected')
    await popup.close()
  }, TIMEOUT)

  it('names the server URL and how to start it when the server is down', async () => {
    const downUrl = `http://127.0.0.1:${await unusedPort()}`
    await setServerUrl(context, downUrl)
    const popup = await openPopup(context)
    await dismissError(popup)
    await popup.getByRole('button', { name: 'Connect Instagram' }).click()
    await view(popup, 'error')
    await popup.getByRole('heading', { name: 'Can’t reach the server' }).waitFor()
    const text = await frame(popup).textContent()
    expect(text).toContain(`Nothing answered at ${downUrl}.`)
    expect(text).toContain('npm start')
    expect(text).toContain('npm run server')
    await popup.getByRole('button', { name: 'Open options' }).waitFor()
    await screenshot(frame(popup), 'popup-error-server-unreachable')
    await popup.close()
  }, TIMEOUT)

  it('fails Test connection at the first step when the server is down', async () => {
    const page = await context.newPage()
    await page.setViewportSize({ width: 820, height: 900 })
    await page.goto(OPTIONS_URL)
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.locator('[data-step="health"][data-state="failed"]').waitFor({ timeout: 15_000 })
    expect(await page.locator('[data-step="config"]').getAttribute('data-state')).toBe('skipped')
    expect(await page.locator('[data-step="redirect"]').getAttribute('data-state')).toBe('skipped')
    expect(await page.getByTestId('test-summary').textContent()).toBe('Failed: The server answers (GET /health).')
    expect(await page.locator('[data-step="health"]').textContent()).toContain('npm start')
    await screenshot(page.locator('body'), 'options-test-failed')
    await page.close()
  }, TIMEOUT)

  it('passes Test connection against a working server', async () => {
    await setServerUrl(context, stack.serverUrl)
    const page = await context.newPage()
    await page.setViewportSize({ width: 820, height: 900 })
    await page.goto(OPTIONS_URL)
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByText('All checks passed. You can connect from the toolbar button.').waitFor({ timeout: 15_000 })
    for (const step of ['health', 'config', 'redirect']) {
      expect(await page.locator(`[data-step="${step}"]`).getAttribute('data-state')).toBe('ok')
    }
    await screenshot(page.locator('body'), 'options')
    await page.close()
  }, TIMEOUT)

  it('rejects an invalid server URL in the options page', async () => {
    const page = await context.newPage()
    await page.goto(OPTIONS_URL)
    await page.getByLabel('Server URL').fill('http://example.com')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('Use https:// for a server that is not on this computer').waitFor()
    expect((await readStorage(page)).local.serverUrl).toBe(stack.serverUrl)
    await page.close()
  }, TIMEOUT)

  it('links to the options page when no server is configured', async () => {
    const popup = await openPopup(context)
    await writeStorage(popup, 'local', { serverUrl: '' })
    await view(popup, 'not_configured')
    await popup.getByRole('button', { name: 'Open options' }).waitFor()
    await screenshot(frame(popup), 'popup-not-configured')
    await writeStorage(popup, 'local', { serverUrl: stack.serverUrl })
    await popup.close()
  }, TIMEOUT)

  describe('with a server that does not allow the redirect URL', () => {
    let strict: Stack
    beforeAll(async () => {
      strict = await startStack({ env: { ALLOWED_REDIRECT_URIS: 'https://someone-else.chromiumapp.org/' } })
    })
    afterAll(async () => {
      await strict?.close()
    })

    it('shows the exact redirect URL to allow, with a Copy button', async () => {
      await setServerUrl(context, strict.serverUrl)
      const popup = await openPopup(context)
      await dismissError(popup)
      await popup.getByRole('button', { name: 'Connect Instagram' }).click()
      await view(popup, 'error')
      await popup.getByRole('heading', { name: 'This extension’s redirect URL is not allowed' }).waitFor()
      expect(await popup.getByRole('group', { name: 'Redirect URL to allow' }).locator('code').textContent()).toBe(REDIRECT_URI)
      expect(await frame(popup).textContent()).toContain('ALLOWED_REDIRECT_URIS')
      await popup.getByRole('button', { name: 'Copy redirect url to allow' }).click()
      await popup.getByText('Copied to the clipboard.').waitFor()
      expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe(REDIRECT_URI)
      await screenshot(frame(popup), 'popup-error-redirect-not-allowed')
      await popup.close()
    }, TIMEOUT)

    it('fails Test connection at the redirect step', async () => {
      const page = await context.newPage()
      await page.setViewportSize({ width: 820, height: 900 })
      await page.goto(OPTIONS_URL)
      await page.getByRole('button', { name: 'Test connection' }).click()
      await page.locator('[data-step="redirect"][data-state="failed"]').waitFor({ timeout: 15_000 })
      expect(await page.locator('[data-step="redirect"]').textContent()).toContain(`${REDIRECT_URI} is not allowed`)
      expect(await page.getByTestId('test-summary').textContent()).toBe('Failed: The server allows this extension’s redirect URL.')
      await screenshot(page.locator('body'), 'options-test-redirect-not-allowed')
      await page.close()
    }, TIMEOUT)
  })
})

describe('screenshots', () => {
  it('are saved for every popup state', () => {
    const names = ['popup-disconnected', 'popup-connecting', 'popup-connected', 'popup-reconnect', 'popup-not-configured', 'options', 'options-test-failed']
    names.push('popup-switcher', 'popup-switcher-open', 'options-accounts', 'popup-reconnect-other-server')
    for (const error of ['cancelled', 'window-closed', 'server-unreachable', 'redirect-not-allowed', 'instagram-unavailable']) names.push(`popup-error-${error}`)
    for (const name of names) {
      expect(existsSync(join(SCREENSHOTS, `${name}.png`)), name).toBe(true)
    }
  })
})
