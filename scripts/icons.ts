/**
 * Renders the extension's icon (scripts/icon.svg, our own mark: a link on a teal-to-indigo
 * square, deliberately unlike Instagram's camera glyph, which Meta's brand rules and the stores'
 * impersonation policies keep out of third-party icons) to the PNG sizes manifest.json names,
 * in public/icons/. Run after editing the SVG: `npx tsx scripts/icons.ts`.
 * Uses the Chromium the tests use (Debian's, through playwright-core), so no image library.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { findChromium } from './find-browser'

/** The sizes manifest.json's `icons` and `action.default_icon` name, in px. */
export const ICON_SIZES = [16, 32, 48, 128] as const

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

async function main(): Promise<void> {
  const svg = readFileSync(here('./icon.svg'), 'utf8')
  const executablePath = findChromium()
  if (executablePath === undefined) throw new Error('No Chromium found: install Debian\'s chromium (npm run setup) or set CHROMIUM_PATH.')
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] })
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 })
    for (const size of ICON_SIZES) {
      await page.setViewportSize({ width: size, height: size })
      await page.setContent(`<body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body>`)
      await page.screenshot({ path: here(`../public/icons/icon-${size}.png`), omitBackground: true })
      console.log(`public/icons/icon-${size}.png`)
    }
  } finally {
    await browser.close()
  }
}

await main()
