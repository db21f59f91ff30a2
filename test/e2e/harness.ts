import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { CHROME_EXTENSION_ID as EXTENSION_ID } from '../../server/extension-ids'
import { SCREENSHOTS } from './common'
import { saveStoreSource } from './store-screenshots'

export { emulatorAdmin, PAGE_VIEWPORT, SCREENSHOTS, startDownServer, unusedPort } from './common'

export { CHROME_EXTENSION_ID as EXTENSION_ID, CHROME_REDIRECT_URI as REDIRECT_URI } from '../../server/extension-ids'
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const BUILD_DIR = resolve('dist/chrome')
export const POPUP_URL = `chrome-extension://${EXTENSION_ID}/popup.html`
export const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/options.html`
export const WELCOME_URL = `chrome-extension://${EXTENSION_ID}/welcome.html`

/**
 * Fails (never skips, in CI or not) when the prerequisites are missing, saying how to get them.
 */
export function assertPrerequisites(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}. Install the Debian package \`chromium\` (sudo apt-get install chromium), ` +
        'or point CHROMIUM_PATH at a Chromium binary.',
    )
  }
  if (!existsSync(join(BUILD_DIR, 'manifest.json'))) {
    throw new Error(`The extension is not built: ${join(BUILD_DIR, 'manifest.json')} is missing. Run \`npm run build\` first (\`npm test\` does).`)
  }
}

/**
 * A copy of dist/chrome whose manifest also grants `http://127.0.0.1/*` (any port): the test
 * servers listen on ephemeral ports that the shipped host permissions (port 8787) do not cover,
 * and a headless browser cannot answer the permission prompt. The id does not change: it comes
 * from the manifest's `key`.
 */
export function prepareExtension(buildDir: string = BUILD_DIR): string {
  const dir = mkdtempSync(join(tmpdir(), 'ig-connect-ext-'))
  cpSync(buildDir, dir, { recursive: true })
  const manifestPath = join(dir, 'manifest.json')
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host_permissions?: string[] }
  manifest.host_permissions = [...(manifest.host_permissions ?? []), 'http://127.0.0.1/*']
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2))
  return dir
}

export interface Browser {
  context: BrowserContext
  /** The extension's id: EXTENSION_ID from the manifest's `key`, or the one Chromium gave a build without it (the store's). */
  id: string
  /** The welcome page the extension opened on install (src/background/welcome.ts); none in a profile the caller keeps. */
  welcome: Page | undefined
  close(): Promise<void>
}

/**
 * Chromium's flags, with the extension loaded: without the network-related ones it stalls on a
 * closed network (component updates, sync, QUIC probes); `--no-sandbox` for containers.
 */
export function chromiumArgs(extensionDir: string): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
  ]
}

/**
 * The tab the extension opens on install. Waited for at launch, so that it never arrives in the
 * middle of a test that waits for the next new page (the authorization window).
 */
async function welcomePage(context: BrowserContext, id: string): Promise<Page> {
  const url = `chrome-extension://${id}/welcome.html`
  const deadline = Date.now() + 15_000
  for (;;) {
    const page = context.pages().find((p) => p.url() === url)
    if (page !== undefined) return page
    if (Date.now() > deadline) throw new Error(`the extension opened no welcome page (${url}) on install`)
    await new Promise((done) => setTimeout(done, 100))
  }
}

/**
 * Chromium with the extension loaded, in a fresh profile (or in `userDataDir`, which is then
 * kept on close, to launch again in the same profile); resolves once its worker runs and, in a
 * fresh profile (an install), its welcome page is open. `lang` (`pt-BR`) is the browser's UI
 * language, the one `i18n.getMessage` follows: `--lang` and `LANGUAGE` (Linux reads the
 * latter); Debian's `chromium-l10n` has the locale files.
 */
export async function launchBrowser(extensionDir: string, options: { userDataDir?: string; lang?: string } = {}): Promise<Browser> {
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'ig-connect-profile-'))
  const lang = options.lang
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1000, height: 800 },
    args: [...chromiumArgs(extensionDir), ...(lang === undefined ? [] : [`--lang=${lang}`])],
    ...(lang === undefined ? {} : { locale: lang, env: { ...process.env, LANGUAGE: lang.replace('-', '_') } }),
  })
  // Without a `key` (the Chrome Web Store package) Chromium derives the id from the folder.
  const keyed = 'key' in (JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as object)
  const ours = (url: string) => url.startsWith(keyed ? `chrome-extension://${EXTENSION_ID}/` : 'chrome-extension://')
  const worker =
    context.serviceWorkers().find((w) => ours(w.url())) ?? (await context.waitForEvent('serviceworker', { predicate: (w) => ours(w.url()), timeout: 15_000 }))
  const id = new URL(worker.url()).host
  // A profile the caller keeps may hold an earlier build (an update, or a build from before the welcome page).
  const welcome = options.userDataDir === undefined ? await welcomePage(context, id) : undefined
  return {
    context,
    id,
    welcome,
    async close() {
      await context.close()
      if (options.userDataDir === undefined) rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

/** The popup, opened as a tab at its real size (360 px wide). */
export async function openPopup(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize({ width: 360, height: 640 })
  await page.goto(POPUP_URL)
  return page
}

/** Sets the server URL the way a user does: in the options page, then Save. */
export async function setServerUrl(context: BrowserContext, serverUrl: string): Promise<void> {
  const page = await context.newPage()
  await page.goto(OPTIONS_URL)
  await page.getByLabel('Server URL').fill(serverUrl)
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByText(`Saved. The extension now uses ${serverUrl}.`).waitFor()
  await page.close()
}

/**
 * Stops the extension's service worker the way the browser does when it decides to (idle, memory
 * pressure, an update): CDP `ServiceWorker.stopAllWorkers`, from one of the extension's pages.
 * Nothing of the stopped instance survives; the next event or message starts a new one.
 */
export async function stopServiceWorker(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
  } finally {
    await cdp.detach().catch(() => undefined)
  }
}

/** Reads the extension's storage from one of its pages. */
export async function readStorage(page: Page): Promise<{ local: Record<string, unknown>; session: Record<string, unknown> }> {
  return page.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<Record<string, unknown>> }> } }).chrome
    return { local: await api.storage.local.get(null), session: await api.storage.session.get(null) }
  })
}

/** Writes to the extension's storage from one of its pages (for states a test cannot reach quickly). */
export async function writeStorage(page: Page, area: 'local' | 'session', items: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    async ({ area, items }) => {
      const api = (globalThis as unknown as { chrome: { storage: Record<string, { set(i: unknown): Promise<void> }> } }).chrome
      await api.storage[area]!.set(items)
    },
    { area, items },
  )
}

/**
 * Saves a PNG of an element (the popup's frame, a page's body) into SCREENSHOTS (for
 * docs/screenshots/), and the store listing's capture of it where a listing picture shows it.
 */
export async function screenshot(target: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  // Let images decode and animations settle on a stable frame.
  await target.page().evaluate(() => Promise.all([...document.images].map((img) => (img.complete ? undefined : img.decode().catch(() => undefined)))))
  await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' })
  await saveStoreSource(target, SCREENSHOTS, name)
}
