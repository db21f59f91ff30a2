/**
 * The browser-neutral driver the shared scenarios (./scenarios.ts) are written against. Two
 * implementations: ./chromium-driver.ts (playwright-core, the Chromium harness) and
 * ./firefox-driver.ts (puppeteer-core over WebDriver BiDi, Firefox ESR). Selectors are CSS;
 * buttons are found by their accessible name, the way a user finds them.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { activeEntry, decodeAccounts } from '../../src/lib/accounts'
import { SCREENSHOTS } from './common'

export type BrowserName = 'chromium' | 'firefox'

export interface WaitOptions {
  /** Milliseconds; 15 s unless told. */
  timeout?: number
}

/** One tab or window: an extension page (popup, options) or a web page (the consent page). */
export interface DriverPage {
  /** The document's current URL. */
  url(): Promise<string>
  /** Resolves when an element matches `selector`. */
  waitFor(selector: string, options?: WaitOptions): Promise<void>
  /** Resolves when the page's rendered text contains `text`. */
  waitForText(text: string, options?: WaitOptions): Promise<void>
  /** The `textContent` of the first match, or null when nothing matches. */
  text(selector: string): Promise<string | null>
  /** An attribute of the first match, or null. */
  attribute(selector: string, name: string): Promise<string | null>
  count(selector: string): Promise<number>
  click(selector: string): Promise<void>
  /** Clicks the button whose accessible name is exactly `name`. */
  clickButton(name: string): Promise<void>
  /** Types into the input labelled `label`, replacing its value. */
  fill(label: string, value: string): Promise<void>
  /** A key on the focused element, e.g. `Enter`, `Tab`. */
  press(key: string): Promise<void>
  /** Runs `fn(arg)` in the page; `fn` must be self-contained (it is serialized). */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>
  /** A PNG of the first element matching `selector`, named `name`, into the browser's screenshot folder. */
  screenshot(selector: string, name: string): Promise<void>
  close(): Promise<void>
  isClosed(): boolean
}

export interface BrowserDriver {
  readonly name: BrowserName
  /** What `identity.getRedirectURL()` answers in this browser. */
  readonly redirectUri: string
  /** Where this browser's screenshots go. */
  readonly screenshots: string
  /** The popup, opened as a tab at its real width (360 px). */
  openPopup(): Promise<DriverPage>
  openOptions(): Promise<DriverPage>
  /** The first-run page (the extension opens it by itself on install; this opens another). */
  openWelcome(): Promise<DriverPage>
  /**
   * Runs `action` and returns the window or tab it opened (the authorization window that
   * `identity.launchWebAuthFlow` opens), once that page shows something other than about:blank.
   */
  expectNewPage(action: () => Promise<unknown>, options?: WaitOptions): Promise<DriverPage>
  close(): Promise<void>
}

export const DEFAULT_TIMEOUT = 15_000

/**
 * The screenshot folder of one browser: SCREENSHOTS for Chromium (copied to the README's
 * docs/screenshots/ by a passing run with UPDATE_SCREENSHOTS=1), always
 * test-results/screenshots/<browser>/ for the others.
 */
export function screenshotDir(name: BrowserName): string {
  const dir = name === 'chromium' ? SCREENSHOTS : resolve('test-results/screenshots', name)
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Lets images decode before a screenshot, so the PNG shows a settled frame. Runs in the page. */
export const settleImages = (): Promise<unknown> =>
  Promise.all([...document.images].map((img) => (img.complete ? undefined : img.decode().catch(() => undefined))))

export interface ExtensionStorage {
  local: Record<string, unknown>
  session: Record<string, unknown>
}

/**
 * The active account in storage read with `readExtensionStorage` (schema 2, src/lib/accounts.ts):
 * its token record (`session`), profile and media caches; `undefined` where there is none.
 */
export function activeAccount(stored: Pick<ExtensionStorage, 'local'>) {
  const entry = activeEntry(decodeAccounts(stored.local))
  return { session: entry?.account, profile: entry?.profile ?? undefined, media: entry?.media ?? undefined, id: entry?.account.user.id }
}

/** Reads the extension's storage from one of its pages (`chrome.storage` exists in both browsers). */
export function readExtensionStorage(page: DriverPage): Promise<ExtensionStorage> {
  return page.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<Record<string, unknown>> }> } }).chrome
    return { local: await api.storage.local.get(null), session: await api.storage.session.get(null) }
  }, undefined)
}

/** Writes to the extension's storage from one of its pages (for states a test cannot reach quickly). */
export async function writeExtensionStorage(page: DriverPage, area: 'local' | 'session', items: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    async ({ area, items }) => {
      const api = (globalThis as unknown as { chrome: { storage: Record<string, { set(i: unknown): Promise<void> }> } }).chrome
      await api.storage[area]!.set(items)
    },
    { area, items },
  )
}

/** Resolves when the popup shows the view `kind` (`disconnected`, `connecting`, `connected`, `error`, …). */
export const waitForView = (popup: DriverPage, kind: string, options: WaitOptions = {}): Promise<void> =>
  popup.waitFor(`.popup[data-view="${kind}"]`, { timeout: options.timeout ?? DEFAULT_TIMEOUT })

/** Sets the server URL the way a user does: in the options page, then Save. */
export async function saveServerUrl(driver: BrowserDriver, serverUrl: string): Promise<void> {
  const page = await driver.openOptions()
  await page.fill('Server URL', serverUrl)
  await page.clickButton('Save')
  await page.waitForText(`Saved. The extension now uses ${serverUrl}.`)
  await page.close()
}

/** Back to the disconnected view if the popup opened on an earlier test's error. */
export async function dismissError(popup: DriverPage): Promise<void> {
  await popup.waitFor('.popup:not([data-view="loading"])')
  if ((await popup.attribute('.popup', 'data-view')) === 'error') await popup.clickButton('Dismiss')
  await waitForView(popup, 'disconnected')
}

/** A CSS attribute-selector string literal. */
export const cssString = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`
