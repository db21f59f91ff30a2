/**
 * The driver (./driver.ts) for Firefox ESR, over puppeteer-core and WebDriver BiDi.
 *
 * - `--remote-allow-system-access`: without it BiDi refuses to navigate to `moz-extension:` pages.
 * - The extension is installed as a temporary add-on (`browser.installExtension`) from
 *   dist/firefox itself, not a copy: its host permissions name no port (Firefox cannot match
 *   one, see vite.config.ts), so `http://127.0.0.1/*` already covers the test servers' ephemeral
 *   ports. Firefox grants MV3 host permissions at install (`extensions.originControls.grantByDefault`,
 *   true since Firefox 127; pinned below so that the tests do not depend on the default).
 * - The extension's internal UUID is random per profile; the `extensions.webextensions.uuids`
 *   pref fixes it, so the popup is at a known `moz-extension://<uuid>/popup.html`.
 * - `goto` on a `moz-extension:` page never resolves under BiDi: the driver starts the
 *   navigation, then waits until the document at that URL answers.
 * - `identity.launchWebAuthFlow` opens a popup window: a new top-level browsing context, which
 *   puppeteer reports as a new page target.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import puppeteer, { type Browser, type KeyInput, type Page, type Target } from 'puppeteer-core'
import { FIREFOX_EXTENSION_ID, FIREFOX_REDIRECT_URI } from '../../server/extension-ids'
import { cssString, DEFAULT_TIMEOUT, screenshotDir, settleImages, type BrowserDriver, type DriverPage, type WaitOptions } from './driver'

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
export const FIREFOX_BUILD_DIR = resolve('dist/firefox')
/** Any fixed UUID: the extension's pages live at moz-extension://<this>/. */
export const FIREFOX_EXTENSION_UUID = '6f1d7f0e-3c1b-4b7a-9e55-0c2d1b6a9e41'
export const FIREFOX_POPUP_URL = `moz-extension://${FIREFOX_EXTENSION_UUID}/popup.html`
export const FIREFOX_OPTIONS_URL = `moz-extension://${FIREFOX_EXTENSION_UUID}/options.html`
export const FIREFOX_WELCOME_URL = `moz-extension://${FIREFOX_EXTENSION_UUID}/welcome.html`

/**
 * Fails (never skips, in CI or not) when the prerequisites are missing, saying how to get them.
 */
export function assertFirefoxPrerequisites(): void {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(
      `Firefox ESR is not at ${FIREFOX_PATH}. Install the Debian package \`firefox-esr\` (sudo apt-get install firefox-esr, or npm run setup), ` +
        'or point FIREFOX_PATH at a Firefox binary.',
    )
  }
  if (!existsSync(join(FIREFOX_BUILD_DIR, 'manifest.json'))) {
    throw new Error(`The Firefox extension is not built: ${join(FIREFOX_BUILD_DIR, 'manifest.json')} is missing. Run \`npm run build\` first (\`npm test\` does).`)
  }
}

export interface FirefoxDriver extends BrowserDriver {
  readonly browser: Browser
  /**
   * The popup in a window of its own, for a popup opened while the Instagram window is open.
   * `openPopup` opens a tab in the window that had the focus last, which is then the Instagram
   * window: the tab hides the consent page, and Firefox ignores the redirect of a tab that is
   * not its window's selected one (`resolveIfRedirectURI` in ext-identity.js), so the flow would
   * never end. The real popup is a panel and never does that.
   */
  openPopupWindow(): Promise<DriverPage>
}

/**
 * Headless Firefox ESR in a fresh profile, with the built extension installed and its background
 * page running. `lang` (`pt-BR`) is the browser's UI language, the one `i18n.getMessage` follows
 * (`intl.locale.requested`); Debian's `firefox-esr-l10n-pt-br` has its language pack. `prefs`
 * are more about:config preferences (e.g. `extensions.background.idle.timeout`).
 */
export async function launchFirefox(extensionDir = FIREFOX_BUILD_DIR, options: { lang?: string; prefs?: Record<string, unknown> } = {}): Promise<FirefoxDriver> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    args: ['--remote-allow-system-access'],
    defaultViewport: { width: 1000, height: 800 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }),
      'extensions.originControls.grantByDefault': true,
      // Screenshots of a settled frame (the popup's spinners honour prefers-reduced-motion).
      'ui.prefersReducedMotion': 1,
      // The language pack is an app-wide add-on; 0 keeps such add-ons enabled in a new profile.
      ...(options.lang === undefined ? {} : { 'intl.locale.requested': options.lang, 'extensions.autoDisableScopes': 0 }),
      ...options.prefs,
    },
  })
  try {
    const id = await browser.installExtension(extensionDir)
    if (id !== FIREFOX_EXTENSION_ID) throw new Error(`Firefox installed the extension as ${id}, not ${FIREFOX_EXTENSION_ID}`)
  } catch (error) {
    await browser.close()
    throw error
  }
  const driver = firefoxDriver(browser)
  // The background page starts with the add-on; a popup opened before it listens would say so.
  const probe = await driver.openOptions()
  await waitUntil(() => probe.evaluate(() => (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({ type: 'getState' }).then((r) => r !== undefined), undefined), 'the background page answers')
  await probe.close()
  return driver
}

/** The driver for a Firefox that has the extension installed under FIREFOX_EXTENSION_UUID. */
export function firefoxDriver(browser: Browser): FirefoxDriver {
  const screenshots = screenshotDir('firefox')
  const open = async (url: string, width: number, height: number, type: 'tab' | 'window' = 'tab') => {
    const page = await browser.newPage(type === 'window' ? { type } : {})
    await page.setViewport({ width, height })
    // Never resolves for moz-extension: pages under BiDi; the wait below is the real one.
    page.goto(url).catch(() => undefined)
    const driverPage = puppeteerPage(page, screenshots)
    await waitUntil(async () => (await driverPage.url()) === url && (await page.evaluate(() => document.readyState !== 'loading')), `${url} loads`)
    return driverPage
  }
  return {
    name: 'firefox',
    redirectUri: FIREFOX_REDIRECT_URI,
    screenshots,
    browser,
    openPopup: () => open(FIREFOX_POPUP_URL, 360, 640),
    openPopupWindow: () => open(FIREFOX_POPUP_URL, 360, 640, 'window'),
    openOptions: () => open(FIREFOX_OPTIONS_URL, 820, 900),
    openWelcome: () => open(FIREFOX_WELCOME_URL, 1280, 800),
    async expectNewPage(action, options = {}) {
      const before = new Set<Target>(browser.targets())
      const opened = browser.waitForTarget((t) => t.type() === 'page' && !before.has(t) && t.url() !== '' && t.url() !== 'about:blank', {
        timeout: options.timeout ?? DEFAULT_TIMEOUT,
      })
      opened.catch(() => undefined) // if `action` throws, that is the error to report
      await action()
      const page = await (await opened).page()
      if (page === null) throw new Error('the new window has no page')
      await waitUntil(() => page.evaluate(() => document.readyState !== 'loading'), 'the new window loads')
      return puppeteerPage(page, screenshots)
    },
    close: () => browser.close(),
  }
}

/**
 * Watches the extension's background page from `page`, an extension page that stays open: it
 * keeps a reference to the background page's window (`runtime.getBackgroundPage`, which would
 * start a suspended page, so call this while the page runs) and resolves to a check that says
 * whether that same page is still loaded. Once Firefox suspends it, the reference is a dead
 * object; a page started again later is another window, which the check does not see.
 */
export async function watchBackgroundPage(page: DriverPage): Promise<() => Promise<boolean>> {
  type Global = { backgroundPageUnderWatch?: Window; browser: { runtime: { getBackgroundPage(): Promise<Window> } } }
  await page.evaluate(async () => {
    const global = globalThis as unknown as Global
    global.backgroundPageUnderWatch = await global.browser.runtime.getBackgroundPage()
  }, undefined)
  return () =>
    page.evaluate(() => {
      try {
        return typeof (globalThis as unknown as Global).backgroundPageUnderWatch!.location.href === 'string'
      } catch {
        return false // "can't access dead object"
      }
    }, undefined)
}

/** A Puppeteer page as a DriverPage. */
export function puppeteerPage(page: Page, screenshots: string): DriverPage {
  const timeout = (options?: WaitOptions) => options?.timeout ?? DEFAULT_TIMEOUT
  const byAria = (role: string, name: string) => `::-p-aria([name=${cssString(name)}][role=${cssString(role)}])`
  return {
    // page.url() stays about:blank for moz-extension: pages (their navigation is not reported).
    url: () => page.evaluate(() => location.href).catch(() => page.url()),
    async waitFor(selector, options) {
      await page.waitForSelector(selector, { visible: true, timeout: timeout(options) })
    },
    async waitForText(text, options) {
      await page.waitForFunction((text: string) => document.body?.innerText.includes(text) ?? false, { timeout: timeout(options) }, text)
    },
    text: (selector) => page.evaluate((selector: string) => document.querySelector(selector)?.textContent ?? null, selector),
    attribute: (selector, name) => page.evaluate((selector: string, name: string) => document.querySelector(selector)?.getAttribute(name) ?? null, selector, name),
    count: (selector) => page.evaluate((selector: string) => document.querySelectorAll(selector).length, selector),
    click: (selector) => page.locator(selector).click(),
    clickButton: (name) => page.locator(byAria('button', name)).click(),
    fill: (label, value) => page.locator(byAria('textbox', label)).fill(value),
    press: (key) => page.keyboard.press(key as KeyInput),
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown) as Promise<R>,
    async screenshot(selector, name) {
      await page.evaluate(settleImages)
      const element = await page.waitForSelector(selector, { visible: true })
      await element!.screenshot({ path: join(screenshots, `${name}.png`) as `${string}.png` })
    },
    close: () => page.close(),
    isClosed: () => page.isClosed(),
  }
}

/**
 * Polls `check` until it answers true. Errors count as "not yet": right after a navigation
 * starts, BiDi can answer with the old document's realm torn down.
 */
async function waitUntil(check: () => Promise<boolean>, what: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout
  let last: unknown
  for (;;) {
    try {
      if (await check()) return
      last = undefined
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting until ${what}`, { cause: last })
    await new Promise((wake) => setTimeout(wake, 100))
  }
}
