/**
 * The stores' listing pictures, made from the end-to-end run's own screenshots: 1280×800, the
 * size the Chrome Web Store asks for (it takes 1280×800 or 640×400) and the one addons.mozilla.org
 * shows best (it scales to a 1.6 ratio). Into store/screenshots/ with UPDATE_SCREENSHOTS=1,
 * otherwise test-results/store-screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BrowserContext } from 'playwright-core'

export const STORE_SCREENSHOTS = resolve(process.env.UPDATE_SCREENSHOTS ? 'store/screenshots' : 'test-results/store-screenshots')
export const STORE_SIZE = { width: 1280, height: 800 }

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** A PNG's width and height, from its IHDR chunk. */
export function pngSize(path: string): { width: number; height: number } {
  const data = readFileSync(path)
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
}

/**
 * One listing picture: a caption on the left and the given screenshots (PNG files, e.g. the popup
 * in its states) on the right, on the brand gradient. Written as `<name>.png`.
 */
export async function storeScreenshot(context: BrowserContext, name: string, caption: { title: string; text: string }, images: string[]): Promise<string> {
  mkdirSync(STORE_SCREENSHOTS, { recursive: true })
  const page = await context.newPage()
  await page.setViewportSize(STORE_SIZE)
  const shots = images.map((path) => `<img src="data:image/png;base64,${readFileSync(path).toString('base64')}" alt="">`).join('')
  await page.setContent(`<!doctype html><html><head><style>
    body { margin: 0; width: 1280px; height: 800px; display: flex; align-items: center; gap: 56px; padding: 0 72px; box-sizing: border-box;
      font-family: system-ui, sans-serif; color: #fff; background: linear-gradient(135deg, #f09433 0%, #dc2743 45%, #bc1888 100%); overflow: hidden; }
    .caption { flex: 0 0 400px; }
    h1 { font-size: 46px; line-height: 1.1; margin: 0 0 20px; }
    p { font-size: 22px; line-height: 1.4; margin: 0; opacity: 0.95; }
    .shots { flex: 1; display: flex; gap: 28px; justify-content: center; align-items: center; }
    img { max-height: 680px; max-width: 100%; border-radius: 14px; box-shadow: 0 18px 50px rgba(0, 0, 0, 0.35); background: #fff; }
  </style></head><body><div class="caption"><h1>${escape(caption.title)}</h1><p>${escape(caption.text)}</p></div><div class="shots">${shots}</div></body></html>`)
  await page.evaluate(() => Promise.all([...document.images].map((img) => img.decode())))
  const path = join(STORE_SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path })
  await page.close()
  return path
}
