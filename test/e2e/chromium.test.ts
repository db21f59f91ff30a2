/**
 * Real-browser end-to-end tests: the built extension in Chromium (headless, fresh profile),
 * against the exchange server and the Instagram emulator on ephemeral ports. The popup and the
 * options page are opened as tabs at their chrome-extension:// URLs; the authorization window
 * that identity.launchWebAuthFlow opens is a new page of the same context.
 *
 * The core scenarios are shared with Firefox (./scenarios.ts, through ./chromium-driver.ts);
 * the rest drive Playwright directly.
 *
 * Every popup state is saved as a PNG under test-results/; with UPDATE_SCREENSHOTS=1 they are
 * copied to docs/screenshots/ (the README shows them) at the end, only if every test passed.
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
  PAGE_VIEWPORT,
  POPUP_URL,
  prepareExtension,
  readStorage,
  REDIRECT_URI,
  screenshot,
  SCREENSHOTS,
  setServerUrl,
  startDownServer,
  unusedPort,
  WELCOME_URL,
  writeStorage,
  type Browser,
} from './harness'
import { chromiumDriver, playwrightPage } from './chromium-driver'
import { everyTestPassed, publishScreenshots, startScreenshotRun } from './common'
import { activeAccount } from './driver'
import type { BrowserDriver } from './driver'
import * as scenarios from './scenarios'
import { USER } from './scenarios'
import { pngSize, STORE_PICTURES, STORE_SIZE, storeScreenshot } from './store-screenshots'

const TIMEOUT = scenarios.SCENARIO_TIMEOUT

let stack: Stack
let browser: Browser
let context: BrowserContext
let driver: BrowserDriver

beforeAll(async () => {
  assertPrerequisites()
  startScreenshotRun()
  stack = await startStack()
  browser = await launchBrowser(prepareExtension())
  context = browser.context
  driver = chromiumDriver(context)
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined)
})

// vitest 4 wants the first argument (the fixtures) destructured; the second is this file.
afterAll(async ({}, file) => {
  await browser?.close()
  await stack?.close()
  // Only a run in which every test passed refreshes the README's pictures.
  publishScreenshots(everyTestPassed(file))
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

describe('welcome page', () => {
  it('opens on install and says whether the server answers', async () => {
    const welcome = browser.welcome!
    expect(welcome.url()).toBe(WELCOME_URL)
    await welcome.getByRole('heading', { name: 'Welcome to Instagram Connect' }).waitFor()
    // Opened before any server was set: the default server (port 8787) is not the test's.
    await setServerUrl(context, stack.serverUrl)
    await welcome.setViewportSize(PAGE_VIEWPORT)
    await welcome.reload()
    await welcome.getByText('The server answers and allows this extension. You are ready to connect.').waitFor({ timeout: 15_000 })
    for (const step of ['health', 'config', 'redirect']) expect(await welcome.locator(`[data-step="${step}"]`).getAttribute('data-state')).toBe('ok')
    expect(await welcome.getByText(stack.serverUrl, { exact: true }).count()).toBe(1)
    await welcome.getByRole('img', { name: /Extensions button \(a puzzle piece\).*pin button/ }).waitFor()
    await welcome.getByText('Click the pin next to Instagram Connect.').waitFor()
    await screenshot(welcome.locator('body'), 'welcome')
    // The store's capture showed the default server URL; the page shows the saved one again.
    expect(await welcome.getByText(stack.serverUrl, { exact: true }).count()).toBe(1)
  }, TIMEOUT)

  it('works with the keyboard: every control is reached with Tab, with a visible ring, and Enter opens the popup', async () => {
    const welcome = browser.welcome!
    await welcome.locator('body').focus()
    const reached: string[] = []
    for (let i = 0; i < 6 && !reached.includes('Open Instagram Connect'); i++) {
      await welcome.keyboard.press('Tab')
      const focused = await welcome.evaluate(() => {
        const el = document.activeElement as HTMLElement
        return { name: el.textContent?.trim() ?? '', outline: getComputedStyle(el).outlineStyle }
      })
      expect(focused.outline, focused.name).toBe('solid')
      reached.push(focused.name)
    }
    expect(reached).toEqual(['Check again', 'Use another server (Options)', 'Open Instagram Connect'])
    // action.openPopup() opens the popup where the browser can (Playwright does not list an
    // action popup among the pages; the extension's own runtime.getContexts does). Where the
    // browser refuses, the page says which button to click instead.
    const popups = () =>
      welcome.evaluate(async () => {
        const runtime = (globalThis as unknown as { chrome: { runtime: { getContexts(f: object): Promise<{ documentUrl?: string }[]> } } }).chrome.runtime
        return (await runtime.getContexts({ contextTypes: ['POPUP'] })).map((c) => c.documentUrl)
      })
    expect(await popups()).toEqual([])
    await welcome.keyboard.press('Enter')
    const fallback = welcome.getByText('click the Instagram Connect button in the toolbar (or in the puzzle-piece Extensions menu)')
    await expect.poll(async () => (await popups()).includes(POPUP_URL) || (await fallback.isVisible())).toBe(true)
    console.info(`welcome page, Open Instagram Connect: ${(await fallback.isVisible()) ? 'the browser refused; the page says what to click' : 'the popup opened'}`)
  }, TIMEOUT)
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
    // The account's picture in the bar (the switcher button) fades like the card's.
    const fading = (selector: string) => popup.locator(selector).evaluate((el) => `opacity ${getComputedStyle(el).opacity}, filter ${getComputedStyle(el).filter}`)
    expect(await fading('.dimmed .avatar')).toBe('opacity 0.55, filter grayscale(1)')
    expect(await fading('.switcher-button .avatar')).toBe(await fading('.dimmed .avatar'))
    await screenshot(frame(popup), 'popup-reconnect')
    expect(activeAccount(await readStorage(popup)).session).toMatchObject({ needs_reconnect: true })

    const consent = await startConnect(popup, 'Reconnect')
    await consent.getByRole('button', { name: 'Authorize' }).click()
    await view(popup, 'connected')
    await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
    expect(await fading('.switcher-button .avatar')).toBe('opacity 1, filter none')
    expect(activeAccount(await readStorage(popup)).session).not.toHaveProperty('needs_reconnect')
    await popup.close()
  }, TIMEOUT)

  it('renders names and captions as text, never as markup', async () => {
    const popup = await openPopup(context)
    await view(popup, 'connected')
    // Its revalidation done first: the profile it stores would replace the one written below.
    await expect.poll(() => popup.locator('.sync').textContent(), { timeout: 15_000 }).toBe('\u00a0')
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

  it('paints the stored @username in its first contentful frame, and the App takes that frame over without changing it (issue 18)', async () => {
    const popup = await context.newPage()
    await popup.setViewportSize({ width: 360, height: 640 })
    // Before the popup's own scripts: the first contentful paint, the paint of the heading
    // (Element Timing), every view the popup's frame showed, the first frame's elements as they
    // were inserted, and every later change to them (text changed, element removed).
    await popup.addInitScript(() => {
      const seen = { fcp: 0, heading: 0, views: [] as string[], firstText: '', firstPlaces: '', changed: [] as string[] }
      let first: { popup: Element; handle: Element; initial: Element } | null = null
      // Where the heading, the name and the bar's two buttons are: the same in the first frame and once the App has rendered.
      const places = () =>
        ['h1.handle', '.profile .name', '.switcher-button', '.options-btn']
          .map((selector) => {
            const box = document.querySelector(selector)?.getBoundingClientRect()
            // Not the width: the names' column widens to the account type's badge when it comes.
            return box ? `${selector} at ${box.x},${box.y}, ${box.height} high` : `${selector} missing`
          })
          .join('; ')
      Object.assign(window, { __seen: seen, __first: () => first, __places: places })
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') seen.fcp = entry.startTime
      }).observe({ type: 'paint', buffered: true })
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { identifier?: string; renderTime?: number })[]) if (entry.identifier === 'username') seen.heading = entry.renderTime ?? 0
      }).observe({ type: 'element', buffered: true })
      new MutationObserver((records) => {
        const handle = document.querySelector('h1.handle')
        if (handle !== null && !handle.hasAttribute('elementtiming')) handle.setAttribute('elementtiming', 'username')
        const view = document.querySelector('.popup')?.getAttribute('data-view')
        if (view && seen.views.at(-1) !== view) seen.views.push(view)
        if (first === null && handle !== null) {
          first = { popup: document.querySelector('.popup')!, handle, initial: document.querySelector('.profile .avatar-initial')! }
          seen.firstText = `${first.initial.textContent} ${handle.textContent}`
          seen.firstPlaces = places()
          return
        }
        for (const record of records) {
          const inFirst = first !== null && [first.popup, first.handle, first.initial].some((el) => el.contains(record.target) && el !== first!.popup)
          // Preact writes a taken-over text node's text again; the same text is no change on screen.
          if (record.type === 'characterData' && inFirst && record.oldValue !== record.target.textContent) seen.changed.push(`text "${record.oldValue}" → "${record.target.textContent}"`)
          for (const node of record.removedNodes) if (first !== null && node.contains(first.handle)) seen.changed.push('heading removed')
        }
      }).observe(document, { subtree: true, childList: true, characterData: true, characterDataOldValue: true, attributeFilter: ['data-view'] })
    })
    await popup.goto(POPUP_URL)
    await view(popup, 'connected')
    type Seen = { fcp: number; heading: number; views: string[]; firstText: string; firstPlaces: string; changed: string[] }
    await expect.poll(() => popup.evaluate(() => (window as unknown as { __seen: Seen }).__seen.heading)).toBeGreaterThan(0)
    // The App has rendered the whole view: the posts and Disconnect are there.
    await popup.getByRole('button', { name: 'Disconnect' }).waitFor()
    const seen = await popup.evaluate(() => (window as unknown as { __seen: Seen }).__seen)
    expect(seen.views).toEqual(['connected'])
    expect(await popup.locator('h1.handle').textContent()).toBe(`@${USER}`)
    // The first frame with any content is the one that painted the heading.
    expect(seen.fcp).toBeGreaterThan(0)
    expect(seen.heading).toBe(seen.fcp)
    // That frame (src/popup/first-paint.ts) showed the picture's initial and the heading, and the
    // App took its very elements over: the same nodes, the same text, nothing removed.
    expect(seen.firstText).toBe(`${USER.charAt(0).toUpperCase()} @${USER}`)
    expect(seen.changed).toEqual([])
    // Nothing moved (newcomer review: the heading jumped 23 px when the name and badge came).
    expect(seen.firstPlaces).not.toContain('missing')
    expect(await popup.evaluate(() => (window as unknown as { __places: () => string }).__places())).toBe(seen.firstPlaces)
    const same = await popup.evaluate(() => {
      const first = (window as unknown as { __first: () => { popup: Element; handle: Element; initial: Element } }).__first()
      return [first.popup === document.querySelector('.popup'), first.handle === document.querySelector('h1.handle'), first.initial === document.querySelector('.profile .avatar-initial')]
    })
    expect(same).toEqual([true, true, true])
    // And the App's attributes are on them: the heading is the focused, labelled start of the view.
    expect(await popup.evaluate(() => document.activeElement?.className)).toBe('handle')
    expect(await popup.locator('section.profile').getAttribute('aria-label')).toBeTruthy()
    await popup.close()
  }, TIMEOUT)

  it('follows storage and finishes its opening in a page that gets no animation frame, as a hidden one (issue 18)', () =>
    scenarios.followsStorageWhileHidden(driver, async () => {
      const popup = await context.newPage()
      await popup.setViewportSize({ width: 360, height: 640 })
      // Headless Chromium shows every tab; a hidden tab is emulated as Chromium runs one: no
      // animation frame at all (requestAnimationFrame callbacks wait until it is shown).
      await popup.addInitScript(() => {
        window.requestAnimationFrame = () => 0
        Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' })
        Object.defineProperty(document, 'hidden', { get: () => true })
      })
      await popup.goto(POPUP_URL)
      return playwrightPage(popup, driver.screenshots)
    }), TIMEOUT)

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

  it('a key pressed while only the first frame is painted acts on the whole view: the App takes over first (issue 18)', async () => {
    const focusedAfterTab = async (popup: Page) => {
      await popup.keyboard.press('Tab')
      return popup.evaluate(() => {
        const el = document.activeElement as HTMLElement
        return { label: el.getAttribute('aria-label') ?? el.textContent, outline: getComputedStyle(el).outlineStyle }
      })
    }
    // As it is once the App has rendered.
    const settled = await openPopup(context)
    await settled.getByRole('button', { name: 'Disconnect' }).waitFor()
    const expected = await focusedAfterTab(settled)
    await settled.close()
    // With no animation frames, the App takes the first frame over only after 250 ms
    // (HIDDEN_PAGE_MS, then TAKE_OVER_MS): a window wide enough to press Tab in, every time.
    const popup = await context.newPage()
    await popup.setViewportSize({ width: 360, height: 640 })
    await popup.addInitScript(() => {
      window.requestAnimationFrame = () => 0
    })
    await popup.goto(POPUP_URL)
    await popup.locator('h1.handle', { hasText: `@${USER}` }).waitFor()
    expect(await popup.getByRole('button', { name: 'Disconnect' }).count(), 'the App had already rendered: the test missed the first frame').toBe(0)
    expect(await focusedAfterTab(popup)).toEqual(expected)
    expect(expected.outline).toBe('solid')
    expect(await popup.getByRole('button', { name: 'Disconnect' }).count()).toBe(1)
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

  describe('when the server is down', () => {
    // Each test sets the URL itself: none depends on what an earlier one saved.
    let down: Awaited<ReturnType<typeof startDownServer>>
    beforeAll(async () => {
      down = await startDownServer()
    })
    afterAll(async () => {
      await down?.close()
    })

    it('names the server URL and how to start it when the server is down', async () => {
      const downUrl = down.url
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
      await setServerUrl(context, down.url)
      const page = await context.newPage()
      await page.setViewportSize(PAGE_VIEWPORT)
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
  })

  it('passes Test connection against a working server', async () => {
    await setServerUrl(context, stack.serverUrl)
    const page = await context.newPage()
    await page.setViewportSize(PAGE_VIEWPORT)
    await page.goto(OPTIONS_URL)
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByText('All checks passed. You can connect from the toolbar button.').waitFor({ timeout: 15_000 })
    for (const step of ['health', 'config', 'redirect']) {
      expect(await page.locator(`[data-step="${step}"]`).getAttribute('data-state')).toBe('ok')
    }
    await screenshot(page.locator('body'), 'options')
    await page.close()
  }, TIMEOUT)

  it('keeps the server URL as typed when the page’s frames come late, as on a busy machine (issue 14)', async () => {
    const page = await context.newPage()
    // Preact runs effects after the next frame (requestAnimationFrame, or a 35 ms timer): delay
    // both by LATE ms, the way a starved compositor does, so anything they do lands after typing.
    await page.addInitScript((late) => {
      const timer = window.setTimeout.bind(window)
      window.requestAnimationFrame = (callback) => timer(() => callback(performance.now()), late)
      ;(window as unknown as { setTimeout: typeof timer }).setTimeout = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) =>
        timer(handler, ms === 35 ? late : ms, ...rest)) as typeof timer
    }, 1000)
    await page.goto(OPTIONS_URL)
    const typed = `http://127.0.0.1:${await unusedPort()}`
    await page.getByLabel('Server URL').fill(typed)
    // Later than every delayed frame scheduled before it (timers fire in deadline order).
    await page.evaluate(() => new Promise((wake) => setTimeout(wake, 1100)))
    expect(await page.getByLabel('Server URL').inputValue()).toBe(typed)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText(`Saved. The extension now uses ${typed}.`).waitFor()
    await page.close()
    await setServerUrl(context, stack.serverUrl)
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
      await page.setViewportSize(PAGE_VIEWPORT)
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

describe('Instagram as it is today (issue 12)', () => {
  /** The popup in the disconnected state, on the main stack. */
  async function disconnectedPopup(): Promise<Page> {
    await setServerUrl(context, stack.serverUrl)
    const popup = await openPopup(context)
    await popup.locator('.popup:not([data-view="loading"])').waitFor()
    const kind = await popup.locator('.popup').getAttribute('data-view')
    if (kind === 'error') await popup.getByRole('button', { name: 'Dismiss' }).click()
    if (kind === 'connected' || kind === 'reconnect') await popup.getByRole('button', { name: 'Disconnect' }).click()
    await view(popup, 'disconnected')
    return popup
  }

  /** Connect, then Authorize as `username` in the Instagram window; returns the authorize URL. */
  async function connectAs(popup: Page, username = USER, button = 'Connect Instagram'): Promise<URL> {
    const consent = await startConnect(popup, button)
    const url = new URL(consent.url())
    await consent.getByRole('radio', { name: new RegExp(username.replace('.', '\\.')) }).check()
    await consent.getByRole('button', { name: 'Authorize' }).click()
    return url
  }

  it('a missing permission: says which, and Reconnect connects', async () => {
    // Armed once the popup is disconnected: opening a connected popup reads /me, which would take it.
    const popup = await disconnectedPopup()
    await emulatorAdmin(stack.emulator.url, 'faults', {
      kind: 'graph-error',
      match: 'profile',
      code: 10,
      type: 'IGApiException',
      message: '(#10) Application does not have permission for this action: the instagram_business_basic permission is not granted',
    })
    const authorize = await connectAs(popup)
    expect(authorize.searchParams.get('force_reauth')).toBe('true')
    await view(popup, 'error')
    await popup.getByRole('heading', { name: 'Instagram needs a permission' }).waitFor()
    expect(await frame(popup).textContent()).toContain('Instagram says the permission instagram_business_basic was not granted or was removed. Reconnect and allow it.')
    await screenshot(frame(popup), 'popup-error-permission-missing')
    await connectAs(popup, USER, 'Reconnect')
    await view(popup, 'connected')
    await popup.getByRole('heading', { name: `@${USER}` }).waitFor()
    await popup.close()
  }, TIMEOUT)

  it('Instagram throttling: says how long to wait, from Retry-After', async () => {
    const popup = await disconnectedPopup()
    await emulatorAdmin(stack.emulator.url, 'settings', { usage: { level: 100, header: 'business', estimated_time_to_regain_access: 7 } })
    await emulatorAdmin(stack.emulator.url, 'faults', { kind: 'graph-error', match: 'profile', code: 17, type: 'OAuthException', message: 'User request limit reached' })
    try {
      await connectAs(popup)
      await view(popup, 'error')
      await popup.getByRole('heading', { name: 'Instagram is busy' }).waitFor()
      expect(await frame(popup).textContent()).toContain('Wait about 7 minutes, then try again.')
      const stored = await readStorage(popup)
      expect(stored.session.flow).toMatchObject({ phase: 'error', error: { code: 'instagram_rate_limited', retryAfter: 420 } })
      await screenshot(frame(popup), 'popup-error-instagram-throttled')
      await popup.getByRole('button', { name: 'Dismiss' }).click()
      await popup.close()
    } finally {
      await emulatorAdmin(stack.emulator.url, 'settings', { usage: null })
    }
  }, TIMEOUT)

  it('a video with licensed audio (no media_url): a placeholder, never a broken image; every tile opens its post in a new tab', async () => {
    const popup = await disconnectedPopup()
    await connectAs(popup, 'bigodd.creator')
    await view(popup, 'connected')
    await popup.getByRole('heading', { name: '@bigodd.creator' }).waitFor()
    await popup.getByText('Creator account').waitFor()
    const video = popup.locator('.grid .tile[data-type="VIDEO"]')
    await video.waitFor()
    expect(await video.getAttribute('data-picture')).toBe('none')
    expect(await video.locator('img').count()).toBe(0)
    expect(await video.locator('.tile-placeholder').isVisible()).toBe(true)
    expect(await video.getAttribute('href')).toBe('https://www.instagram.com/p/CyV4gH5iJ6k/')
    const tiles = popup.locator('.grid a.tile')
    expect(await tiles.count()).toBe(3)
    for (const tile of await tiles.all()) {
      expect(await tile.getAttribute('target')).toBe('_blank')
      expect(await tile.getAttribute('href')).toMatch(/^https:\/\/www\.instagram\.com\/p\//)
    }
    await expect
      .poll(() => popup.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('.grid img')].every((img) => img.hidden || (img.complete && img.naturalWidth > 0))))
      .toBe(true)
    await screenshot(frame(popup), 'popup-licensed-audio-video')

    // The owner's own video with licensed audio and a thumbnail shows the thumbnail.
    await popup.getByRole('button', { name: 'Disconnect' }).click()
    await view(popup, 'disconnected')
    await connectAs(popup, USER)
    await view(popup, 'connected')
    const thumbnail = popup.locator('.grid .tile[data-type="VIDEO"] img')
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await popup.close()
  }, TIMEOUT)
})

describe('screenshots', () => {
  it('make the store listing pictures at 1280×800, showing the default server URL', async () => {
    for (const picture of STORE_PICTURES) expect(pngSize(await storeScreenshot(context, picture, SCREENSHOTS)), picture.name).toEqual(STORE_SIZE)
  }, TIMEOUT)

  it('are saved for every popup state', () => {
    const names = ['popup-disconnected', 'popup-connecting', 'popup-connected', 'popup-reconnect', 'popup-not-configured', 'options', 'options-test-failed']
    names.push('popup-licensed-audio-video')
    names.push('popup-switcher', 'popup-switcher-open', 'options-accounts', 'popup-reconnect-other-server')
    for (const error of ['cancelled', 'window-closed', 'server-unreachable', 'redirect-not-allowed', 'instagram-unavailable', 'permission-missing', 'instagram-throttled']) {
      names.push(`popup-error-${error}`)
    }
    for (const name of names) {
      expect(existsSync(join(SCREENSHOTS, `${name}.png`)), name).toBe(true)
    }
  })
})
