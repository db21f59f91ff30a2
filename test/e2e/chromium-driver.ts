/**
 * The driver (./driver.ts) for Chromium, over playwright-core: a wrapper around the persistent
 * context that ./harness.ts launches, so the Chromium tests can mix shared scenarios with
 * Chromium-only ones on the same browser.
 */
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { DEFAULT_TIMEOUT, screenshotDir, settleImages, type BrowserDriver, type DriverPage, type WaitOptions } from './driver'
import { EXTENSION_ID, PAGE_VIEWPORT } from './harness'
import { saveStoreSource } from './store-screenshots'

/**
 * The driver for a Chromium context that has the extension loaded (harness.ts `launchBrowser`),
 * under `id` (the fixed one unless the build has no `key`, as the Chrome Web Store package).
 */
export function chromiumDriver(context: BrowserContext, id: string = EXTENSION_ID, screenshots: string = screenshotDir('chromium')): BrowserDriver {
  const open = async (url: string, width: number, height: number) => {
    const page = await context.newPage()
    await page.setViewportSize({ width, height })
    await page.goto(url)
    return playwrightPage(page, screenshots)
  }
  return {
    name: 'chromium',
    redirectUri: `https://${id}.chromiumapp.org/`,
    screenshots,
    openPopup: () => open(`chrome-extension://${id}/popup.html`, 360, 640),
    openOptions: () => open(`chrome-extension://${id}/options.html`, PAGE_VIEWPORT.width, PAGE_VIEWPORT.height),
    openWelcome: () => open(`chrome-extension://${id}/welcome.html`, PAGE_VIEWPORT.width, PAGE_VIEWPORT.height),
    async expectNewPage(action, options = {}) {
      const [page] = await Promise.all([context.waitForEvent('page', { timeout: options.timeout ?? DEFAULT_TIMEOUT }), action()])
      await page.waitForLoadState('domcontentloaded')
      return playwrightPage(page, screenshots)
    },
    close: () => context.close(),
  }
}

/** A Playwright page as a DriverPage. */
export function playwrightPage(page: Page, screenshots: string): DriverPage {
  const timeout = (options?: WaitOptions) => options?.timeout ?? DEFAULT_TIMEOUT
  return {
    url: async () => page.url(),
    waitFor: (selector, options) => page.locator(selector).first().waitFor({ timeout: timeout(options) }),
    async waitForText(text, options) {
      await page.waitForFunction((text) => document.body?.innerText.includes(text) ?? false, text, { timeout: timeout(options) })
    },
    text: (selector) => page.evaluate((selector) => document.querySelector(selector)?.textContent ?? null, selector),
    attribute: (selector, name) => page.evaluate(([selector, name]) => document.querySelector(selector)?.getAttribute(name) ?? null, [selector, name] as const),
    count: (selector) => page.evaluate((selector) => document.querySelectorAll(selector).length, selector),
    click: (selector) => page.locator(selector).first().click(),
    clickButton: (name) => page.getByRole('button', { name, exact: true }).click(),
    fill: (label, value) => page.getByLabel(label, { exact: true }).fill(value),
    press: (key) => page.keyboard.press(key),
    // Playwright types the argument as it arrives (Unboxed<A>); for the plain data passed here that is A.
    evaluate: <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown),
    async screenshot(selector, name) {
      await page.evaluate(settleImages)
      const target = page.locator(selector).first()
      await target.screenshot({ path: join(screenshots, `${name}.png`), animations: 'disabled' })
      await saveStoreSource(target, screenshots, name)
    },
    close: () => page.close(),
    isClosed: () => page.isClosed(),
  }
}
