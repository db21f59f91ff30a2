/**
 * The stores' listing pictures, made from the end-to-end run's own screenshots: 1280×800, the
 * size the Chrome Web Store asks for (it takes 1280×800 or 640×400) and the one addons.mozilla.org
 * shows best (it scales to a 1.6 ratio). Into store/screenshots/ with UPDATE_SCREENSHOTS=1,
 * otherwise test-results/store-screenshots/.
 *
 * A picture shows what a user sees, so its screenshots are second captures (`saveStoreSource`)
 * in which the tests' loopback server URLs (ephemeral ports) read as the default server URL.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BrowserContext, Locator } from 'playwright-core'
import { DEFAULT_SERVER_URL } from '../../src/lib/storage'

export const STORE_SCREENSHOTS = resolve(process.env.UPDATE_SCREENSHOTS ? 'store/screenshots' : 'test-results/store-screenshots')
export const STORE_SIZE = { width: 1280, height: 800 }

/** One listing picture: `<name>.png`, a caption, and the screenshots it shows (by their docs/screenshots/ names). */
export interface StorePicture {
  name: string
  title: string
  text: string
  shots: readonly string[]
}

/** The listing pictures, in the listing's order (store/listing.md). */
export const STORE_PICTURES: readonly StorePicture[] = [
  { name: '1-connected', title: 'Your Instagram, one click away', text: 'Your @username, picture, account type and recent posts in the toolbar.', shots: ['popup-connected'] },
  {
    name: '2-connect',
    title: 'Sign in on Instagram itself',
    text: 'You approve in Instagram’s own window. The extension never sees your password.',
    shots: ['popup-disconnected', 'popup-connecting'],
  },
  { name: '3-welcome', title: 'Ready in three steps', text: 'On install, a welcome page shows how to pin the button and checks the server for you.', shots: ['welcome'] },
  {
    name: '4-errors',
    title: 'Says what went wrong, and what to do',
    text: 'A server that is down, a redirect URL to allow, an expired connection: each with its next step.',
    shots: ['popup-error-server-unreachable', 'popup-reconnect'],
  },
]

/** A loopback server URL as the tests' pages show it (an ephemeral port), e.g. `http://127.0.0.1:41733`. */
const TEST_SERVER_URL = /http:\/\/(?:127\.0\.0\.1|localhost):\d+/g

/** The extension's own icon colours (scripts/icon.svg's gradient stops), the pictures' background. */
const ICON_COLOURS = [...readFileSync(resolve('scripts/icon.svg'), 'utf8').matchAll(/stop-color="([^"]+)"/g)].map((m) => m[1]!)

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** Where the second captures of a screenshot folder go: its `store/` subfolder. */
export const storeSources = (screenshots: string) => join(screenshots, 'store')

/** A PNG's width and height, from its IHDR chunk. */
export function pngSize(path: string): { width: number; height: number } {
  const data = readFileSync(path)
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
}

/**
 * When a listing picture shows the screenshot `name`, captures `target` again into
 * `storeSources(screenshots)`, with every loopback server URL in its page's text shown as
 * DEFAULT_SERVER_URL (`http://127.0.0.1:8787`, what a user sees until they choose another
 * server) instead of the test's ephemeral port; the text is put back right after. Otherwise does
 * nothing.
 */
export async function saveStoreSource(target: Locator, screenshots: string, name: string): Promise<void> {
  if (!STORE_PICTURES.some((picture) => picture.shots.includes(name))) return
  mkdirSync(storeSources(screenshots), { recursive: true })
  const restore = await target.page().evaluateHandle(
    ([pattern, url]) => {
      const changed: [Text, string][] = []
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode() as Text | null; node !== null; node = walker.nextNode() as Text | null) {
        const shown = node.data.replace(new RegExp(pattern, 'g'), url)
        if (shown !== node.data) changed.push([node, node.data])
        node.data = shown
      }
      return () => changed.forEach(([node, data]) => (node.data = data))
    },
    [TEST_SERVER_URL.source, DEFAULT_SERVER_URL] as const,
  )
  try {
    await target.screenshot({ path: join(storeSources(screenshots), `${name}.png`), animations: 'disabled' })
  } finally {
    await restore.evaluate((undo) => undo())
    await restore.dispose()
  }
}

/**
 * One listing picture: its caption on the left and its screenshots (the `saveStoreSource`
 * captures of `screenshots`) on the right, on the extension icon's gradient. Written as
 * `<name>.png` into STORE_SCREENSHOTS; returns its path. Throws when a capture is missing.
 */
export async function storeScreenshot(context: BrowserContext, picture: StorePicture, screenshots: string): Promise<string> {
  const paths = picture.shots.map((shot) => join(storeSources(screenshots), `${shot}.png`))
  const missing = paths.filter((path) => !existsSync(path))
  if (missing.length > 0) throw new Error(`${picture.name}: no capture ${missing.join(', ')} (the test that takes it did not run)`)
  mkdirSync(STORE_SCREENSHOTS, { recursive: true })
  const page = await context.newPage()
  await page.setViewportSize(STORE_SIZE)
  const shots = paths.map((path) => `<img src="data:image/png;base64,${readFileSync(path).toString('base64')}" alt="">`).join('')
  await page.setContent(`<!doctype html><html><head><style>
    body { margin: 0; width: 1280px; height: 800px; display: flex; align-items: center; gap: 56px; padding: 0 72px; box-sizing: border-box;
      font-family: system-ui, sans-serif; color: #fff; background: linear-gradient(45deg, ${ICON_COLOURS.join(', ')}); overflow: hidden; }
    .caption { flex: 0 0 400px; }
    h1 { font-size: 46px; line-height: 1.1; margin: 0 0 20px; }
    p { font-size: 22px; line-height: 1.4; margin: 0; opacity: 0.95; }
    .shots { flex: 1; min-width: 0; display: flex; gap: 28px; justify-content: center; align-items: center; }
    img { flex: none; max-height: 720px; max-width: 100%; border-radius: 14px; box-shadow: 0 18px 50px rgba(0, 0, 0, 0.35); background: #fff; }
  </style></head><body><div class="caption"><h1>${escape(picture.title)}</h1><p>${escape(picture.text)}</p></div><div class="shots">${shots}</div></body></html>`)
  await page.evaluate(() => Promise.all([...document.images].map((img) => img.decode())))
  const path = join(STORE_SCREENSHOTS, `${picture.name}.png`)
  await page.screenshot({ path })
  await page.close()
  return path
}
